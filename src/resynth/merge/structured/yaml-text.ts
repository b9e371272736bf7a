/**
 * YAML as text to edit. The `yaml` package parses each version with source ranges; edits are made
 * on the text, line by line for block collections (a member or item is the lines from its key or
 * dash to the end of its value, and, when it is removed or inserted, the comment lines right above
 * it, which are about it), in place for scalars and flow collections, so comments, quoting, anchors
 * and the layout of everything else stay as the existing file has them.
 */
import { Alias, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Node, Pair, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { DocumentEdit, DocumentSide } from './edits';
import { formatJsonPath, JsonPath } from './json-path';
import { DuplicateKey, UnparseableDocument } from './json-text';
import { indentUnitOf, renest } from './indentation';
import { eolOf, lineEnd, lineStart, reindent, sameComment, sameCommentLines, spacedAs, UnsupportedEdit } from './text-lines';
import { isRecord, recordKeyOrder, sameValue } from './values';
import { linePlace } from '../../../text-position';
import { StructureWorkBudget } from './work-bound';

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/**
 * Parses a YAML text, refusing errors and values a key-wise merge cannot represent. A text of several
 * documents (Kubernetes manifests separated by `---`) is a stream: its value is the array of the documents'
 * values ({@link isYamlStream}), and its node a block sequence of their contents, so that a path's first
 * index names a document and edits inside one document are made as in a file of its own.
 */
export function parseYamlDocument(text: string): { contents: Node | null; value: unknown } {
  // Duplicate keys are looked for here, not by the parser: its check compares each key with every key
  // before it, so a mapping of 20,000 keys took seconds to parse.
  const documents = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false });
  if (!Array.isArray(documents) || documents.length === 0) throw new UnparseableDocument('no YAML document');
  const parsed = documents.map(document => {
    const error = document.errors[0];
    if (error) throw new UnparseableDocument(error.message.split('\n')[0]);
    const contents = document.contents as Node | null;
    checkKeys(text, contents);
    let plain: unknown;
    try {
      plain = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // An alias with no anchor before it (`*db` above `&db`, or its anchor gone), or aliases that would expand
      // past the bound: the text has no value to merge, as with a syntax error.
      throw new UnparseableDocument((error as Error).message.split('\n')[0]);
    }
    const value = withScalarTags(contents, plain, document);
    recordYamlKeyOrder(contents, value);
    return { contents, value };
  });
  if (parsed.length === 1) return parsed[0];
  const stream = new YAMLSeq<unknown>();
  stream.items = parsed.map(document => document.contents);
  stream.range = [0, text.length, text.length];
  streamDocuments.set(stream, documents.map(document => ({ start: document.range[0], end: document.range[2], marked: document.directives?.docStart === true })));
  const value = parsed.map(document => document.value);
  streamValues.add(value);
  return { contents: stream, value };
}

/**
 * The nodes {@link parseYamlDocument} made for texts of several documents, with each document's text: from
 * its `---` marker (`marked`: it has one; the first document may not) to the end of its last line, trailing
 * comments included; and the values it made for them.
 */
const streamDocuments = new WeakMap<object, readonly { readonly start: number; readonly end: number; readonly marked: boolean }[]>();
const streamValues = new WeakSet<object>();

/**
 * Whether a parsed value is the documents of a text of several (not one document that is a sequence): a
 * side that has one document where another has several is not the same shape, whatever the values say.
 */
export function isYamlStream(value: unknown): boolean {
  return typeof value === 'object' && value !== null && streamValues.has(value);
}

/**
 * Refuses a mapping that holds a key twice: two keys that become the same key of the parsed value (the
 * parser's `uniqueKeys` check, and also `1` beside `"1"`, which it lets through). A Set per mapping, so it is linear.
 * Refuses as well a key that is itself a mapping or a sequence: the parsed value holds it only as its text
 * (and the parser prints a warning to the process's stderr for each, in `git merge`'s output through the merge
 * driver). A Helm or Go template's `{{ include "x" . }}` reads as such a key, and a template is no YAML to
 * merge by its values.
 */
function checkKeys(text: string, node: unknown): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key;
      if (isCollection(key)) {
        const offset = key.range?.[0];
        throw new UnparseableDocument(`a key that is a ${isMap(key) ? 'mapping' : 'sequence'}${offset === undefined ? '' : ` at ${linePlace(text, offset)}`}, as a template's {{ ... }} reads`);
      }
      // As the key the parsed value gets: `1` and `"1"` both become "1", and the later would replace the earlier.
      const identity = isScalar(key) ? String(key.value) : String(key);
      if (seen.has(identity)) {
        const offset = (key as Node | null)?.range?.[0];
        throw new DuplicateKey(`duplicate key ${JSON.stringify(identity)}${offset === undefined ? '' : ` at ${linePlace(text, offset)}`}`);
      }
      seen.add(identity);
      checkKeys(text, pair.value);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) checkKeys(text, item);
  }
}

/**
 * `value` with each scalar that has a tag of the file's own (`!Ref Bucket`, `!GetAtt Bucket.Arn`; a tag a
 * parser does not know is read as plain text) as a string that holds the tag too, so that the merge of
 * values sees a tag changed as a value changed, and the check of an edited text sees a tag lost. The
 * string starts with a NUL, which no YAML plain or quoted scalar holds unescaped. (Tags on collections,
 * `!Sub [..]`, are not in the value: a conflict hunk that differs in them keeps git's result, see
 * `value-blind-spots.ts`.)
 */
