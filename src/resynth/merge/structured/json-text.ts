/**
 * JSON (and JSONC: comments, trailing commas) as text to edit. jsonc-parser finds the nodes and
 * makes the structural edits (commas, brackets, new lines); the value written is then the source
 * side's own text, moved to the existing file's indentation, so that a copied value keeps its
 * quoting, number spelling and layout.
 */
import { applyEdits, createScanner, findNodeAtLocation, FormattingOptions, getNodeValue, modify, Node, ParseError, parseTree, printParseErrorCode, SyntaxKind } from 'jsonc-parser';
import { DocumentEdit, DocumentSide, SourceNode } from './edits';
import { indentUnitOf, renest } from './indentation';
import { commentBlocksAbove, commentLinesAbove, deleteOwnLines, insertOnOwnLine, startsLine } from './json-comment-lines';
import { formatJsonPath } from './json-path';
import { nodeAt, Swap, SwapBatch } from './json-swaps';
import { sortedInsertionIndex } from './sorted-keys';
import { isRecord, recordKeyOrder } from './values';
import { eolOf, indentAt, lineStart, reindent, sameComment, sameCommentLines, spacedAs, UnsupportedEdit } from './text-lines';
import { StructureWorkBudget } from './work-bound';
import { linePlace } from '../../../text-position';

/** A JSON document that could not be parsed, with the first error's position. */
export class UnparseableDocument extends Error {}

/** A JSON or YAML document that holds a key twice in one object, which a merge by key cannot represent. */
export class DuplicateKey extends UnparseableDocument {}

/** Parses JSON/JSONC text into its root node, refusing syntax errors and duplicate keys (which a merge by key cannot represent). */
export function parseJsonTree(text: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length || !root) {
    const first = errors[0];
    throw new UnparseableDocument(first ? `${printParseErrorCode(first.error)} at ${linePlace(text, first.offset)}` : 'empty document');
  }
  checkDuplicateKeys(root, text);
  return root;
}

/** The value of a parsed JSON tree, with its objects' keys in the order the text writes them ({@link recordKeyOrder}). */
export function jsonValue(root: Node): unknown {
  const value = getNodeValue(root);
  recordJsonKeyOrder(root, value);
  return value;
}

function recordJsonKeyOrder(node: Node, value: unknown): void {
  if (node.type === 'array') (node.children ?? []).forEach((child, i) => recordJsonKeyOrder(child, (value as unknown[])[i]));
  if (node.type !== 'object' || !isRecord(value)) return;
  const keys: string[] = [];
  for (const property of node.children ?? []) {
    const [key, member] = property.children ?? [];
    keys.push(key.value as string);
    if (member) recordJsonKeyOrder(member, value[key.value as string]);
  }
  recordKeyOrder(value, keys);
}

function checkDuplicateKeys(node: Node, text: string): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0]?.value as string;
      if (seen.has(key)) throw new DuplicateKey(`duplicate key ${JSON.stringify(key)} at ${linePlace(text, property.offset)}`);
      seen.add(key);
    }
  }
  for (const child of node.children ?? []) checkDuplicateKeys(child, text);
}

/** Applies {@link DocumentEdit}s to JSON text, copying values from the sides' texts. */
export class JsonTextEditor {
  private readonly sources: Partial<Record<DocumentSide, { text: string; root: Node }>> = {};
  private ancestorLines?: Set<string>;
  private readonly formatting: FormattingOptions;
  /** The existing file's line end, for every snippet moved into it (looked up once: the file may be large). */
  private readonly eol: string;
  private readonly units: Partial<Record<DocumentSide, string | undefined>> = {};
  private existingTrailingCommas?: boolean;

  /** `budget` counts every parse the editor makes (none when omitted). */
  constructor(private readonly sideTexts: Readonly<Record<DocumentSide, string>>, private readonly budget?: StructureWorkBudget) {
    // A file the existing side wrote without an indented line (`{}`) says nothing of its indentation: the other sides' then.
    this.formatting = formattingOf(sideTexts.existing, [sideTexts.proposed, sideTexts.ancestor]);
    this.eol = this.formatting.eol!;
  }

