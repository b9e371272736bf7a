import { useMemo, useState } from 'preact/hooks';

/** One row the tree shows: a file with an optional badge (a resynthesis outcome) and note (its strategy). */
export interface TreeItem {
  path: string;
  badge?: string;
  note?: string;
  mode?: number;
}

interface Folder {
  name: string;
  path: string;
  folders: Map<string, Folder>;
  files: TreeItem[];
  count: number;
}

/** What a bundle's top-level folders hold, as the SDK's wizard names them. */
const SECTIONS: Record<string, string> = {
  'src': 'Repositories',
  'environments': 'Environments',
  'aws-account-to-environment': 'Account connections',
  'secrets': 'Secrets',
  'issues': 'Issues',
};

function build(items: TreeItem[]): Folder {
  const root: Folder = { name: '', path: '', folders: new Map(), files: [], count: 0 };
  for (const item of items) {
    const parts = item.path.split('/');
    let folder = root;
    folder.count++;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = folder.folders.get(parts[i]);
      if (!next) {
        next = { name: parts[i], path: parts.slice(0, i + 1).join('/'), folders: new Map(), files: [], count: 0 };
        folder.folders.set(parts[i], next);
      }
      next.count++;
      folder = next;
    }
    folder.files.push(item);
  }
  return root;
}

/**
 * A bundle as a folder tree. Only open folders render their children, so a 2,000-file bundle costs the
 * rows on screen; the bundle's top level and each repository start open, as do the folders of the
 * selected file (and every folder, when `expandAll`, for a filtered list).
 */
export function FileTree(props: { items: TreeItem[]; selected?: string; onSelect: (path: string) => void; expandAll?: boolean }) {
  const root = useMemo(() => build(props.items), [props.items]);
  const [toggled, setToggled] = useState<Map<string, boolean>>(new Map());
  const isOpen = (folder: Folder, depth: number) => {
    const explicit = toggled.get(folder.path);
    if (explicit !== undefined) return explicit;
    if (props.expandAll || depth < 2) return true;
    return !!props.selected && props.selected.startsWith(folder.path + '/');
  };
  const toggle = (folder: Folder, open: boolean) => setToggled(new Map(toggled).set(folder.path, !open));

  const renderFolder = (folder: Folder, depth: number): preact.JSX.Element[] => {
    const rows: preact.JSX.Element[] = [];
    for (const child of [...folder.folders.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const open = isOpen(child, depth);
      const label = depth === 0 && SECTIONS[child.name] ? `${SECTIONS[child.name]} (${child.name}/)` : child.name;
      rows.push(
        <li key={`d:${child.path}`} class="tree-folder" data-path={child.path}>
          <button type="button" class="tree-row" style={{ paddingLeft: `${depth * 14 + 4}px` }} aria-expanded={open} onClick={() => toggle(child, open)}>
            <span class="twisty">{open ? '▾' : '▸'}</span> {label} <span class="count">{child.count}</span>
          </button>
          {open && <ul>{renderFolder(child, depth + 1)}</ul>}
        </li>,
      );
    }
    for (const file of folder.files) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      rows.push(
        <li key={`f:${file.path}`} class="tree-file" data-path={file.path}>
          <button
            type="button"
            class={`tree-row${props.selected === file.path ? ' selected' : ''}`}
            style={{ paddingLeft: `${depth * 14 + 18}px` }}
            title={file.note ? `${file.path}\n${file.note}` : file.path}
            onClick={() => props.onSelect(file.path)}
          >
            {file.badge && <span class={`badge outcome-${file.badge}`}>{file.badge}</span>} {name}
            {file.mode !== undefined && file.mode & 0o111 ? <span class="exec" title="executable">*</span> : null}
            {file.note && <span class="note">{file.note}</span>}
          </button>
        </li>,
      );
    }
    return rows;
  };

  if (props.items.length === 0) return <p class="empty">No files.</p>;
  return <ul class="tree" role="tree">{renderFolder(root, 0)}</ul>;
}