function withScalarTags(node: unknown, value: unknown, document: Parameters<Alias['resolve']>[0]): unknown {
  if (isAlias(node)) {
    // An alias's value is a copy for a scalar (and the anchored object itself for a collection, already done).
    const target = node.resolve(document);
    return isScalar(target) ? withScalarTags(target, value, document) : value;
  }
  if (isScalar(node)) return node.tag?.startsWith('!') ? `\u0000${node.tag}\u0000${typeof value === 'string' ? value : `\u0001${JSON.stringify(value)}`}` : value;
  if (isSeq(node) && Array.isArray(value)) {
    node.items.forEach((item, i) => { value[i] = withScalarTags(item, value[i], document); });
  } else if (isMap(node) && isRecord(value)) {
    for (const pair of node.items) {
      const key = keyText(pair as Pair);
      if (key !== undefined && Object.prototype.hasOwnProperty.call(value, key)) value[key] = withScalarTags(pair.value, value[key], document);
    }
  }
  return value;
}

/** Records the order the text writes each mapping's keys in ({@link recordKeyOrder}). */
function recordYamlKeyOrder(node: Node | null, value: unknown): void {
  if (isSeq(node) && Array.isArray(value)) node.items.forEach((item, i) => recordYamlKeyOrder(item as Node, value[i]));
  if (!isMap(node) || !isRecord(value)) return;
  const keys: string[] = [];
  for (const pair of node.items) {
    const key = keyText(pair as Pair);
    if (key === undefined) return;
    keys.push(key);
    recordYamlKeyOrder(pair.value as Node | null, value[key]);
  }
  recordKeyOrder(value, keys);
}

/** Applies {@link DocumentEdit}s to YAML text, copying nodes from the sides' texts. */
export class YamlTextEditor {
  private readonly sources: Partial<Record<DocumentSide, Node | null>> = {};
  private readonly units: Partial<Record<DocumentSide, string | undefined>> = {};
  private ancestorLines?: Set<string>;

  /** `budget` counts every parse the editor makes (none when omitted). */
  constructor(private readonly sideTexts: Readonly<Record<DocumentSide, string>>, private readonly budget?: StructureWorkBudget) {}

  /**
   * `text` with the edits made in order. Each edit parses the text again (the `yaml` package's nodes do not
   * follow an edit of the text), so the work grows with the text's size times the edits: the budget bounds it.
   */
  public applyAll(text: string, edits: readonly DocumentEdit[]): string {
    for (const edit of edits) text = this.apply(text, edit);
    return text;
  }

  /** `text` with one edit made. */
  public apply(text: string, edit: DocumentEdit): string {
    const root = this.parse(text).contents;
    if (edit.path.length === 0) {
      if (edit.kind !== 'set') throw new UnsupportedEdit('only a set can replace the whole document');
      return this.sideTexts[edit.source.side];
    }
    // Under an alias the value is the anchored node's: the same change, at the anchored node's own path, is
    // among the edits (a side that changed the anchored node changed what every alias reads). Where it is
    // not, the edited text's value differs from the merged value, and the check of it leaves git's result.
    if (throughYamlAlias(root, edit.path)) return text;
    const parent = nodeAt(root, edit.path.slice(0, -1));
    if (!isCollection(parent)) throw new UnsupportedEdit('the parent of the edit is not a collection');
    const key = edit.path[edit.path.length - 1];
    const entry = entryOf(parent, key);
    if (streamDocuments.has(parent)) return this.editDocument(text, parent, edit, entry);
    if (edit.kind === 'delete') {
      if (!entry) throw new UnsupportedEdit('nothing to delete');
      if (parent.flow) return deleteFromFlow(text, parent, entry);
      // The comment lines above the entry are about it, and those indented deeper after it end its block: they go with
      // it; unless the side that removed it kept them, above the entry that followed it (a section's heading).
      const own = blockRegion(text, entry);
      const lines = this.commentsKept(text, parent, entry, edit.path) ? own : withLeadingComments(text, own);
      const region = { start: lines.start, end: pastBlockComments(text, lines.end, text.slice(lines.start).search(/\S/)) };
      if (parent.items.length > 1) return withoutEntry(text, region, parent.items[parent.items.length - 1] === entry);
      // The last entry: a block collection cannot be empty (it would read as null), so it becomes `{}` or `[]`.
      // It goes on the line before (the key's), whose line break goes; the entry's own line break, if any, stays.
      const empty = isSeq(parent) ? '[]' : '{}';
      const ending = lineBreakAtEnd(text.slice(region.start, region.end));
      if (region.start === 0) return empty + ending + text.slice(region.end);
      const before = text.slice(0, region.start);
      return before.slice(0, before.length - lineBreakAtEnd(before).length) + ` ${empty}` + ending + text.slice(region.end);
    }
    const source = this.sourceEntry(edit.source.side, edit.source.path);
    if (edit.kind === 'set' && entry) {
      const comment = this.commentAfterValue(text, entry, source, edit.source.path);
      const quoted = this.inExistingQuoting(text, entry, source, edit.source.path, Boolean(parent.flow));
      return replaceValue(text, parent, entry, { text: this.sideTexts[source.side], entry: source.entry }, (lines, column) => this.moved(source.side, lines, column), comment, quoted);
    }
    if (parent.flow) return addToFlow(text, parent, edit, { text: this.sideTexts[source.side], entry: source.entry });
    // From a flow collection of the source (`branches: [main, develop]`) into a block one the existing side wrote
    // for it (a formatter's `- main`): the entry's text as a block entry of its own line.
    const sourceParent = nodeAt(this.sources[source.side]!, edit.source.path.slice(0, -1));
    if (isCollection(sourceParent) && sourceParent.flow) return addFromFlow(text, parent, edit, { text: this.sideTexts[source.side], entry: source.entry });
    // A new member or item: the source's lines, with the comment lines above it there (they are about it),
    // and the blocks of comments of that side's own between it and the entry before, moved to this collection's column.
    const sourceText = this.sideTexts[source.side];
    const sourceEntry = blockRegion(sourceText, source.entry);
    const attached = withLeadingComments(sourceText, sourceEntry);
    const leading = withNewCommentBlocks(sourceText, attached, [this.sideTexts.ancestor, text]);
    let from = leading.start;
    // Above the entry that follows, and the comment lines about it; unless the source has those very lines
    // above the new entry (it was put between them and the entry they were about): then after them, as there.
    let at = insertionOffset(text, parent, edit);
    const following = followingComments(text, at);
    if (attached.start < sourceEntry.start && sameCommentLines(sourceText.slice(attached.start, sourceEntry.start), text.slice(at, following))) {
      from = sourceEntry.start;
      at = following;
    }
    const lines = this.moved(source.side, sourceText.slice(from, sourceEntry.end), columnOf(text, parent));
    const eol = eolOf(this.sideTexts.existing);
    const blank = blankLinesAround(text, parent, at, {
      before: isBlankLine(sourceText, lineStart(sourceText, Math.max(0, leading.start - 1))),
      after: isBlankLine(sourceText, sourceEntry.end),
    });
    const [before, after] = [blank.before ? eol : '', blank.after ? eol : ''];
    // After the last line of a file that does not end in a line break: the new lines end it, without one too.
    if (at > 0 && text[at - 1] !== '\n') return text.slice(0, at) + eol + before + withoutLineBreak(lines) + text.slice(at);
    return text.slice(0, at) + before + withoutLineBreak(lines) + eol + after + text.slice(at);
  }

