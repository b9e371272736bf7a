import { OwnershipFileSyntaxError } from './errors';
import { Strategy } from '../strategies/context-file';

/** The file name of an ownership file inside a repository. */
export const OWNERSHIP_FILE_NAME = '.ownership-file';

/** The comment the serializer writes after a header, naming the strategy function behind it. */
const IMPLEMENTATION_PREFIX = 'Internal merge strategy:';

/**
 * One section of an `.ownership-file`:
 * ```
 * [identifier] owner
 * # description
 * # Internal merge strategy: implementation
 * glob
 * ```
 */
export interface OwnershipEntry {
  /** The strategy id between the brackets. */
  readonly identifier: string;
  /** The owner after the brackets: a package name (`@scope/*`, `name@1.*.*` wildcards), or a `[local]` entry's command. */
  readonly owner: string;
  /**
   * The comment lines between the header and the first glob, other than the implementation line.
   * @default - none
   */
  readonly description?: string;
  /**
   * The function name in the "Internal merge strategy" comment.
   * @default - no such comment
   */
  readonly implementation?: string;
  /** The glob lines, in order, relative to the ownership file's folder. */
  readonly globs: readonly string[];
}

/** An entry with the 1-based line of its header, for messages. */
export interface LocatedOwnershipEntry {
  readonly entry: OwnershipEntry;
  readonly line: number;
  /** The 1-based line of each of the entry's globs, in order. */
  readonly globLines: readonly number[];
}

/** `[identifier] owner`: the identifier has no `]`; at least one blank separates it from the owner. */
const HEADER = /^\[([^\]]*)\]\s+(\S.*)$/;

type Line =
  | { kind: 'blank' }
  | { kind: 'comment'; text: string }
  | { kind: 'header'; identifier: string; owner: string }
  | { kind: 'glob'; glob: string }
  | { kind: 'error'; problem: string };

/** What one trimmed line is. A `[` line that is no header is a glob only when it reads as a character class. */
function classify(line: string): Line {
  if (line === '') return { kind: 'blank' };
  if (line.startsWith('#')) return { kind: 'comment', text: line.slice(1).replace(/^ /, '') };
  const header = HEADER.exec(line);
  if (header) {
    const identifier = header[1].trim();
    if (identifier === '') return { kind: 'error', problem: `empty strategy id in '${line}'` };
    const owner = header[2].trim();
    // An owner is a package name (and version range), which holds no blank: words after it would make an
    // entry that never matches, and its files fall to the fallback without a word. (A [local] entry's is a command.)
    if (identifier !== 'local' && /\s/.test(owner)) {
      return { kind: 'error', problem: `the owner '${owner}' holds a blank: a header is '[strategy_id] owner' (a package name), and a '#' comment needs a line of its own` };
    }
    return { kind: 'header', identifier, owner };
  }
  if (line.startsWith('[')) {
    if (!line.includes(']')) return { kind: 'error', problem: `unclosed '[' in '${line}' (expected '[strategy_id] owner')` };
    if (/^\[[^\]]*\]$/.test(line)) return { kind: 'error', problem: `strategy header '${line}' has no owner (expected '[strategy_id] owner')` };
  }
  return { kind: 'glob', glob: line };
}

/**
 * The strategy id and owner of a trimmed line that is an entry's header (`[strategy_id] owner`), read as
 * the parser reads it; undefined for any other line, including a malformed header.
 */
export function ownershipHeaderOf(line: string): { identifier: string; owner: string } | undefined {
  const classified = classify(line);
  return classified.kind === 'header' ? { identifier: classified.identifier, owner: classified.owner } : undefined;
}

/**
 * Reads an `.ownership-file`. Blank lines and `#` comments are ignored, except that the comments between
 * a header and its first glob become the entry's description and implementation. `file` names the file
 * in errors: a glob before any header, a header without an owner, an unclosed `[`.
 */
export function parseOwnershipFileWithLines(text: string, file = OWNERSHIP_FILE_NAME): LocatedOwnershipEntry[] {
  const located: { entry: { identifier: string; owner: string; description?: string; implementation?: string; globs: string[] }; line: number; globLines: number[]; description: string[] }[] = [];
  // A lone CR ends a line too (old Mac files): no line the parser accepts holds one, so each can be written back.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = classify(raw.trim());
    const current = located[located.length - 1];
    switch (line.kind) {
      case 'blank':
        return;
      case 'error':
        throw new OwnershipFileSyntaxError(file, index + 1, line.problem);
      case 'header':
        located.push({ entry: { identifier: line.identifier, owner: line.owner, globs: [] }, line: index + 1, globLines: [], description: [] });
        return;
      case 'comment':
        if (current && current.entry.globs.length === 0) {
          if (line.text.startsWith(IMPLEMENTATION_PREFIX) && current.entry.implementation === undefined) {
            current.entry.implementation = line.text.slice(IMPLEMENTATION_PREFIX.length).trim();
          } else {
            current.description.push(line.text);
          }
        }
        return;
      case 'glob':
        if (!current) {
          throw new OwnershipFileSyntaxError(file, index + 1, `glob '${line.glob}' comes before any '[strategy_id] owner' header`);
        }
        current.entry.globs.push(line.glob);
        current.globLines.push(index + 1);
        return;
    }
  });
  return located.map(({ entry, line, globLines, description }) => ({
    // A lone empty comment is no description: the serializer could not write it back.
    entry: description.join('\n') !== '' ? { ...entry, description: description.join('\n') } : entry,
    line,
    globLines,
  }));
}

