import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Prng } from './lib/prng';

/**
 * The inputs of the merge benchmark: an ancestor bundle of `fileCount` source files of about 200 lines,
 * and an existing and a proposed bundle that each change about 10% of them (edits, additions,
 * deletions, some on the same files as the other side, some on the same lines), written as three
 * folders and as three commits of one git repository (branches `ancestor`, `existing`, `proposed`).
 *
 * Everything is derived from the seed, so every run and every machine merges the same trees.
 */
export interface MergeTrees {
  readonly root: string;
  readonly ancestor: string;
  readonly existing: string;
  readonly proposed: string;
  /** A non-bare repository whose work tree is empty; the three bundles are its branches, packed (`git gc`). */
  readonly repo: string;
  /** The same repository before it was packed: every object loose, as right after `git add` and `commit`. */
  readonly repoLoose: string;
  readonly fileCount: number;
  /** How many files each kind of change touched. */
  readonly changes: Record<ChangeKind, number>;
}

/** What the two sides did to one path. */
export type ChangeKind =
  | 'existing edits'
  | 'proposed edits'
  | 'both edit, apart'
  | 'both edit, same lines'
  | 'both make the same edit'
  | 'existing deletes'
  | 'proposed deletes'
  | 'both delete'
  | 'existing deletes, proposed edits'
  | 'proposed deletes, existing edits'
  | 'existing adds'
  | 'proposed adds'
  | 'both add the same file'
  | 'both add, differently';

/** Share of the ancestor's files (or, for additions, of its count) per kind of change. */
const CHANGE_SHARES: Record<ChangeKind, number> = {
  'existing edits': 0.05,
  'proposed edits': 0.05,
  'both edit, apart': 0.015,
  'both edit, same lines': 0.01,
  'both make the same edit': 0.003,
  'existing deletes': 0.01,
  'proposed deletes': 0.01,
  'both delete': 0.002,
  'existing deletes, proposed edits': 0.002,
  'proposed deletes, existing edits': 0.002,
  'existing adds': 0.015,
  'proposed adds': 0.015,
  'both add the same file': 0.001,
  'both add, differently': 0.001,
};

/** Bump when the generated trees change, so that cached trees are rebuilt. */
const GENERATOR_VERSION = 2;

/** Git with no user or system configuration, so that the same trees merge the same way everywhere. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

/** The trees for `fileCount` files under `root`, generated unless a previous run left the same ones there. */
export function mergeTrees(root: string, fileCount: number, seed = 1): MergeTrees {
  const stampFile = path.join(root, 'stamp.json');
  const stamp = JSON.stringify({ GENERATOR_VERSION, fileCount, seed });
  const trees = {
    root,
    ancestor: path.join(root, 'ancestor'),
    existing: path.join(root, 'existing'),
    proposed: path.join(root, 'proposed'),
    repo: path.join(root, 'repo'),
    repoLoose: path.join(root, 'repo-loose'),
    fileCount,
  };
  const previous = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) : undefined;
  if (previous?.stamp === stamp) return { ...trees, changes: previous.changes };

  fs.rmSync(root, { recursive: true, force: true });
  const changes = generateBundles(trees, fileCount, new Prng(seed * 1_000_003 + fileCount));
  commitBundles(trees);
  fs.writeFileSync(stampFile, JSON.stringify({ stamp, changes }, null, 2) + '\n');
  return { ...trees, changes };
}

interface SourceFile {
  lines: string[];
  mode: number;
}
type Bundle = Map<string, SourceFile>;