  /**
   * An edit of a whole document of a stream. One replaced by the source's is the text of its contents, from
   * their first line to the end of their last, so its `---` marker and the comments above the contents (its
   * header) stay; one removed goes with its marker; one added is the source document's whole text, given a
   * marker where it had none (the first document), before the marker of the document it is inserted before.
   */
  private editDocument(text: string, stream: Collection, edit: DocumentEdit, entry: Pair | Node | undefined): string {
    const documents = streamDocuments.get(stream)!;
    const index = edit.path[edit.path.length - 1] as number;
    const eol = eolOf(this.sideTexts.existing);
    if (edit.kind === 'delete') {
      if (!documents[index]) throw new UnsupportedEdit('no YAML document to remove');
      return text.slice(0, documents[index].start) + text.slice(documents[index].end);
    }
    const source = this.sourceEntry(edit.source.side, edit.source.path);
    const sourceText = this.sideTexts[source.side];
    if (edit.kind === 'set') {
      if (!entry) throw new UnsupportedEdit('no YAML document to replace');
      const [start, end] = rangeOf(entry);
      const [sourceStart, sourceEnd] = rangeOf(source.entry);
      const lines = sourceText.slice(sourceStart, sourceEnd).replace(/\r?\n/g, eol);
      // The document's own line break (none at the end of a file without a final one) stays as it was.
      return text.slice(0, start) + withoutLineBreak(lines) + lineBreakAtEnd(text.slice(start, end)) + text.slice(end);
    }
    const from = streamDocuments.get(this.sources[source.side] as object)?.[edit.source.path[edit.source.path.length - 1] as number];
    if (!from) throw new UnsupportedEdit('a YAML document added from a side of one document');
    const lines = withoutLineBreak((from.marked ? '' : `---${eol}`) + sourceText.slice(from.start, from.end).replace(/\r?\n/g, eol));
    if (index < documents.length) {
      // Before a document without a marker (the first), the two would run together as one.
      if (!documents[index].marked) throw new UnsupportedEdit('a YAML document added before the first, which has no `---`');
      return text.slice(0, documents[index].start) + lines + eol + text.slice(documents[index].start);
    }
    // At the end: a file that does not end in a line break still does not.
    return /\n$/.test(text) ? text + lines + eol : text + eol + lines;
  }

  /**
   * A source side's lines of one entry moved to `column`; re-nested in the existing file's indent width
   * when the source side uses another, unless that would change what they parse to.
   */
  private moved(side: DocumentSide, lines: string, column: number): string {
    // In the existing file's line ends (YAML reads any line break in a scalar as `\n`, so the value is the same).
    lines = lines.replace(/\r?\n/g, eolOf(this.sideTexts.existing));
    const from = ' '.repeat(lines.search(/\S/));
    const to = ' '.repeat(column);
    const shifted = to + reindent(lines, from, to).trimStart();
    const unit = this.unitOf('existing');
    const sourceUnit = this.unitOf(side);
    if (unit === undefined || sourceUnit === undefined || unit === sourceUnit) return shifted;
    const renested = renest(lines, from, to, unit, true);
    if (renested === undefined) return shifted;
    const candidate = to + renested.trimStart();
    return sameFragment(candidate, shifted) ? candidate : shifted;
  }