/** Reads an `.ownership-file` into its entries; see {@link parseOwnershipFileWithLines}. */
export function parseOwnershipFile(text: string, file = OWNERSHIP_FILE_NAME): OwnershipEntry[] {
  return parseOwnershipFileWithLines(text, file).map(located => located.entry);
}

/**
 * Writes entries in the SDK's layout: per entry the header, each description line as a comment, the
 * implementation comment, the globs and a blank line; the file ends with one newline.
 * `parseOwnershipFile(serializeOwnershipFile(x))` equals `x` for every entry it accepts; it throws on
 * what could not be read back (an id with `]`, a glob that reads as a comment or header, line breaks).
 */
export function serializeOwnershipFile(entries: readonly OwnershipEntry[]): string {
  let text = '';
  for (const entry of entries) {
    const what = `ownership entry '${entry.identifier}'`;
    if (entry.identifier !== entry.identifier.trim() || !entry.identifier || /[\]\r\n]/.test(entry.identifier)) {
      throw new Error(`${what}: a strategy id must be non-empty, without ']', line breaks or surrounding blanks`);
    }
    if (entry.owner !== entry.owner.trim() || !entry.owner || /[\r\n]/.test(entry.owner) || (entry.identifier !== 'local' && /\s/.test(entry.owner))) {
      throw new Error(`${what}: owner '${entry.owner}' must be non-empty, on one line, without blanks (but a [local] entry's command)`);
    }
    text += `[${entry.identifier}] ${entry.owner}\n`;
    if (entry.description) {
      for (const line of normalizeDescription(entry.description).split('\n')) text += line ? `# ${line}\n` : '#\n';
    }
    if (entry.implementation !== undefined) {
      if (/[\r\n]/.test(entry.implementation)) throw new Error(`${what}: implementation name must be on one line`);
      text += `# ${IMPLEMENTATION_PREFIX} ${entry.implementation}\n`;
    }
    for (const glob of entry.globs) {
      const line = classify(glob);
      if (glob !== glob.trim() || /[\r\n]/.test(glob) || line.kind !== 'glob') {
        throw new Error(`${what}: glob '${glob}' cannot be written as a glob line`);
      }
      text += `${glob}\n`;
    }
    text += '\n';
  }
  return text.trimEnd() + '\n';
}

/**
 * Descriptions are written as comment lines, which the parser reads back trimmed: drop what would not
 * survive (trailing blanks, a line that would read as the implementation comment).
 */
function normalizeDescription(description: string): string {
  return description
    .split(/\r?\n/)
    .map(line => line.trimEnd().replace(new RegExp(`^(?=\\s*${IMPLEMENTATION_PREFIX})`), '- '))
    .join('\n');
}

/**
 * The entries the SDK's `BlueprintOwnershipFile` writes for strategies: the owner defaults to
 * `defaultOwner` (the blueprint's package name), the implementation is the function's name or `custom`.
 */
export function ownershipEntriesOf(strategies: readonly Strategy[], defaultOwner: string | undefined): OwnershipEntry[] {
  return strategies.map(strategy => {
    const owner = strategy.owner ?? defaultOwner;
    if (!owner) {
      throw new Error(
        `Cannot write the owner of merge strategy '${strategy.identifier}': it has none and the blueprint's package name (PACKAGE_NAME) is not set`,
      );
    }
    const entry: OwnershipEntry = {
      identifier: strategy.identifier,
      owner,
      ...(strategy.description ? { description: strategy.description } : {}),
      implementation: strategy.strategy?.name || 'custom',
      globs: [...strategy.globs],
    };
    return entry;
  });
}

/** The `.ownership-file` text for strategies, byte for byte what the SDK writes. */
export function serializeStrategies(strategies: readonly Strategy[], defaultOwner: string | undefined): string {
  return serializeOwnershipFile(ownershipEntriesOf(strategies, defaultOwner));
}