  /**
   * `text` with the edits made in order, as {@link apply} one by one would make them, with one parse for a
   * run of values swapped in place. A swap leaves every other node where the tree says, so the swaps
   * are collected against one parse and made together; a structural edit (a new member or element, a
   * removal), or a swap whose node or line start a collected swap changed, makes them first and parses
   * again. (Parsing again for every edit made a file's merge grow with its size times its edits: minutes
   * for a lock file both sides changed.)
   */
  public applyAll(text: string, edits: readonly DocumentEdit[]): string {
    let batch = new SwapBatch();
    let root: Node | undefined;
    const flush = () => {
      text = batch.applyTo(text);
      batch = new SwapBatch();
      root = undefined;
    };
    for (const edit of edits) {
      if (edit.kind === 'set') {
        root ??= this.parse(text);
        const target = nodeAt(root, edit.path);
        const swap = target && this.swap(text, target, edit);
        if (swap && batch.add(swap, lineStart(text, swap.offset))) continue;
      }
      flush();
      text = this.apply(text, edit);
    }
    flush();
    return text;
  }

  /** `text` with one edit made. */
  public apply(text: string, edit: DocumentEdit): string {
    if (edit.kind === 'delete') return deleteNode(text, this.parse(text), edit.path, (parent, index) => this.headingKept(text, parent, index, edit.path));
    const { snippet, indent, key } = this.sourceText(edit.source.side, edit.source.path);
    const root = this.parse(text);
    const target = edit.kind === 'set' ? nodeAt(root, edit.path) : undefined;
    if (target) {
      const batch = new SwapBatch();
      batch.add(this.swap(text, target, edit), lineStart(text, target.offset));
      return batch.applyTo(text);
    }
    const keysBefore = edit.kind === 'set' ? edit.keysBefore : [];
    const container = findNodeAtLocation(root, [...edit.path.slice(0, -1)]);
    if (container && isOneLine(text, container)) {
      // jsonc-parser would lay the whole object or array out on lines of its own: the new member goes in on the line.
      const last = edit.path[edit.path.length - 1];
      if (container.type === 'object' && (typeof last !== 'string' || key === undefined)) throw new UnsupportedEdit('a member without a key');
      const index = container.type === 'object' ? insertionIndex(memberKeys(container), keysBefore, edit.path) : last as number;
      return insertInline(text, container, index, snippet, container.type === 'object' ? key : undefined);
    }
    // A new member or element, with a placeholder that then becomes the source's text: on a line of its own
    // after the one it follows where the text has one member per line, else placed by jsonc-parser (with its comma).
    const placeholder = `\u0000bluesynth-placeholder-${Math.random().toString(36).slice(2)}`;
    const quoted = JSON.stringify(placeholder);
    const ownLine = onOwnLine(text, root, edit.path, keysBefore, quoted);
    const edited = ownLine ?? applyEdits(text, modify(text, [...edit.path], placeholder, {
      formattingOptions: this.formatting,
      isArrayInsertion: edit.kind === 'insert',
      getInsertionIndex: properties => insertionIndex(properties, keysBefore, edit.path),
    }));
    const at = edited.indexOf(quoted);
    if (at < 0) throw new UnsupportedEdit('the new value could not be placed');
    const value = this.moved(edit.source.side, snippet, indent, indentAt(edited, at));
    const inserted = edited.slice(0, at) + value + this.withSourceComment(edited.slice(at + quoted.length), edit.source);
    return ownLine === undefined ? inserted : this.withSourceCommentLines(inserted, at, edit.source);
  }