function generateBundles(trees: Omit<MergeTrees, 'changes'>, fileCount: number, rng: Prng): Record<ChangeKind, number> {
  const ancestor: Bundle = new Map();
  for (let i = 0; i < fileCount; i++) ancestor.set(sourcePath(i), newFile(rng, sourcePath(i)));
  const existing: Bundle = new Map([...ancestor].map(([p, f]) => [p, { ...f }]));
  const proposed: Bundle = new Map([...ancestor].map(([p, f]) => [p, { ...f }]));

  const counts = {} as Record<ChangeKind, number>;
  const shuffled = rng.sample([...ancestor.keys()], ancestor.size);
  let next = 0;
  let added = fileCount;
  for (const [kind, share] of Object.entries(CHANGE_SHARES) as [ChangeKind, number][]) {
    const count = Math.max(1, Math.round(share * fileCount));
    counts[kind] = count;
    for (let k = 0; k < count; k++) {
      if (kind.includes('add')) {
        const p = sourcePath(added++);
        const file = newFile(rng, p);
        if (kind === 'existing adds') existing.set(p, file);
        else if (kind === 'proposed adds') proposed.set(p, file);
        else if (kind === 'both add the same file') {
          existing.set(p, file);
          proposed.set(p, { ...file });
        } else {
          existing.set(p, file);
          proposed.set(p, newFile(rng, p));
        }
        continue;
      }
      const p = shuffled[next++];
      const lines = ancestor.get(p)!.lines;
      const edit = (file: SourceFile, from: number, to: number) => {
        file.lines = editLines(rng, file.lines, from, to);
      };
      switch (kind) {
        case 'existing edits':
          edit(existing.get(p)!, 0, lines.length);
          break;
        case 'proposed edits':
          edit(proposed.get(p)!, 0, lines.length);
          break;
        case 'both edit, apart': {
          // Far enough apart that neither git nor we see one hunk.
          const middle = lines.length >> 1;
          edit(existing.get(p)!, 0, middle - 4);
          edit(proposed.get(p)!, middle + 4, lines.length);
          break;
        }
        case 'both edit, same lines': {
          const at = rng.int(10, lines.length - 20);
          const length = rng.int(1, 4);
          existing.get(p)!.lines = replaceLines(rng, lines, at, length);
          proposed.get(p)!.lines = replaceLines(rng, lines, at, length);
          // ...and a clean change elsewhere on one side.
          edit(proposed.get(p)!, at + 12, proposed.get(p)!.lines.length);
          break;
        }
        case 'both make the same edit':
          edit(existing.get(p)!, 0, lines.length);
          proposed.get(p)!.lines = [...existing.get(p)!.lines];
          break;
        case 'existing deletes':
          existing.delete(p);
          break;
        case 'proposed deletes':
          proposed.delete(p);
          break;
        case 'both delete':
          existing.delete(p);
          proposed.delete(p);
          break;
        case 'existing deletes, proposed edits':
          existing.delete(p);
          edit(proposed.get(p)!, 0, lines.length);
          break;
        case 'proposed deletes, existing edits':
          proposed.delete(p);
          edit(existing.get(p)!, 0, lines.length);
          break;
      }
    }
  }

  const options = (version: string) =>
    JSON.stringify({ name: 'bench', version, repositories: ['web', 'api', 'infra'], runtime: 'nodejs20.x' }, null, 2) + '\n';
  const environment = (name: string, size: string) => `name: ${name}\ndescription: the ${name} stage\ninstanceSize: ${size}\n`;
  const outside = (version: string, prodSize: string): [string, string][] => [
    ['options.json', options(version)],
    ['environments/dev.yaml', environment('dev', 'small')],
    ['environments/prod.yaml', environment('prod', prodSize)],
  ];
  writeBundle(trees.ancestor, ancestor, outside('1.0.0', 'large'));
  writeBundle(trees.existing, existing, outside('1.0.0', 'large'));
  writeBundle(trees.proposed, proposed, [
    ...outside('1.1.0', 'xlarge'),
    ['issues/upgrade-node.json', JSON.stringify({ title: 'Upgrade to Node 22', labels: ['chore'] }, null, 2) + '\n'],
  ]);
  return counts;
}

const REPOSITORIES = ['web', 'api', 'infra'];

/** File `i`: spread over three repositories, 20 files to a folder, 10 folders to a module. */
function sourcePath(i: number): string {
  const repository = REPOSITORIES[i % REPOSITORIES.length];
  const j = Math.floor(i / REPOSITORIES.length);
  if (j % 500 === 7) return `src/${repository}/scripts/task-${j}.sh`;
  const extension = j % 50 === 3 ? 'md' : 'ts';
  return `src/${repository}/packages/m${Math.floor(j / 200)}/d${Math.floor(j / 20) % 10}/file${j}.${extension}`;
}

const WORDS = [
  'user', 'order', 'account', 'session', 'token', 'cache', 'queue', 'event', 'record', 'index', 'value', 'item',
  'request', 'response', 'handler', 'config', 'stage', 'bucket', 'table', 'stream', 'retry', 'limit', 'offset', 'page',
  'client', 'server', 'route', 'schema', 'field', 'entry', 'batch', 'result', 'error', 'status', 'target', 'source',
];
const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'unknown', 'Record<string, string>', 'string[]'];

function identifier(rng: Prng): string {
  const first = rng.pick(WORDS);
  const second = rng.pick(WORDS);
  return `${first}${second[0].toUpperCase()}${second.slice(1)}${rng.int(0, 999)}`;
}

/** One line of a function body: unique-ish, like real code. */
function statement(rng: Prng): string {
  switch (rng.int(0, 5)) {
    case 0: return `  const ${identifier(rng)} = ${identifier(rng)}(${identifier(rng)}, ${rng.int(0, 9999)});`;
    case 1: return `  if (${identifier(rng)} > ${rng.int(0, 999)}) return ${identifier(rng)};`;
    case 2: return `  ${identifier(rng)}.${identifier(rng)}('${rng.pick(WORDS)}-${rng.int(0, 99999)}');`;
    case 3: return `  // ${rng.pick(WORDS)} the ${rng.pick(WORDS)} before the ${rng.pick(WORDS)} (${rng.int(0, 9999)})`;
    case 4: return `  let ${identifier(rng)}: ${rng.pick(TYPES)} = ${identifier(rng)}.${rng.pick(WORDS)};`;
    default: return `  await ${identifier(rng)}.${rng.pick(WORDS)}(${identifier(rng)}, { ${rng.pick(WORDS)}: ${rng.int(0, 99)} });`;
  }
}