  /**
   * The comment to end the line of a one-line value replaced by the source's: a comment at the end of a
   * value's line is about that value (a pinned action's `@<sha> # v6.4.0`), so where the source side changed
   * it and the existing side did not, the source's comes with its value, and so it does where the existing
   * side changed the value too (a conflict's side, or a policy's choice, is that side's line as written);
   * where only the existing side changed it, the existing one stays. Where the ancestor's cannot be found to
   * tell, the edit cannot be made faithfully. Undefined: the line's end stays as it is.
   */
  private commentAfterValue(text: string, entry: Pair | Node, source: { side: DocumentSide; entry: Pair | Node }, path: JsonPath): string | undefined {
    const value = valueOf(entry);
    const sourceValue = valueOf(source.entry);
    if (!value || !sourceValue || !isInline(text, value) || !isInline(this.sideTexts[source.side], sourceValue)) return undefined;
    const existing = inlineValue(text, value).comment;
    const written = inlineValue(this.sideTexts[source.side], sourceValue).comment;
    if (sameComment(existing, written)) return undefined;
    const proposed = spacedAs(written, existing);
    // The existing side left the whole line as the ancestor has it (found by its text: the source's path may
    // name another node in the ancestor, where elements were inserted before it).
    if (this.isAncestorLine(text, value)) return proposed;
    let ancestor: { value: string; comment: string } | undefined;
    try {
      const ancestorValue = valueOf(this.sourceEntry('ancestor', path).entry);
      if (ancestorValue && isInline(this.sideTexts.ancestor, ancestorValue)) ancestor = inlineValue(this.sideTexts.ancestor, ancestorValue);
    } catch (error) {
      if (!(error instanceof UnsupportedEdit)) throw error;
    }
    if (sameComment(ancestor?.comment, existing)) return proposed;
    // The existing side changed the value too: a conflict's value, written as the source side wrote its line.
    if (ancestor && ancestor.value !== inlineValue(text, value).value) return written;
    if (sameComment(ancestor?.comment, written)) return undefined;
    throw new UnsupportedEdit(`the existing side changed the line of the value at ${formatJsonPath(path)} and the other side its comment, and the ancestor's line cannot be found to tell which comment goes`);
  }