  /**
   * `text` with the comment lines right above the source's new member or element (`// import paths of the
   * shared client` above `"paths"`) put above it, where it begins its line at `at`: they are about it, and come
   * with it, as a YAML entry's do. Not where the ancestor has them (the source may have put the new member
   * between a comment and the member it is about) or the text has them already.
   */
  private withSourceCommentLines(text: string, at: number, source: SourceNode): string {
    const found = this.sourceNode(source.side, source.path);
    if (!found) return text;
    const member = found.node.parent?.type === 'property' ? found.node.parent : found.node;
    const container = member.parent;
    if (!container || !startsLine(found.text, member.offset)) return text;
    const index = (container.children ?? []).indexOf(member);
    const attached = commentLinesAbove(found.text, container, index);
    const memberLine = lineStart(found.text, member.offset);
    const words = (from: string) => from.split(/\r?\n/).map(line => line.trim()).filter(line => line !== '').join('\n');
    const known = (lines: string) => words(this.sideTexts.ancestor).includes(words(lines)) || words(text).includes(words(lines));
    // With the blocks of comments set apart above them that the source wrote between this member and the one before
    // (no member takes them along, so they would be lost), where neither the ancestor nor the text has them.
    const unknown = (start: number, end: number) => (start < end && !known(found.text.slice(start, end)) ? found.text.slice(start, end) : '');
    const lines = unknown(commentBlocksAbove(found.text, container, index, attached), attached) + unknown(attached, memberLine);
    if (lines === '') return text;
    const to = indentAt(text, at);
    const from = indentAt(found.text, member.offset);
    const moved = lines.split(/\r?\n/).slice(0, -1).map(line => line.trim() === '' ? '' : to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart()));
    const eol = eolOf(this.sideTexts.existing);
    const lineAt = lineStart(text, at);
    return text.slice(0, lineAt) + moved.map(line => line + eol).join('') + text.slice(lineAt);
  }

  /**
   * `after` (the text after a new member or element) with the comment that ends the source's line after its
   * value (`"noUncheckedIndexedAccess": true, // arr[i] may be undefined`), where the new value ends its own
   * line there: the comment is about the value, and comes with it as a YAML entry's does.
   */
  private withSourceComment(after: string, source: SourceNode): string {
    const from = this.sourceNode(source.side, source.path);
    // A new value comes whole, so the comment after its last line comes with it even where it spans lines.
    const found = from && lineCommentAfter(from.text, from.node, true);
    if (!found?.comment) return after;
    const separator = /^[ \t]*,?(?=[ \t]*(\r?\n|$))/.exec(after);
    if (!separator) return after;
    // Where the source wrote it before its comma (`"n": [] /* new */,`), it stays before the comma here.
    if (found.beforeComma) return found.comment + after;
    return separator[0] + found.comment + after.slice(separator[0].length);
  }

  /** The value of `target` (found in `text`) swapped for the source's: the key, comments and separators around it stay. */
  private swap(text: string, target: Node, edit: { readonly source: SourceNode }): Swap {
    const { snippet, indent } = this.sourceText(edit.source.side, edit.source.path);
    const value = this.moved(edit.source.side, snippet, indent, indentAt(text, target.offset));
    const container = target.parent?.type === 'property' ? target.parent.parent : target.parent;
    if (container && isOneLine(text, container) && value.includes('\n')) throw new UnsupportedEdit('a multi-line value into a one-line object or array');
    const comment = this.commentAfterValue(text, target, edit.source);
    if (comment === undefined) return { offset: target.offset, length: target.length, value };
    return { offset: target.offset, length: comment.end - target.offset, value: value + comment.text };
  }

  /**
   * The comment to end a one-line value's line with when the value is swapped for the source's, and where the
   * line's own comment ends: a `// comment` after a value is about that value (`"target": "es2022", // node 16`),
   * so where the source side changed it and the existing side did not, the source's comes with its value, and so
   * it does where the existing side changed the value too (a conflict's side, or a policy's choice, is that side's
   * line as written); where only the existing side changed it, it stays (undefined). Where the ancestor's cannot
   * be found to tell, the edit cannot be made faithfully.
   */
  private commentAfterValue(text: string, target: Node, source: SourceNode): { text: string; end: number } | undefined {
    const existing = lineCommentAfter(text, target);
    const from = this.sourceNode(source.side, source.path);
    const proposed = from && lineCommentAfter(from.text, from.node);
    if (!existing || !proposed || sameComment(existing.comment, proposed.comment)) return undefined;
    const taken = { text: existing.separator + spacedAs(proposed.comment, existing.comment), end: existing.end };
    // The existing side left the whole line as the ancestor has it (found by its text: the source's path may
    // name another node in the ancestor, where elements were inserted before it).
    if (this.isAncestorLine(text, target.offset)) return taken;
    const inAncestor = this.sourceNode('ancestor', source.path);
    const ancestor = inAncestor && lineCommentAfter(inAncestor.text, inAncestor.node);
    if (sameComment(ancestor?.comment, existing.comment)) return taken;
    // The existing side changed the value too: a conflict's value, written as the source side wrote its line.
    const valueText = (of: string, node: Node) => of.slice(node.offset, node.offset + node.length);
    if (ancestor && valueText(inAncestor.text, inAncestor.node) !== valueText(text, target)) return { text: existing.separator + proposed.comment, end: existing.end };
    if (sameComment(ancestor?.comment, proposed.comment)) return undefined;
    throw new UnsupportedEdit(`the existing side changed the line of the value at ${formatJsonPath(source.path)} and the other side its comment, and the ancestor's line cannot be found to tell which comment goes`);
  }

  /** Whether the ancestor has the line holding `offset` of `text`, as it is there (blanks around it aside). */
  private isAncestorLine(text: string, offset: number): boolean {
    if (!this.ancestorLines) this.ancestorLines = new Set(this.sideTexts.ancestor.split(/\r?\n/).map(line => line.trim()));
    const end = text.indexOf('\n', offset);
    return this.ancestorLines.has(text.slice(lineStart(text, offset), end < 0 ? text.length : end).trim());
  }

  private parse(text: string): Node {
    this.budget?.charge(text);
    return parseJsonTree(text);
  }

  /**
   * A source side's snippet moved from the indentation `from` of its line there to `to`, in the existing
   * file's line ends; re-nested in its indent unit when the source side uses another (tabs for spaces,
   * four spaces for two).
   */
  private moved(side: DocumentSide, snippet: string, from: string, to: string): string {
    // In the existing file's line ends: JSON strings hold no line breaks, so this changes no value.
    snippet = snippet.replace(/\r?\n/g, this.eol);
    // A project whose formatter took the trailing commas out (prettier's JSON) gets none with the blueprint's text.
    if (side !== 'existing' && !this.trailingCommas) snippet = withoutTrailingCommas(snippet);
    const unit = this.unitOf('existing');
    const sourceUnit = this.unitOf(side);
    if (unit !== undefined && sourceUnit !== undefined && unit !== sourceUnit) {
      // For the same reason, a line's leading blanks are never part of a value.
      const renested = renest(snippet, from, to, unit);
      if (renested !== undefined) return renested;
    }
    return reindent(snippet, from, to);
  }

  /** Whether the existing text writes a comma after the last member or element of some object or array. */
  private get trailingCommas(): boolean {
    this.existingTrailingCommas ??= trailingCommaOffsets(this.sideTexts.existing).length > 0;
    return this.existingTrailingCommas;
  }

  private unitOf(side: DocumentSide): string | undefined {
    if (!(side in this.units)) this.units[side] = indentUnitOf(this.sideTexts[side]);
    return this.units[side];
  }

  /**
   * Whether the comment lines right above member `index` of `parent`, which is to be removed, stay: the proposed side
   * has no such member and has those very lines right above the member that follows it here (`// Download URLs` over
   * the first of the URLs, which that side removed). They head what follows, not the member alone; removed with it,
   * they would be a change neither side made.
   */
  private headingKept(text: string, parent: Node, index: number, path: readonly (string | number)[]): boolean {
    const children = parent.children ?? [];
    const next = children[index + 1];
    if (parent.type !== 'object' || !next) return false;
    const own = lineStart(text, children[index].offset);
    const above = commentLinesAbove(text, parent, index);
    if (above === own) return false;
    const proposed = this.sourceNode('proposed', path.slice(0, -1));
    if (proposed?.node.type !== 'object') return false;
    const keyOf = (property: Node): unknown => property.children?.[0]?.value;
    const members = proposed.node.children ?? [];
    const following = members.findIndex(member => keyOf(member) === keyOf(next));
    if (following < 0 || members.some(member => keyOf(member) === path[path.length - 1])) return false;
    const kept = commentLinesAbove(proposed.text, proposed.node, following);
    return sameCommentLines(text.slice(above, own), proposed.text.slice(kept, lineStart(proposed.text, members[following].offset)));
  }

  /** A side's node at `path`, with that side's text (undefined: it has none there). */
  private sourceNode(side: DocumentSide, path: readonly (string | number)[]): { text: string; node: Node } | undefined {
    let source = this.sources[side];
    if (!source) {
      source = { text: this.sideTexts[side], root: this.parse(this.sideTexts[side]) };
      this.sources[side] = source;
    }
    const node = nodeAt(source.root, path);
    return node && { text: source.text, node };
  }

  /** The source node's text, the indentation of the line it starts on, and its key's text when it is a member's value. */
  private sourceText(side: DocumentSide, path: readonly (string | number)[]): { snippet: string; indent: string; key?: string } {
    const found = this.sourceNode(side, path);
    if (!found) throw new UnsupportedEdit(`no node at ${JSON.stringify(path)} in the ${side} side`);
    const { node, text } = found;
    const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return {
      snippet: text.slice(node.offset, node.offset + node.length),
      indent: indentAt(text, node.offset),
      ...(keyNode ? { key: text.slice(keyNode.offset, keyNode.offset + keyNode.length) } : {}),
    };
  }
}