/** About 200 lines: functions of a few statements, with the closing braces and blank lines real code repeats. */
function newFile(rng: Prng, bundlePath: string): SourceFile {
  const target = rng.int(170, 230);
  if (bundlePath.endsWith('.sh')) {
    const lines = ['#!/bin/sh', 'set -eu'];
    while (lines.length < target) lines.push(`echo "${rng.pick(WORDS)} ${identifier(rng)}" >> "$LOG_${rng.int(0, 99)}"`);
    return { lines, mode: 0o755 };
  }
  if (bundlePath.endsWith('.md')) {
    const lines = [`# ${identifier(rng)}`, ''];
    while (lines.length < target) lines.push(`${rng.pick(WORDS)} ${rng.pick(WORDS)} ${identifier(rng)} ${rng.pick(WORDS)} ${rng.int(0, 9999)}.`, '');
    return { lines, mode: 0o644 };
  }
  const lines = [`import { ${identifier(rng)} } from './${rng.pick(WORDS)}';`, ''];
  while (lines.length < target) {
    lines.push(`export function ${identifier(rng)}(${identifier(rng)}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`);
    for (let n = rng.int(3, 12); n > 0; n--) lines.push(statement(rng));
    lines.push('}', '');
  }
  return { lines, mode: 0o644 };
}

/** One to three hunks (replace, insert or delete a few lines) between lines `from` and `to`. */
function editLines(rng: Prng, lines: string[], from: number, to: number): string[] {
  const result = [...lines];
  const hunks = Math.min(rng.int(1, 3), Math.max(1, Math.floor((to - from) / 12)));
  const span = Math.floor((to - from) / hunks);
  // Last hunk first, so that earlier positions stay valid.
  for (let h = hunks - 1; h >= 0; h--) {
    const at = from + h * span + rng.int(1, Math.max(1, span - 6));
    const kind = rng.int(0, 2);
    if (kind === 0) result.splice(at, rng.int(1, 4), ...fresh(rng, rng.int(1, 4)));
    else if (kind === 1) result.splice(at, 0, ...fresh(rng, rng.int(1, 3)));
    else result.splice(at, rng.int(1, 3));
  }
  return result;
}

function replaceLines(rng: Prng, lines: string[], at: number, length: number): string[] {
  const result = [...lines];
  result.splice(at, length, ...fresh(rng, length));
  return result;
}

function fresh(rng: Prng, count: number): string[] {
  return Array.from({ length: count }, () => statement(rng));
}

function writeBundle(dir: string, files: Bundle, outside: [string, string][]): void {
  const made = new Set<string>();
  const write = (relative: string, content: string, mode = 0o644) => {
    const absolute = path.join(dir, relative);
    const parent = path.dirname(absolute);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(absolute, content, { mode });
    fs.chmodSync(absolute, mode);
  };
  for (const [relative, file] of files) write(relative, file.lines.join('\n') + '\n', file.mode);
  for (const [relative, content] of outside) write(relative, content);
}

/** Commits the three bundles as branches `ancestor`, `existing` and `proposed` (the last two on the first), keeps a copy with the objects loose, then packs them. */
function commitBundles(trees: Omit<MergeTrees, 'changes'>): void {
  const git = (args: string[], cwd = trees.repo, env: NodeJS.ProcessEnv = GIT_ENV) =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  fs.mkdirSync(trees.repo, { recursive: true });
  git(['init', '-q', '-b', 'ancestor']);
  let ancestorCommit = '';
  for (const name of ['ancestor', 'existing', 'proposed'] as const) {
    const index = path.join(trees.root, `index-${name}`);
    const env = { ...GIT_ENV, GIT_DIR: path.join(trees.repo, '.git'), GIT_INDEX_FILE: index };
    git(['add', '-A', '.'], trees[name], env);
    const tree = git(['write-tree'], trees[name], env);
    const commit = git(['commit-tree', tree, '-m', name, ...(ancestorCommit ? ['-p', ancestorCommit] : [])]);
    if (name === 'ancestor') ancestorCommit = commit;
    git(['update-ref', `refs/heads/${name}`, commit]);
    fs.rmSync(index);
  }
  // A new user's repository has its objects loose (issue 10 measures that way); one that has lived a while is
  // packed, and git reads packed objects faster: both are timed.
  fs.cpSync(trees.repo, trees.repoLoose, { recursive: true });
  git(['gc', '-q']);
}