  /**
   * The source side's new string written in the existing side's quoting, where the existing side changed only
   * how the string was quoted (a formatter: prettier's `singleQuote`, yamllint's `quoted-strings`) and the
   * source side only what it says, still quoted as the ancestor was: each side's change is kept, as the line
   * merge would keep two changes of different lines. Undefined: the source's text as written (a string the
   * existing quoting cannot hold as the same value, a tag, a conflict, whose side is shown as it wrote it).
   */
  private inExistingQuoting(text: string, entry: Pair | Node, source: { side: DocumentSide; entry: Pair | Node }, path: JsonPath, inFlow: boolean): string | undefined {
    const value = valueOf(entry);
    const sourceValue = valueOf(source.entry);
    if (!isPlainString(value) || !isPlainString(sourceValue) || value.type === sourceValue.type) return undefined;
    if (!isInline(text, value) || !isInline(this.sideTexts[source.side], sourceValue)) return undefined;
    let ancestor: Node | undefined;
    try {
      ancestor = valueOf(this.sourceEntry('ancestor', path).entry);
    } catch (error) {
      if (!(error instanceof UnsupportedEdit)) throw error;
    }
    if (!isPlainString(ancestor) || ancestor.type !== sourceValue.type || ancestor.value !== value.value) return undefined;
    const string = sourceValue.value;
    let written: string;
    if (value.type === 'QUOTE_SINGLE') written = `'${string.replace(/'/g, "''")}'`;
    else if (value.type === 'QUOTE_DOUBLE') written = JSON.stringify(string);
    else if (inFlow) return undefined;
    else written = string;
    // A plain scalar can read as another value (`yes`, `1.0`, `a: b`), and any line break or control character
    // is left as the source wrote it: the string is used only where it reads back as itself.
    if (/[\u0000-\u001f\u007f]/.test(string)) return undefined;
    try {
      // A string of one line: parsed outside the budget, which counts the work on the file.
      const read = parseYamlDocument(written).contents;
      return isScalar(read) && !read.tag && read.value === string ? written : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether the ancestor has the line that `node` is on in `text`, as it is there (blanks around it aside). */
  private isAncestorLine(text: string, node: Node): boolean {
    if (!this.ancestorLines) this.ancestorLines = new Set(this.sideTexts.ancestor.split(/\r?\n/).map(line => line.trim()));
    const start = rangeOf(node)[0];
    return this.ancestorLines.has(text.slice(lineStart(text, start), lineEnd(text, start)).trim());
  }

  private parse(text: string): ReturnType<typeof parseYamlDocument> {
    this.budget?.charge(text);
    return parseYamlDocument(text);
  }

  private unitOf(side: DocumentSide): string | undefined {
    if (!(side in this.units)) this.units[side] = indentUnitOf(this.sideTexts[side]);
    return this.units[side];
  }

  /**
   * Whether the comment lines right above a mapping's member that is to be removed stay: the proposed side has no such
   * member and has those very lines right above the member that follows it here (`# Download URLs` over the first of
   * the URLs, which that side removed). They head what follows, not the member alone; removed with it, they would
   * be a change neither side made.
   */
  private commentsKept(text: string, parent: Collection, entry: Pair | Node, path: JsonPath): boolean {
    const index = parent.items.indexOf(entry as never);
    const next = parent.items[index + 1];
    if (!isMap(parent) || !isPair(entry) || !isPair(next)) return false;
    const own = blockRegion(text, entry);
    const above = withLeadingComments(text, own);
    if (above.start === own.start) return false;
    if (!('proposed' in this.sources)) this.sources.proposed = this.parse(this.sideTexts.proposed).contents;
    const proposedParent = nodeAt(this.sources.proposed!, path.slice(0, -1));
    const key = keyText(next);
    if (!isMap(proposedParent) || key === undefined || entryOf(proposedParent, path[path.length - 1])) return false;
    const following = entryOf(proposedParent, key);
    if (!following) return false;
    const proposedText = this.sideTexts.proposed;
    const start = lineStart(proposedText, rangeOf((following as Pair).key)[0]);
    const kept = withLeadingComments(proposedText, { start, end: start });
    return sameCommentLines(text.slice(above.start, own.start), proposedText.slice(kept.start, start));
  }

  private sourceEntry(side: DocumentSide, path: JsonPath): { side: DocumentSide; entry: Pair | Node } {
    if (!(side in this.sources)) this.sources[side] = this.parse(this.sideTexts[side]).contents;
    const parent = nodeAt(this.sources[side]!, path.slice(0, -1));
    const entry = isCollection(parent) ? entryOf(parent, path[path.length - 1]) : undefined;
    if (!entry) throw new UnsupportedEdit(`no node at ${JSON.stringify(path)} in the ${side} side`);
    return { side, entry };
  }
}

/**
 * `text` without an entry's lines (`region`) of a collection that keeps others. A blank line that set the
 * entry apart goes with it, so that none is left doubled or dangling: one below it where there is one
 * above too, or for the collection's last entry the one above it.
 */
function withoutEntry(text: string, region: { start: number; end: number }, isLast: boolean): string {
  let { start, end } = region;
  const blankAbove = start > 0 && isBlankLine(text, lineStart(text, start - 1));
  // A block scalar's region ends in the blank lines after it: those already go.
  const endsBlank = end > start && isBlankLine(text, lineStart(text, end - 1));
  const blankBelow = !endsBlank && isBlankLine(text, end);
  if (blankAbove && blankBelow) end = lineEnd(text, end);
  else if (blankAbove && isLast && !endsBlank) start = lineStart(text, start - 1);
  // The last line of a file that does not end in a line break: the line left last does not end in one either.
  if (end === text.length && lineBreakAtEnd(text) === '') return withoutLineBreak(text.slice(0, start));
  return text.slice(0, start) + text.slice(end);
}

/** The line break a text ends with (`''` when none). */
function lineBreakAtEnd(text: string): string {
  return /\r?\n$/.exec(text)?.[0] ?? '';
}

function withoutLineBreak(text: string): string {
  return text.slice(0, text.length - lineBreakAtEnd(text).length);
}

/** Whether two fragments of YAML lines parse alike (false when either does not parse alone, as an alias to an anchor elsewhere does not). */
function sameFragment(a: string, b: string): boolean {
  try {
    return sameValue(parseYamlDocument(a).value, parseYamlDocument(b).value);
  } catch {
    return false;
  }
}

/**
 * Whether the way to the node at `path` passes through an alias (`<<: *common`, then a key of it): the
 * parsed value holds the anchored node's content there too, but in the text it is the anchored node's.
 */
export function throughYamlAlias(root: Node | null, path: JsonPath): boolean {
  let node: unknown = root;
  for (const key of path) {
    if (isAlias(node)) return true;
    node = childNode(node, key);
  }
  return false;
}

/**
 * The path of the node an alias at `path` reads (the last node anchored with its name before it), when the
 * node at `path` is an alias (`image: *node`); undefined otherwise.
 */
export function anchorPathOf(root: Node | null, path: JsonPath): JsonPath | undefined {
  const node = path.reduce<unknown>(childNode, root);
  if (!isAlias(node)) return undefined;
  const alias = node;
  let found: JsonPath | undefined;
  const visit = (at: unknown, where: JsonPath): void => {
    const start = (at as Node | null)?.range?.[0];
    if (start === undefined || start >= rangeOf(alias)[0]) return;
    if ((at as Node).anchor === alias.source) found = where;
    if (isMap(at)) for (const pair of at.items) { const key = keyText(pair as Pair); if (key !== undefined) visit(pair.value, [...where, key]); }
    else if (isSeq(at)) at.items.forEach((item, i) => visit(item, [...where, i]));
  };
  visit(root, []);
  return found;
}

/** Where the node at `path` of a parsed document starts in its text; undefined when it has none there. */
export function yamlOffsetAt(root: Node | null, path: JsonPath): number | undefined {
  return nodeAt(root, path)?.range?.[0];
}

/** The node at `path` (aliases are not followed: an edit through one would change what else refers to it). */
function nodeAt(root: Node | null, path: JsonPath): Node | null {
  let node: Node | null = root;
  for (const key of path) {
    const next = childNode(node, key);
    if (next === undefined || next === null || isAlias(next)) return null;
    node = next as Node;
  }
  return node;
}

/** The node under `key` of a collection (a mapping's value, a sequence's item); undefined for anything else or a key it lacks. */
function childNode(node: unknown, key: string | number): unknown {
  if (!isCollection(node)) return undefined;
  const entry = entryOf(node, key);
  return entry && isPair(entry) ? entry.value : entry;
}

function entryOf(parent: Collection, key: string | number): Pair | Node | undefined {
  if (isSeq(parent)) return typeof key === 'number' ? (parent.items[key] as Node | undefined) : undefined;
  return (parent as YAMLMap).items.find(pair => keyText(pair) === String(key)) as Pair | undefined;
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String((pair.key as Scalar).value) : undefined;
}

function rangeOf(node: unknown): [number, number, number] {
  const range = (node as Node | null)?.range;
  if (!range) throw new UnsupportedEdit('a node without a source range');
  return range;
}

/** The value of an entry (a pair's value, or the item itself), or undefined for `key:` with nothing after it. */
function valueOf(entry: Pair | Node): Node | undefined {
  const value = isPair(entry) ? entry.value : entry;
  return value === null || value === undefined ? undefined : (value as Node);
}

/**
 * The lines of a block entry: from the start of its line (the key, or the item's dash) to the end of
 * the line where its value ends, comments on that line included. An entry that does not begin its
 * line (a map inside a sequence item, `- key: value`) has no lines of its own, unless `dashed`.
 */
function blockRegion(text: string, entry: Pair | Node, dashed = false): { start: number; end: number } {
  const first = isPair(entry) ? rangeOf(entry.key)[0] : rangeOf(entry)[0];
  const start = lineStart(text, first);
  const before = text.slice(start, first);
  // `dashed`: the caller needs only where the entry ends, so the first key of a map that is a sequence item (`- name: x`) will do.
  const ownLine = isPair(entry) ? (dashed ? /^[ \t]*(-[ \t]+)*$/ : /^[ \t]*$/) : /^[ \t]*-[ \t]+$/;
  if (!ownLine.test(before)) throw new UnsupportedEdit('an entry that shares its line');
  const value = valueOf(entry);
  const last = value ? rangeOf(value)[1] : rangeOf(isPair(entry) ? entry.key : entry)[1];
  const end = last > 0 && text[last - 1] === '\n' ? last : lineEnd(text, last);
  return { start, end };
}

/**
 * Replaces an existing entry's value with the source's: in place for one-line values, else the entry's
 * lines, moved to its column by `move`.
 */
function replaceValue(
  text: string, parent: Collection, entry: Pair | Node, source: { text: string; entry: Pair | Node },
  move: (lines: string, column: number) => string, comment?: string, quoted?: string,
): string {
  const value = valueOf(entry);
  const sourceValue = valueOf(source.entry);
  if (value && sourceValue && isInline(text, value) && isInline(source.text, sourceValue)) {
    const [start, end] = [withTag(text, value), rangeOf(value)[1]];
    const [sourceStart, sourceEnd] = [withTag(source.text, sourceValue), rangeOf(sourceValue)[1]];
    const after = comment === undefined ? end : end + inlineValue(text, value).comment.length;
    const written = quoted ?? source.text.slice(sourceStart, sourceEnd);
    if (start === end) return intoEmptyValue(text, start, written, comment);
    // A value emptied (`key:`, null) leaves no blank after its colon.
    if (written === '') return text.slice(0, start).replace(/[ \t]+$/, '') + (comment ?? '') + text.slice(after);
    return text.slice(0, start) + written + (comment ?? '') + text.slice(after);
  }
  if (parent.flow) throw new UnsupportedEdit('a multi-line value in a flow collection');
  const region = blockRegion(text, entry);
  const sourceRegion = blockRegion(source.text, source.entry);
  let lines = move(source.text.slice(sourceRegion.start, sourceRegion.end), text.slice(region.start, region.end).search(/\S/));
  // The entry's line break (none at the end of a file without a final one) stays as it was.
  lines = withoutLineBreak(lines) + lineBreakAtEnd(text.slice(region.start, region.end));
  return text.slice(0, region.start) + lines + text.slice(region.end);
}

/**
 * `text` with a value written where an empty one (`key:`, null) is: its range is empty, right after the colon or
 * at the comment that ends the line (`key:   # note`), so the value needs a blank before it (`key:true` is one
 * plain scalar) and the comment blanks before it (`true# note` is one too). `comment`: the one to end the line
 * with instead of the line's own.
 */
function intoEmptyValue(text: string, at: number, written: string, comment: string | undefined): string {
  const blanks = /[ \t]*$/.exec(text.slice(0, at))![0];
  const own = /^#[^\r\n]*/.exec(text.slice(at))?.[0] ?? '';
  const head = text.slice(0, at - blanks.length) + (written === '' ? '' : ' ') + written;
  if (comment !== undefined) return head + comment + text.slice(at + own.length);
  return head + (own ? blanks || ' ' : '') + text.slice(at);
}

/**
 * Where a node's text starts with its tag (`!GetAtt Bucket.Arn`; a node's range starts after it), when the
 * tag is written right before it on its line; else where its range starts.
 */
function withTag(text: string, node: Node): number {
  const start = rangeOf(node)[0];
  if (!node.tag) return start;
  const tag = /![^\s]*[ \t]+$/.exec(text.slice(lineStart(text, start), start));
  return tag ? start - tag[0].length : start;
}

/** A string scalar without a tag, written plain, single- or double-quoted (not a block scalar). */
function isPlainString(node: unknown): node is Scalar<string> {
  return isScalar(node) && !node.tag && typeof node.value === 'string' && (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE');
}

/** A one-line value's text (with its tag) and the comment ending its line with the blanks before it (`''`: none), as written. */
function inlineValue(text: string, node: Node): { value: string; comment: string } {
  const end = rangeOf(node)[1];
  const rest = text.slice(end, lineEnd(text, end)).replace(/\r?\n$/, '');
  return { value: text.slice(withTag(text, node), end), comment: /^[ \t]+#.*$/.exec(rest)?.[0] ?? '' };
}

/** A scalar or flow collection written on one line: it can be swapped for another such value in place. */
function isInline(text: string, node: Node): boolean {
  if (!isScalar(node) && !(isCollection(node) && node.flow)) return false;
  const [start, end] = rangeOf(node);
  return !text.slice(start, end).includes('\n');
}

/** A flow entry's text: `key: value` or the item. */
function flowSpan(text: string, entry: Pair | Node): [number, number] {
  const start = isPair(entry) ? rangeOf(entry.key)[0] : withTag(text, entry);
  const value = valueOf(entry);
  return [start, value ? rangeOf(value)[1] : rangeOf(isPair(entry) ? entry.key : entry)[1]];
}

/** Removes an entry of a flow collection with the separator on one side of it. */
function deleteFromFlow(text: string, parent: Collection, entry: Pair | Node): string {
  const items = parent.items as (Pair | Node)[];
  const index = items.indexOf(entry);
  const [start, end] = flowSpan(text, entry);
  if (index + 1 < items.length) return text.slice(0, start) + text.slice(flowSpan(text, items[index + 1])[0]);
  if (index > 0) return text.slice(0, flowSpan(text, items[index - 1])[1]) + text.slice(end);
  return text.slice(0, start) + text.slice(end);
}

/** Adds the source's entry (a one-line text) to a flow collection, separated by `, ` (on a line of its own where the entries have one each). */
function addToFlow(text: string, parent: Collection, edit: DocumentEdit, source: { text: string; entry: Pair | Node }): string {
  const [sourceStart, sourceEnd] = flowSpan(source.text, source.entry);
  const snippet = source.text.slice(sourceStart, sourceEnd);
  if (snippet.includes('\n')) throw new UnsupportedEdit('a multi-line entry for a flow collection');
  const items = parent.items as (Pair | Node)[];
  if (items.length === 0) {
    const open = rangeOf(parent)[0] + 1;
    return text.slice(0, open) + snippet + text.slice(open);
  }
  let before: number | undefined;
  if (isSeq(parent)) {
    const index = edit.path[edit.path.length - 1] as number;
    if (index < items.length) before = index;
  } else {
    const keysBefore = edit.kind === 'set' ? edit.keysBefore : [];
    const after = keysBefore.map(key => items.indexOf(entryOf(parent, key) as Pair)).find(index => index >= 0);
    if (after !== undefined && after + 1 < items.length) before = after + 1;
    else if (after === undefined && keysBefore.length === 0) before = 0;
  }
  // A flow collection written one entry a line (`os: [` then an item a line, then `]`): the new entry gets a line of its own too.
  const ownLine = (entry: Pair | Node) => {
    const start = flowSpan(text, entry)[0];
    return /^[ \t]*$/.test(text.slice(lineStart(text, start), start)) ? text.slice(lineStart(text, start), start) : undefined;
  };
  const eol = eolOf(text);
  if (before !== undefined) {
    const at = flowSpan(text, items[before])[0];
    const indent = ownLine(items[before]);
    if (indent !== undefined) return text.slice(0, lineStart(text, at)) + indent + snippet + ',' + eol + text.slice(lineStart(text, at));
    return text.slice(0, at) + snippet + ', ' + text.slice(at);
  }
  const last = items[items.length - 1];
  const at = flowSpan(text, last)[1];
  const indent = ownLine(last);
  const close = rangeOf(parent)[1];
  if (indent !== undefined && text.slice(at, close).includes('\n')) {
    // After the last entry's line (its comment, if any, stays on it), with a comma where the last entry has
    // none, and one after the new entry where it has one (a trailing comma).
    const trailing = /^[ \t]*,/.test(text.slice(at));
    const withComma = trailing ? text : text.slice(0, at) + ',' + text.slice(at);
    const next = lineEnd(withComma, at);
    return withComma.slice(0, next) + indent + snippet + (trailing ? ',' : '') + eol + withComma.slice(next);
  }
  return text.slice(0, at) + ', ' + snippet + text.slice(at);
}

/**
 * A block collection with a new entry whose source is an entry of a flow collection (`develop` of
 * `[main, develop]`), written as a block entry on a line of its own (`- develop`) at the collection's column,
 * where {@link insertionOffset} puts it. A flow entry's text reads the same in a block (a plain scalar may hold
 * more there, not less); one written on several lines, or with a comment, leaves the edit undone.
 */
function addFromFlow(text: string, parent: Collection, edit: DocumentEdit, source: { text: string; entry: Pair | Node }): string {
  const [sourceStart, sourceEnd] = flowSpan(source.text, source.entry);
  const snippet = source.text.slice(sourceStart, sourceEnd);
  if (snippet.includes('\n') || snippet.includes('#')) throw new UnsupportedEdit('a multi-line or commented flow entry for a block collection');
  const line = ' '.repeat(columnOf(text, parent)) + (isSeq(parent) ? '- ' : '') + snippet;
  const at = insertionOffset(text, parent, edit);
  const eol = eolOf(text);
  // After the last line of a file that does not end in a line break: the new line ends it, without one too.
  if (at > 0 && text[at - 1] !== '\n') return text.slice(0, at) + eol + line + text.slice(at);
  return text.slice(0, at) + line + eol + text.slice(at);
}

/** The column of a block collection's keys or dashes (a map that is a sequence item: the column of its keys, after the dash). */
function columnOf(text: string, parent: Collection): number {
  const first = parent.items[0] as Pair | Node | undefined;
  if (!first) throw new UnsupportedEdit('adding to an empty collection');
  if (isPair(first)) {
    blockRegion(text, first, true);
    const key = rangeOf(first.key)[0];
    return key - lineStart(text, key);
  }
  const region = blockRegion(text, first);
  return text.slice(region.start).search(/\S/);
}

/**
 * Whether a new entry put at `at` needs a blank line before it or after it: where the source side set it
 * apart from its neighbours by a blank line (`source`), and the existing collection sets its entries apart
 * too (a workflow's steps, say), it is set apart here as well. The gap it goes into tells whether the
 * collection does (a blank line there already is on one side of the new entry), or at either end of the
 * collection the gap nearest to it. Neither where `at` is not at an entry's edge, or an entry has no lines
 * of its own.
 */
function blankLinesAround(text: string, parent: Collection, at: number, source: { before: boolean; after: boolean }): { before: boolean; after: boolean } {
  const none = { before: false, after: false };
  const items = parent.items as (Pair | Node)[];
  if (items.length < 2 || !(source.before || source.after)) return none;
  let regions: { start: number; end: number }[];
  try {
    const column = columnOf(text, parent);
    regions = items.map(item => {
      const region = blockRegion(text, item, true);
      return { start: withLeadingComments(text, region).start, end: pastBlockComments(text, region.end, column) };
    });
  } catch (error) {
    if (error instanceof UnsupportedEdit) return none;
    throw error;
  }
  // Whether the lines between entry i and the next (whole lines, each with its line break) hold a blank one.
  const apart = (i: number) => text.slice(regions[i].end, regions[i + 1].start).split('\n').slice(0, -1).some(line => line.trim() === '');
  const last = items.length - 1;
  // A blank line already beside `at` (an entry's region can end in one: a block scalar's takes the blank lines after it) will do.
  const blankBefore = at > 0 && isBlankLine(text, lineStart(text, at - 1));
  const blankAfter = isBlankLine(text, at);
  const startOf = regions.findIndex(region => region.start === at);
  // Before entry k: the gap before k is before the new entry (for the first, nothing of the collection is).
  if (startOf >= 0) return { before: false, after: source.after && !blankAfter && apart(Math.max(0, startOf - 1)) };
  // After entry k: the gap after k is after the new entry (for the last, nothing of the collection is).
  const endOf = regions.findIndex(region => region.end === at);
  if (endOf >= 0) return { before: source.before && !blankBefore && apart(Math.min(endOf, last - 1)), after: false };
  return none;
}

/** Whether the line that begins at `offset` holds only blanks (false at the end of the text). */
function isBlankLine(text: string, offset: number): boolean {
  if (offset >= text.length) return false;
  return text.slice(offset, lineEnd(text, offset)).trim() === '';
}

/**
 * Where a new entry's lines go: after the nearest preceding key, or before the item it is inserted at.
 * After an entry is after the comment lines that end its block (indented deeper than the collection's
 * entries: a note at the end of a step list), which are not about the new entry.
 */
function insertionOffset(text: string, parent: Collection, edit: DocumentEdit): number {
  const items = parent.items as (Pair | Node)[];
  const after = (entry: Pair | Node, dashed = false) => pastBlockComments(text, blockRegion(text, entry, dashed).end, columnOf(text, parent));
  // Before an entry is before the comment lines above it, which are about it.
  if (isSeq(parent)) {
    const index = edit.path[edit.path.length - 1] as number;
    return index < items.length ? withLeadingComments(text, blockRegion(text, items[index])).start : after(items[items.length - 1]);
  }
  const keysBefore = edit.kind === 'set' ? edit.keysBefore : [];
  for (const key of keysBefore) {
    const pair = entryOf(parent, key);
    if (pair) return after(pair, true);
  }
  return keysBefore.length === 0 ? withLeadingComments(text, blockRegion(text, items[0])).start : after(items[items.length - 1], true);
}

/**
 * The end of the whole comment lines that follow `offset` indented deeper than `column` (`offset` when
 * there are none): they end the block of the entry above them, whose value is indented so too.
 */
function pastBlockComments(text: string, offset: number, column: number): number {
  let end = offset;
  while (end < text.length) {
    const line = text.slice(end, lineEnd(text, end));
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent <= column || !line.slice(indent).startsWith('#')) break;
    end = lineEnd(text, end);
  }
  return end;
}

/**
 * A block entry's region widened up over the comment lines right above it: a comment is about the entry it
 * precedes, so it goes, moves and comes with it. Whole comment lines only, indented as the entry's first
 * line (one indented deeper ends the block of the entry before), with no blank line between; comments that
 * begin the file or a document (after its `---`) are its header, not its first entry's.
 */
function withLeadingComments(text: string, region: { start: number; end: number }): { start: number; end: number } {
  const indent = /^[ \t]*/.exec(text.slice(region.start))![0];
  let start = region.start;
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    if (!isCommentLine(text.slice(previous, start), indent)) break;
    start = previous;
  }
  // After a `---` marker, comments that begin a document are that document's, as at the top of the file.
  const header = start === 0 || /^---(\s|$)/.test(text.slice(lineStart(text, start - 1), start));
  return header ? region : { start, end: region.end };
}

/**
 * An entry's region (with its leading comments) widened up over the blocks of whole comment lines above it, set
 * apart by blank lines, that no entry takes along, up to the entry before: a note about none of the members (a
 * commented-out option between two that its side added, in bitnami/charts' values.yaml) that its side wrote,
 * where none of its lines is in `known` (the ancestor, the text the entry goes into), else it would be dropped
 * without a trace. Not past a line indented otherwise, and not over the comments that begin the file or a document.
 */
function withNewCommentBlocks(text: string, region: { start: number; end: number }, known: readonly string[]): { start: number; end: number } {
  const indent = /^[ \t]*/.exec(text.slice(region.start))![0];
  const knownLines = new Set(known.flatMap(other => other.split(/\r?\n/).map(line => line.trim())));
  let start = region.start;
  let widened = region.start;
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    const line = text.slice(previous, start);
    if (line.trim() !== '') {
      if (!isCommentLine(line, indent) || knownLines.has(line.trim())) break;
      widened = previous;
    }
    start = previous;
  }
  const header = start === 0 || /^---(\s|$)/.test(text.slice(lineStart(text, start - 1), start));
  return header ? region : { start: widened, end: region.end };
}

/** The end of the comment lines that begin at `offset` and are about the entry after them (`offset` when there are none). */
function followingComments(text: string, offset: number): number {
  const indent = /^[ \t]*/.exec(text.slice(offset))![0];
  let end = offset;
  while (end < text.length && isCommentLine(text.slice(end, lineEnd(text, end)), indent)) end = lineEnd(text, end);
  // Comment lines followed by an entry indented as they are; else they are no entry's (the end of a block).
  const after = text.slice(end, lineEnd(text, end));
  return end > offset && after.startsWith(indent) && /^[^\s#]/.test(after.slice(indent.length)) ? end : offset;
}

/** Whether a line (with or without its line break) is only a YAML comment, indented by exactly `indent`. */
function isCommentLine(line: string, indent: string): boolean {
  return line.startsWith(indent) && line.slice(indent.length).startsWith('#');
}