/**
 * What follows a one-line value to the end of its line, when that is only its separator and a comment (`//`, or a
 * block comment on the line, as `tsc --init` writes them):
 * the separator (`,` and blanks), the comment with the blanks before it (`''`: none), and where it ends
 * (before the line break). Undefined when anything else follows on the line (another member of a one-line object),
 * and, unless `multiLine`, after a value written on several lines.
 * A block comment between the value and its comma (before the comma, on the value's line) is the value's too (`beforeComma`):
 * the separator is then `''` and it ends before the comma, which stays where it is.
 */
function lineCommentAfter(text: string, node: Node, multiLine = false): { separator: string; comment: string; end: number; beforeComma?: boolean } | undefined {
  const end = node.offset + node.length;
  if (!multiLine && text.slice(node.offset, end).includes('\n')) return undefined;
  const newline = text.indexOf('\n', end);
  const rest = text.slice(end, newline < 0 ? text.length : newline).replace(/\r$/, '');
  const beforeComma = /^([ \t]*\/\*(?:(?!\*\/).)*\*\/)[ \t]*,[ \t]*$/.exec(rest);
  if (beforeComma) return { separator: '', comment: beforeComma[1], end: end + beforeComma[1].length, beforeComma: true };
  const match = /^([ \t]*,?)([ \t]*(?:\/\/.*|\/\*(?:(?!\*\/).)*\*\/[ \t]*))?$/.exec(rest);
  if (!match) return undefined;
  // Without a comma, the blanks before a comment are the comment's (`"v" // note` is spaced as `"v", // note`).
  const [separator, comment] = match[1].includes(',') || !match[2] ? [match[1], match[2] ?? ''] : ['', match[1] + match[2]];
  return { separator, comment, end: end + separator.length + comment.length };
}

