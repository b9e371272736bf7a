import * as crypto from 'crypto';
import { binaryPatch } from './binary-patch';
import { quotePatchPath } from './quote-path';
import { unifiedHunks } from './unified';
import { BundleFile, gitMode as gitFileMode } from '../../bundle/file-map';
import { SYMLINK_MODE } from '../../bundle/read';
import { isBinary } from '../merge';

/** How {@link filePatch} writes a binary change. */
export interface FilePatchOptions {
  /**
   * Write binary changes as `GIT binary patch` hunks that `git apply` takes (`git diff --binary`), or
   * as git's one line "Binary files ... differ" (for reading).
   * @default true
   */
  readonly binary?: boolean;
}

const NULL_ID = '0'.repeat(40);
/** git abbreviates object names in `index` lines of text patches to this many digits (binary ones are written whole). */
const ABBREV = 7;

/**
 * The patch of one file, byte for byte what `git diff --binary` writes for it inside the repository
 * (`path` is repository-relative), as a latin1 string; empty when nothing changed. Absent is a state of
 * its own (the file is created or deleted). A symbolic link is its target text with mode 120000; a link
 * that becomes a file, or a file a link, is a deletion followed by a creation, as git writes it.
 */
export function filePatch(path: string, before: BundleFile | undefined, after: BundleFile | undefined, options: FilePatchOptions = {}): string {
  // Absent on both sides (a path both sides of a merge moved away from): nothing to show, as git shows nothing.
  if (!before && !after) return '';
  if (before && after && isLink(before) !== isLink(after)) {
    return filePatch(path, before, undefined, options) + filePatch(path, undefined, after, options);
  }
  const oldMode = before && gitMode(before);
  const newMode = after && gitMode(after);
  const oldBuffer = before?.buffer ?? Buffer.alloc(0);
  const newBuffer = after?.buffer ?? Buffer.alloc(0);
  const sameContent = before !== undefined && after !== undefined && oldBuffer.equals(newBuffer);
  if (sameContent && oldMode === newMode) return '';

  let text = `diff --git ${quotePatchPath('a/', path)} ${quotePatchPath('b/', path)}\n`;
  if (!before) text += `new file mode ${newMode}\n`;
  else if (!after) text += `deleted file mode ${oldMode}\n`;
  else if (oldMode !== newMode) text += `old mode ${oldMode}\nnew mode ${newMode}\n`;
  if (sameContent) return text;

  const binary = isBinary(oldBuffer) || isBinary(newBuffer);
  // git names the objects in full where a binary patch needs them to apply, abbreviated elsewhere.
  const digits = binary && options.binary !== false ? 40 : ABBREV;
  const oldId = (before ? blobId(oldBuffer) : NULL_ID).slice(0, digits);
  const newId = (after ? blobId(newBuffer) : NULL_ID).slice(0, digits);
  text += `index ${oldId}..${newId}${oldMode === newMode ? ` ${oldMode}` : ''}\n`;

  const oldName = before ? quotePatchPath('a/', path) : '/dev/null';
  const newName = after ? quotePatchPath('b/', path) : '/dev/null';
  if (binary) {
    return text + (options.binary === false ? `Binary files ${oldName} and ${newName} differ\n` : binaryPatch(oldBuffer, newBuffer));
  }
  const hunks = unifiedHunks(oldBuffer.toString('latin1'), newBuffer.toString('latin1'));
  if (!hunks) return text; // an empty file created or deleted
  // git ends a name holding a blank with a tab, so that the name's end is not guessed from a timestamp.
  const tab = (name: string) => (name.includes(' ') ? '\t' : '');
  return `${text}--- ${oldName}${tab(oldName)}\n+++ ${newName}${tab(newName)}\n${hunks}`;
}

/** git's object name of a blob: SHA-1 over `blob <size>\0` and the content. */
export function blobId(content: Buffer): string {
  return crypto.createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** The mode git records, as a patch writes it (`100644`, `100755`, `120000`). */
function gitMode(file: BundleFile): string {
  return gitFileMode(file).toString(8);
}

function isLink(file: BundleFile): boolean {
  return file.mode === SYMLINK_MODE;
}