/** Where the commas after the last member or element of an object or array are (JSONC allows them). */
function trailingCommaOffsets(text: string): number[] {
  const scanner = createScanner(text, false);
  const offsets: number[] = [];
  let comma: number | undefined;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.Trivia || token === SyntaxKind.LineBreakTrivia || token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) continue;
    if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && comma !== undefined) offsets.push(comma);
    comma = token === SyntaxKind.CommaToken ? scanner.getTokenOffset() : undefined;
  }
  return offsets;
}

/** `snippet` (a value's JSON text) without the commas after the last member or element of its objects and arrays. */
function withoutTrailingCommas(snippet: string): string {
  for (const offset of trailingCommaOffsets(snippet).reverse()) snippet = snippet.slice(0, offset) + snippet.slice(offset + 1);
  return snippet;
}

/**
 * Whether an object or array is written on one line (`{"a": 1, "b": 2}`), which an edit keeps so. An empty
 * one is not: it has no layout of its own to keep.
 */
function isOneLine(text: string, container: Node): boolean {
  return (container.children?.length ?? 0) > 0 && !text.slice(container.offset, container.offset + container.length).includes('\n');
}

/** The keys of an object's members, in order. */
function memberKeys(object: Node): string[] {
  return (object.children ?? []).map(property => property.children?.[0]?.value as string);
}

/**
 * `text` with a value (an element's text, or a member's value with its `key` text) inserted as child `index`
 * of a one-line object or array, separated from its neighbours as the existing children are from each other.
 */
function insertInline(text: string, container: Node, index: number, value: string, key: string | undefined): string {
  if (value.includes('\n')) throw new UnsupportedEdit('a multi-line value into a one-line object or array');
  const children = container.children!;
  const first = children[0];
  // The file's own spacing: after a comma (from the first two children, else from those of the nearest
  // one-line object or array holding this one: a minified file has no blank after its commas), and after a key's colon.
  const compact = /^:\S/.test(text.slice(first.offset + (first.children?.[0]?.length ?? 0)));
  const separator = children.length > 1 ? text.slice(first.offset + first.length, children[1].offset) : enclosingSeparator(text, container) ?? (compact ? ',' : ', ');
  if (!/^\s*,\s*$/.test(separator)) throw new UnsupportedEdit('a one-line object or array with comments between its members');
  let member = value;
  if (key !== undefined) {
    const colon = first.type === 'property' && first.children?.length === 2
      ? text.slice(first.children[0].offset + first.children[0].length, first.children[1].offset) : ': ';
    member = key + (/^\s*:\s*$/.test(colon) ? colon : ': ') + value;
  }
  if (index < children.length) {
    const at = children[index].offset;
    return text.slice(0, at) + member + separator + text.slice(at);
  }
  const last = children[children.length - 1];
  const at = last.offset + last.length;
  return text.slice(0, at) + separator + member + text.slice(at);
}

/** The separator between the first two children of the nearest one-line object or array holding `node`, if any. */
function enclosingSeparator(text: string, node: Node): string | undefined {
  for (let outer = node.parent; outer; outer = outer.parent) {
    if (outer.type !== 'object' && outer.type !== 'array') continue;
    if (!isOneLine(text, outer)) return undefined;
    const [first, second] = outer.children!;
    if (!second) continue;
    const separator = text.slice(first.offset + first.length, second.offset);
    return /^\s*,\s*$/.test(separator) ? separator : undefined;
  }
  return undefined;
}

/**
 * Removes a member or element: its own lines with the comments above it ({@link deleteOwnLines}; not those that
 * `headingKept`), or, where it
 * shares a line with a sibling, its text with the separator before it (after it, for the first): the text
 * between the previous sibling and the next one is kept as it was. (jsonc-parser's own removal misplaces the
 * range when the last element shares its line with the one before.)
 */
function deleteNode(text: string, root: Node, path: readonly (string | number)[], headingKept: (parent: Node, index: number) => boolean): string {
  const found = findNodeAtLocation(root, [...path]);
  if (!found) throw new UnsupportedEdit(`nothing to delete at ${JSON.stringify(path)}`);
  const node = found.parent?.type === 'property' ? found.parent : found;
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  if (index < 0) throw new UnsupportedEdit('the root cannot be deleted');
  const byLines = deleteOwnLines(text, node.parent!, index, headingKept(node.parent!, index));
  if (byLines !== undefined) return byLines;
  const end = node.offset + node.length;
  if (index > 0) {
    const previous = siblings[index - 1];
    // What follows it up to the next sibling (or the closing bracket) stays, and would then follow the
    // sibling before: a comment there is about the removed member, and would be read as about that one.
    const next = siblings[index + 1];
    const after = text.slice(end, next ? next.offset : node.parent!.offset + node.parent!.length - 1);
    if (/\/[/*]/.test(after)) throw new UnsupportedEdit('a removed member or element is followed by a comment that would move to the one before it');
    return text.slice(0, previous.offset + previous.length) + text.slice(end);
  }
  const next = siblings[index + 1];
  return text.slice(0, node.offset) + text.slice(next ? next.offset : end);
}

/** {@link insertOnOwnLine} for a new member or element at `path`: undefined where jsonc-parser is to place it. */
function onOwnLine(text: string, root: Node, path: readonly (string | number)[], keysBefore: readonly string[], value: string): string | undefined {
  const parent = findNodeAtLocation(root, [...path.slice(0, -1)]);
  const last = path[path.length - 1];
  if (parent?.type === 'object' && typeof last === 'string') {
    const keys = (parent.children ?? []).map(property => property.children?.[0]?.value as string);
    return insertOnOwnLine(text, parent, insertionIndex(keys, keysBefore, path), `${JSON.stringify(last)}: ${value}`);
  }
  if (parent?.type === 'array' && typeof last === 'number') return insertOnOwnLine(text, parent, last, value);
  return undefined;
}

/**
 * The new member at `path` at its place in a sorted dependency list ({@link sortedInsertionIndex}); else after
 * the nearest key that precedes it in its source and is present here; first if none preceded it.
 */
function insertionIndex(properties: string[], keysBefore: readonly string[], path: readonly (string | number)[]): number {
  const sorted = sortedInsertionIndex(path.slice(0, -1), properties, String(path[path.length - 1]));
  if (sorted !== undefined) return sorted;
  for (const key of keysBefore) {
    const index = properties.indexOf(key);
    if (index >= 0) return index + 1;
  }
  return keysBefore.length === 0 ? 0 : properties.length;
}

/** The existing file's indentation (else the first of `others` that has one) and line ends, for the lines jsonc-parser adds. */
function formattingOf(text: string, others: readonly string[] = []): FormattingOptions {
  const unit = [text, ...others].map(side => /\n([ \t]+)\S/.exec(side)?.[1]).find(found => found !== undefined) ?? '  ';
  return {
    insertSpaces: !unit.startsWith('\t'),
    tabSize: unit.startsWith('\t') ? 1 : unit.length,
    eol: eolOf(text),
    insertFinalNewline: false,
    keepLines: true,
  };
}
