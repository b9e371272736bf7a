/**
 * Line merge first, structure where it conflicts (mergiraf's and jDime's order): a file the line merge
 * merges cleanly is git's result byte for byte; only a conflicting JSON or YAML file is parsed, merged
 * value by value (`value-merge.ts`), and written as edits of git's result with each conflict taken from
 * the existing side (`json-text.ts`, `yaml-text.ts`), so that what git merged cleanly stays byte for byte
 * (`clean-hunks.ts`). What still conflicts is marked by running the line merge once more, over three texts
 * that differ only where the values conflict, so the markers surround just those lines. Whenever the
 * structure cannot be trusted (a side does not parse, an edit cannot be made faithfully, the edited text
 * does not parse to the merged value, or would lose a comment line the existing side wrote), the line
 * merge's result stands.
 */
import { cleanHunkLines, mergeText } from '../merge';
import { MergeFavor, TextMergeOptions, TextMergeResult } from '../types';
import { droppedCleanHunk } from './clean-hunks';
import { commentHunkChecks, isCommentConflict, lostCommentLine, lostSideComment } from './comment-conflicts';
import { applyEditsToValue, DocumentEdit, DocumentSide, SideValues } from './edits';
import { inDocumentOrder } from './document-order';
import { StructuredFormat } from './format';
import { formatJsonPath, JsonPath, valueAt } from './json-path';
import { DuplicateKey, jsonValue, JsonTextEditor, parseJsonTree, UnparseableDocument } from './json-text';
import { UnsupportedEdit } from './text-lines';
import { ConflictPolicy, mergeValues, MergeStep, ValueConflict } from './value-merge';
import { valueBlindSpot } from './value-blind-spots';
import { sameValue } from './values';
import { StructureWorkBudget, StructureWorkExceeded } from './work-bound';
import { anchorPathOf, isYamlStream, parseYamlDocument, throughYamlAlias, YamlTextEditor } from './yaml-text';
import { plural } from '../../../plural';

/** Options of {@link mergeStructured}: the line merge's, and what decides conflicts of values. */
export interface StructuredMergeOptions extends TextMergeOptions {
  /** How the three versions are parsed and edited. */
  readonly format: StructuredFormat;
  /**
   * Policies that may decide a conflict of values, tried in order.
   * @default - none: every conflict of values stays a conflict
   */
  readonly policies?: readonly ConflictPolicy[];
  /**
   * The most parsing the structure may do for the file, in JSON characters (a YAML character counts as
   * several): past it, the line merge's result stands, so that no file takes more than a fraction of a second.
   * @default 4,000,000 (about half a second)
   */
  readonly workBound?: number;
}

/** What one stage of the merge decided, for `blueprint merge --explain` and the report. */
export interface MergeDecision {
  /** `line`: git's merge; `structure`: the merge of values; `policy`: a policy decided a conflict; `fallback`: the structure was not used. */
  readonly stage: 'line' | 'structure' | 'policy' | 'fallback';
  /** The JSON path the decision is about (`$` for the whole file). */
  readonly path: string;
  /** What was decided, and why, in one line. */
  readonly detail: string;
}

/** {@link mergeText}'s result, and what the structure did. */
export interface StructuredMergeResult extends TextMergeResult {
  /** Which merge produced the buffer. */
  readonly stage: 'line' | 'structure';
  /** JSON paths of the conflicts of values still marked (or resolved by `favor`), in document order. */
  readonly conflictPaths: readonly string[];
  /** What each stage decided. */
  readonly decisions: readonly MergeDecision[];
  /**
   * What a person should hear of that the result does not show: git's clean result holding a key twice, which
   * both sides added at different places (the result stays git's). @default none
   */
  readonly notes?: readonly string[];
}

/**
 * Three-way merges a JSON or YAML file: `git merge-file`'s result where it is clean, else the merge of
 * its values, written into git's result with each conflict taken from the existing side (or, where that
 * cannot hold it, into the existing text), never dropping a hunk git merged cleanly. With `favor`, only the conflicts of values left after
 * the structure (and the policies) are resolved to that side.
 */
export function mergeStructured(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: StructuredMergeOptions): StructuredMergeResult {
  const { format, policies, workBound, ...textOptions } = options;
  const line = mergeText(ancestor, existing, proposed, { ...textOptions, favor: undefined });
  if (line.conflicts.length === 0) {
    const twice = keyWrittenTwice(format, line.buffer, existing, proposed, workBound);
    return {
      ...line, stage: 'line', conflictPaths: [], decisions: [{ stage: 'line', path: '$', detail: 'the line merge is clean: git\'s result, byte for byte' }],
      ...twice ? { notes: [`git's clean merge holds a ${twice}, which both sides added at different places: keep one`] } : {},
    };
  }
  const decisions: MergeDecision[] = [{ stage: 'line', path: '$', detail: `the line merge left ${plural(line.conflicts.length, 'conflict hunk')}` }];
  // git's result with each conflict taken from the favored side, and why it does not parse: made once, for the
  // fallback below and for lineResult after it.
  let favoredLine: { result: TextMergeResult; broken: string | undefined } | undefined;
  const favoredResult = () => favoredLine ??= (() => {
    const result = mergeText(ancestor, existing, proposed, textOptions);
    return { result, broken: favoredResultBroken(format, result.buffer, existing, proposed, workBound) };
  })();
  const lineResult = (why: string): StructuredMergeResult => {
    decisions.push({ stage: 'fallback', path: '$', detail: `${why}: the line merge's result stands` });
    const { result: favored, broken } = textOptions.favor ? favoredResult() : { result: line, broken: undefined };
    return {
      ...favored, stage: 'line', conflictPaths: [], decisions,
      ...broken ? { notes: [`${favoredHunks(textOptions.favor!)} leaves a file that does not parse as ${format.toUpperCase()} (${broken}): fix it by hand`] } : {},
    };
  };

  const decoded = decodeAll({ ancestor, existing, proposed });
  if (!decoded) return lineResult('a side is not UTF-8 text');
  const { bom } = decoded;
  // Charged before the checks below, which read the whole of each side: a file past the bound keeps git's result
  // without them (on a 7 MB package-lock.json they took longer than git's whole merge).
  const budget = new StructureWorkBudget(format, workBound);
  try {
    for (const side of ['ancestor', 'existing', 'proposed'] as const) budget.charge(decoded.texts[side]);
  } catch (error) {
    if (error instanceof StructureWorkExceeded) return lineResult(error.message);
    throw error;
  }
  const commentHunk = line.conflicts.find(conflict => isCommentConflict(conflict, format));
  if (commentHunk) {
    return lineResult(`one side changed only comments where the other changed values, in git's conflict hunk at line ${commentHunk.resultLine} (the comment may be about them)`);
  }
  const checks = commentHunkChecks(decoded.texts, format);
  const notesHunks = line.conflicts.filter(conflict => checks.commentsOnly(conflict));
  // Only lines added where the ancestor had none (or blank ones): a note both rewrote cannot say two things at once.
  if (notesHunks.length === line.conflicts.length && notesHunks.every(conflict => conflict.ancestor.every(text => text.trim() === ''))) {
    const both = bothSidesNotes(ancestor, existing, proposed, textOptions, format, decoded.bom);
    if (both) {
      decisions.push({ stage: 'line', path: '$', detail: `both sides only added comment lines at ${plural(notesHunks.length, 'place')} git conflicts: both kept, the existing side's first` });
      return { ...both, stage: 'line', conflictPaths: [], decisions };
    }
  }
  const notesHunk = notesHunks[0] ?? line.conflicts.find(conflict => checks.notesBesideValues(conflict));
  if (notesHunk) {
    return lineResult(`both sides changed only comments at one place, in git's conflict hunk at line ${notesHunk.resultLine} (the values cannot tell which to keep)`);
  }
  for (const conflict of line.conflicts) {
    const commentedOut = checks.commentedOutLine(conflict);
    if (commentedOut !== undefined) {
      return lineResult(`one side commented out a line as '${commentedOut}' (in git's conflict hunk at line ${conflict.resultLine}) that the other side changed or removed (the comment turned that value off)`);
    }
    const commented = checks.trailingCommentLine(conflict);
    if (commented !== undefined) {
      return lineResult(`one side wrote a comment at the end of the value line '${commented}' (in git's conflict hunk at line ${conflict.resultLine}), whose value the other side changed or removed (the comment is about that value)`);
    }
  }
  for (const conflict of line.conflicts) {
    const blind = valueBlindSpot(conflict, format);
    if (blind) return lineResult(blind);
  }
  let values: SideValues;
  let parsing: DocumentSide = 'ancestor';
  try {
    const parsed = {} as Record<DocumentSide, unknown>;
    for (parsing of ['ancestor', 'existing', 'proposed'] as const) {
      parsed[parsing] = parsing === 'ancestor' && decoded.texts.ancestor.trim() === '' ? undefined : parseStructured(format, decoded.texts[parsing]);
    }
    values = parsed;
    if (format === 'yaml' && mixedDocumentCounts([parsed.ancestor, parsed.existing, parsed.proposed])) {
      return lineResult('some sides are one YAML document and some are several');
    }
  } catch (error) {
    // The parsers recurse: a document nested thousands deep overflows the stack, and that is no syntax error.
    if (error instanceof RangeError) return lineResult(`the ${parsing} side nests its values deeper than the structured merge follows`);
    return lineResult(`the ${parsing} side does not parse as ${format.toUpperCase()} (${(error as Error).message})`);
  }

  const merge: ValueMergeInputs = { format, policies: policies ?? [], textOptions, bom, sides: decoded.texts, clean: cleanHunkLines(ancestor, existing, proposed, textOptions.diffAlgorithm), budget };
  // First on git's result with each conflict taken from the existing side (`git merge-file --ours`): every
  // hunk git merged cleanly is in it, with what the values cannot see (comments, a number's or a string's
  // spelling, YAML tags), and by value it is the existing side with the proposed side's clean changes made,
  // so the merge of values agrees with the proposed side there.
  const ours = mergeText(ancestor, existing, proposed, { favor: 'existing', diffAlgorithm: textOptions.diffAlgorithm }).buffer.toString('utf8');
  const oursText = ours.startsWith(BOM) ? ours.slice(BOM.length) : ours;
  // The merge of values on the existing text: what the merge on git's text must come to (where its conflicts take the existing side).
  const existingSteps = mergeValues(values, merge.policies);
  const merged = withStringsMergedByLines(applyEditsToValue(values.existing, editsFor(existingSteps, 'existing'), values), existingSteps);
  const onOurs = withinWorkBound(() => mergeOntoOurs(merge, oursText, values, merged));
  if (typeof onOurs !== 'string' && onOurs.conflicts <= existingSteps.filter(step => step.kind === 'conflict').length) return finish(onOurs);
  // git's clean hunks join lines, not values: where they joined parts of two elements (a named step's lines
  // taken for another's), its result is not what either side meant. The existing text is edited then, as
  // long as the result still holds every clean hunk.
  const onExisting = withinWorkBound(() => mergeOnto(merge, decoded.texts.existing, values));
  if (typeof onExisting !== 'string' && (typeof onOurs === 'string' || onExisting.conflicts < onOurs.conflicts)) {
    decisions.push({
      stage: 'structure',
      path: '$',
      detail: `the existing text is edited: on git's result with each conflict taken from the existing side, ${typeof onOurs === 'string' ? onOurs : `${plural(onOurs.conflicts, 'conflict')} of values would be left`}`,
    });
    return finish(onExisting);
  }
  if (typeof onOurs === 'string' && typeof onExisting === 'string' && textOptions.favor) {
    // git's favored result is what stands then; where it does not even parse (a file one side wrote again in
    // another layout, whose hunks git paired across depths), the clean hunks it keeps are no merge to honour.
    const { broken } = favoredResult();
    const edited = broken === undefined ? undefined : withinWorkBound(() => mergeOnto({ ...merge, clean: [] }, decoded.texts.existing, values));
    if (edited !== undefined && typeof edited !== 'string') {
      decisions.push({ stage: 'structure', path: '$', detail: `the existing text is edited, though ${onExisting}: git's result with each conflict taken from the ${textOptions.favor} side does not parse (${broken})` });
      return finish(edited);
    }
  }
  // The same reason on both texts is said once.
  if (typeof onOurs === 'string') return lineResult(typeof onExisting === 'string' && onExisting !== onOurs ? `${onOurs}; on the existing text, ${onExisting}` : onOurs);
  if (typeof onExisting === 'string') decisions.push({ stage: 'structure', path: '$', detail: `the existing text could not be edited instead: ${onExisting}` });
  return finish(onOurs);

  function finish(merged: ValueMerge): StructuredMergeResult {
    decisions.push(...merged.decisions);
    return { ...merged.result, decisions };
  }
}

/**
 * git's result with both sides' lines in each conflict hunk (`git merge-file --union`), when every hunk is one
 * where both sides added only comment lines (notes, commented-out options: in serverless' templates and
 * bitnami/charts' values.yaml each branch wrote its own example at one place, and the humans kept both) and the
 * parsers agree that those lines change no value: the result's value is that of git's result taken either side's
 * way (a `#` line inside a YAML block scalar is text, not a comment, and fails that). Undefined otherwise.
 */
function bothSidesNotes(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: TextMergeOptions, format: StructuredFormat, bom: string): TextMergeResult | undefined {
  const merged = (favor: 'existing' | 'proposed' | 'union') => mergeText(ancestor, existing, proposed, { ...options, favor });
  const union = merged('union');
  if (union.favored.some(hunk => hunk.kept !== 'union')) return undefined;
  const valueOf = (result: TextMergeResult) => {
    const text = result.buffer.toString('utf8');
    return parseStructured(format, bom && text.startsWith(bom) ? text.slice(bom.length) : text);
  };
  try {
    const value = valueOf(union);
    if (!sameValue(value, valueOf(merged('existing'))) || !sameValue(value, valueOf(merged('proposed')))) return undefined;
  } catch {
    return undefined;
  }
  return { buffer: union.buffer, conflicts: [], favored: [] };
}

/**
 * `merged` (a fresh value) with each conflict of a multi-line string whose lines merge cleanly at that merge of
 * lines, as git's result holds it: that is no sign that git's diff took one member's lines for another's.
 */
function withStringsMergedByLines(merged: unknown, steps: readonly MergeStep[]): unknown {
  for (const step of steps) {
    if (step.kind !== 'conflict' || step.conflict.elements) continue;
    const { path, values: { ancestor, existing, proposed } } = step.conflict;
    if (typeof ancestor !== 'string' || !isMultiLine(existing) || !isMultiLine(proposed) || path.length === 0) continue;
    const parent = valueAt(merged, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
    const key = path[path.length - 1];
    // Only where the merge left the existing side's string: after an array's insertions the path may name another value.
    if (parent === undefined || parent[key] !== existing) continue;
    const lines = mergeText(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed));
    if (lines.conflicts.length === 0) parent[key] = lines.buffer.toString('utf8');
  }
  return merged;
}

/** A string written on several lines (a YAML block scalar), whose lines the line merge can merge. */
function isMultiLine(value: unknown): value is string {
  return typeof value === 'string' && value.includes('\n');
}

/** {@link mergeOnto} git's result with each conflict taken from the existing side, or why not (it does not parse). */
function mergeOntoOurs(inputs: ValueMergeInputs, ours: string, values: SideValues, merged: unknown): ValueMerge | string {
  let value: unknown;
  try {
    inputs.budget.charge(ours);
    value = parseStructured(inputs.format, ours);
  } catch (error) {
    if (error instanceof StructureWorkExceeded) return error.message;
    return `git's result with each conflict taken from the existing side does not parse (${(error as Error).message})`;
  }
  // The conflict hunks may hold a `---` marker: git's result is then not the same stream of documents.
  if (inputs.format === 'yaml' && mixedDocumentCounts([values.existing, value])) return 'git\'s result with each conflict taken from the existing side has another number of YAML documents';
  return mergeOnto(inputs, ours, { ...values, existing: value }, merged);
}

/**
 * One attempt at the merge, or why it stopped where its work passed the file's bound: every text an attempt
 * makes (the edited sides, the marked result, each resolved to one side) is charged, anywhere in it.
 */
function withinWorkBound(attempt: () => ValueMerge | string): ValueMerge | string {
  try {
    return attempt();
  } catch (error) {
    if (error instanceof StructureWorkExceeded) return error.message;
    throw error;
  }
}

/** Whether some of these parsed YAML values (undefined: no file) are one document and some several. */
function mixedDocumentCounts(values: readonly unknown[]): boolean {
  return new Set(values.filter(value => value !== undefined).map(isYamlStream)).size > 1;
}

/** What {@link mergeOnto} needs besides the text it edits. */
interface ValueMergeInputs {
  readonly format: StructuredFormat;
  readonly policies: readonly ConflictPolicy[];
  readonly textOptions: TextMergeOptions;
  /** The byte order mark the sides begin with (`''`: none). */
  readonly bom: string;
  /** The three sides' texts, without the mark. */
  readonly sides: Readonly<Record<DocumentSide, string>>;
  /** The lines of the line merge's clean hunks ({@link cleanHunkLines}). */
  readonly clean: readonly (readonly string[])[];
  /** What parsing the file may still cost. */
  readonly budget: StructureWorkBudget;
}

/** A merge of values written as text: the result, how many conflicts of values it left, what was decided. */
interface ValueMerge {
  readonly result: Omit<StructuredMergeResult, 'decisions'>;
  readonly conflicts: number;
  readonly decisions: readonly MergeDecision[];
}

/**
 * The merge of values written as edits of `base` (a text holding the existing side's changes) whose value
 * is `values.existing`; or why it cannot be trusted. With `merged`, the value the merge must come to, with
 * each conflict at the existing side's value.
 */
function mergeOnto(inputs: ValueMergeInputs, base: string, values: SideValues, merged?: unknown): ValueMerge | string {
  const { format, textOptions, bom, budget } = inputs;
  const texts = { ...inputs.sides, existing: base };
  const encode = (text: string) => Buffer.from(bom + text, 'utf8');
  const steps = mergeValues(values, inputs.policies);
  // Told in the order a reader meets them in the file (an array's steps come last element first).
  const rank = new Map(inDocumentOrder(format, base, steps.map(stepPath)).map((path, index) => [path, index]));
  // A change under a YAML alias is its anchored node's change, told and marked there (the editor makes it there).
  const viaAlias = aliasedSteps(format, base, budget, steps);
  const inReadingOrder = [...steps].sort((a, b) => rank.get(stepPath(a))! - rank.get(stepPath(b))!).filter(step => !viaAlias(step));
  let decisions = inReadingOrder.map(step => describeStep(step, values.existing));
  let conflicts = steps.filter((step): step is Extract<MergeStep, { kind: 'conflict' }> => step.kind === 'conflict');
  // git's clean hunks join lines, not values: where its diff took one member's or element's lines for
  // another's, its result holds what neither side meant (an element one side removed, back in).
  if (merged !== undefined && !sameValue(applyEditsToValue(values.existing, editsFor(steps, 'existing'), values), merged)) {
    return 'its merge of values is not the merge of the sides\' values (git\'s diff took lines of one member for another\'s)';
  }
  // The whole document as one conflict (both sides added the file, sharing no member): no marking of values is
  // closer than git's, and the editors cannot write the ancestor's "no document" for the markers.
  if (conflicts.some(step => step.conflict.path.length === 0)) {
    return `the whole document is one conflict of values (${values.ancestor === undefined ? 'both sides added the file, with no member in common' : 'both sides replaced it differently'})`;
  }
  let edited: Record<DocumentSide, string>;
  // One editor for the three texts: it parses each side it copies from once.
  const editor = format === 'json' ? new JsonTextEditor(texts, budget) : new YamlTextEditor(texts, budget);
  try {
    edited = {
      existing: editedText(format, editor, texts, values, editsFor(steps, 'existing'), budget),
      proposed: conflicts.length ? editedText(format, editor, texts, values, editsFor(steps, 'proposed'), budget) : '',
      ancestor: conflicts.length ? editedText(format, editor, texts, values, editsFor(steps, 'ancestor'), budget) : '',
    };
  } catch (error) {
    if (error instanceof UnsupportedEdit || error instanceof EditMismatch) return `the structured result could not be written as text (${error.message})`;
    if (error instanceof StructureWorkExceeded) return error.message;
    throw error;
  }
  const lost = lostCommentLine(format, texts.ancestor, inputs.sides.existing, edited.existing);
  if (lost !== undefined) return `the comment line '${lost}' of the existing side would be lost with what it is about`;
  const dropsCleanHunk = (buffer: Buffer): string | undefined => {
    const dropped = droppedCleanHunk(inputs.clean, buffer);
    return dropped && `the structured result would drop the line '${Buffer.from(dropped[0], 'latin1').toString('utf8').trim()}' that the line merge took cleanly`;
  };
  if (conflicts.length === 0) {
    const buffer = encode(edited.existing);
    const dropped = dropsCleanHunk(buffer);
    if (dropped) return dropped;
    decisions.push({ stage: 'structure', path: '$', detail: 'every conflict of the line merge was resolved by the structure' });
    return { result: { buffer, conflicts: [], favored: [], stage: 'structure', conflictPaths: [] }, conflicts: 0, decisions };
  }
  // Three texts equal but for the conflicting values: the line merge marks exactly those lines.
  const marked = mergeText(encode(edited.ancestor), encode(edited.existing), encode(edited.proposed), textOptions);
  // A multi-line string both sides changed on different lines (a YAML `run: |` script) is one value, so a
  // conflict of values, but the line merge above merges its lines: it is merged, not reported as a conflict.
  const settled = settledByLines(format, edited, conflicts.map(step => step.conflict), budget);
  if (typeof settled === 'string') return settled;
  const { byLines, unmarked } = settled;
  // An object or array both sides changed differently whose lines the line merge joined without a hunk (an
  // element both added at different places: in twice): that is no merge of the two, and no side's value either.
  if (unmarked.length > 0) return `the line merge merged the conflicting values at ${unmarked.map(conflict => formatJsonPath(conflict.path)).join(', ')} without marking them`;
  // All of them so: the result must then have no hunk left at all.
  const allByLines = byLines.size === conflicts.length && marked.conflicts.length === 0 && marked.favored.length === 0;
  if (byLines.size > 0 && (byLines.size < conflicts.length || allByLines)) {
    conflicts = conflicts.filter(step => !byLines.has(step.conflict));
    decisions = inReadingOrder.map(step => describeStep(step, values.existing, byLines));
  }
  if (allByLines) {
    const dropped = dropsCleanHunk(marked.buffer);
    if (dropped) return dropped;
    decisions.push({ stage: 'structure', path: '$', detail: 'every conflict of the line merge was resolved by the structure' });
    return { result: { ...marked, stage: 'structure', conflictPaths: [] }, conflicts: 0, decisions };
  }
  // Markers, or favored hunks, for every conflict of values: else the line merge merged two values that
  // conflict (their lines fell apart), and neither side's value may be taken silently.
  if ((textOptions.favor ? marked.favored : marked.conflicts).length === 0) return 'the conflicts of values could not be marked apart';
  // Each conflict taken from one side must give that side's values there and the merge's everywhere else: the line
  // merge may join lines of a clean change to a conflict's hunk (a block scalar's last line read as the comment
  // after the next member), and taking the other side of that hunk would drop the change without a word. (Not
  // where a conflict is a run of array elements or a multi-line string: the line merge merges their lines in part,
  // as git's does, so one side of each hunk is not that side's value there; nor beside a string merged by its lines.)
  const memberConflicts = conflicts.every(({ conflict }) => !conflict.elements && !isMultiLine(conflict.values.existing) && !isMultiLine(conflict.values.proposed));
  if (!textOptions.favor && byLines.size === 0 && memberConflicts) {
    for (const side of ['existing', 'proposed'] as const) {
      const taken = mergeText(Buffer.from(edited.ancestor), Buffer.from(edited.existing), Buffer.from(edited.proposed), { ...textOptions, favor: side }).buffer.toString('utf8');
      budget.charge(taken);
      let value: unknown;
      try {
        value = parseStructured(format, taken);
      } catch (error) {
        if (error instanceof UnparseableDocument) return `the marked conflicts do not parse with each taken from the ${side} side (${error.message})`;
        throw error;
      }
      if (!sameValue(value, applyEditsToValue(values.existing, editsFor(steps, side), values))) {
        return `the marked conflicts, each taken from the ${side} side, do not give that side's values and the merge's elsewhere`;
      }
    }
  }
  // A conflict's proposed side is the existing text with the proposed value set in place: a comment the proposed
  // side wrote above a member both sides added, or after an item that replaced one the other side removed, is not
  // in it. Markers show each side as it wrote it.
  if (!textOptions.favor) {
    for (const side of ['existing', 'proposed'] as const) {
      const lost = lostSideComment(format, texts.ancestor, inputs.sides[side], marked.buffer.toString('utf8'));
      if (lost !== undefined) return `the comment '${lost}' of the ${side} side would be in neither side of the conflicts`;
    }
  }
  const dropped = dropsCleanHunk(marked.buffer);
  if (dropped) return dropped;
  // Each conflict under an alias is its anchored node's, which is marked: that one is told.
  const anchored = conflicts.filter(step => !viaAlias(step));
  const told = anchored.length > 0 ? anchored : conflicts;
  const conflictPaths = inDocumentOrder(format, texts.existing, told.map(step => step.conflict.path)).map(formatJsonPath);
  decisions.push({
    stage: 'structure',
    path: '$',
    detail: textOptions.favor
      ? `${plural(told.length, 'conflict')} of values left, resolved to the ${textOptions.favor} side`
      : `${plural(told.length, 'conflict')} of values left, marked (${plural(marked.conflicts.length, 'hunk')})`,
  });
  return { result: { ...marked, stage: 'structure', conflictPaths }, conflicts: conflicts.length, decisions };
}

/**
 * What the line merge of `edited` (three texts differing only at the conflicting values) settles by itself:
 * a conflict whose value in its result is the same whichever side each marked hunk is resolved to. For a
 * multi-line string both sides changed on different lines (`byLines`) that is a merge of its lines; for an
 * object or array (`unmarked`) it is lines of two values joined as if they were one, with no marker to say so.
 * The result is read with every hunk taken from the existing side and again from the proposed side (where
 * one of those does not parse, the marking cannot be trusted: why, as a string); only files with such a
 * conflict pay for the two merges and parses.
 */
function settledByLines(
  format: StructuredFormat, edited: Record<DocumentSide, string>, conflicts: readonly ValueConflict[], budget: StructureWorkBudget,
): { byLines: Set<ValueConflict>; unmarked: ValueConflict[] } | string {
  const byLines = new Set<ValueConflict>();
  const unmarked: ValueConflict[] = [];
  const strings = conflicts.filter(({ elements, values }) => !elements && isMultiLine(values.existing) && isMultiLine(values.proposed));
  const containers = conflicts.filter(({ values }) => isContainer(values.existing) || isContainer(values.proposed));
  if (strings.length === 0 && containers.length === 0) return { byLines, unmarked };
  const resolved = (favor: 'existing' | 'proposed') => {
    const text = mergeText(Buffer.from(edited.ancestor), Buffer.from(edited.existing), Buffer.from(edited.proposed), { favor }).buffer.toString('utf8');
    budget.charge(text);
    return parseStructured(format, text);
  };
  let existing: unknown, proposed: unknown;
  try {
    [existing, proposed] = [resolved('existing'), resolved('proposed')];
  } catch (error) {
    if (error instanceof UnparseableDocument) return `the line merge that marks the conflicts of values joined lines that do not parse resolved to one side (${error.message})`;
    throw error;
  }
  for (const conflict of strings) {
    if (sameValue(valueAt(existing, conflict.path), valueAt(proposed, conflict.path))) byLines.add(conflict);
  }
  for (const conflict of containers) {
    // A hunk of array elements is compared as its whole array: edits before it in the array move its index.
    const at = conflict.elements && typeof conflict.path[conflict.path.length - 1] === 'number' ? conflict.path.slice(0, -1) : conflict.path;
    if (sameValue(valueAt(existing, at), valueAt(proposed, at))) unmarked.push(conflict);
  }
  return { byLines, unmarked };
}

/** An object or an array. */
function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** Edits that make the existing document the merge, with each conflict taking `side`'s version (existing: left as it is). */
function editsFor(steps: readonly MergeStep[], side: DocumentSide): DocumentEdit[] {
  const edits: DocumentEdit[] = [];
  for (const step of steps) {
    if (step.kind !== 'conflict') edits.push(...step.edits);
    else if (side !== 'existing') edits.push(...step.conflict.edits[side]);
  }
  return edits;
}

/** The edited text made by the text editor failed the check against the merged value. */
class EditMismatch extends Error {}

function editedText(
  format: StructuredFormat, editor: JsonTextEditor | YamlTextEditor, texts: Record<DocumentSide, string>, values: SideValues,
  edits: readonly DocumentEdit[], budget: StructureWorkBudget,
): string {
  if (edits.length === 0) return texts.existing;
  let text: string;
  try {
    text = editor.applyAll(texts.existing, edits);
  } catch (error) {
    // An editor re-parses the text it edits: an edit that broke it is a failed edit, not bad input.
    if (error instanceof UnparseableDocument) throw new EditMismatch(`an edit broke the text: ${error.message}`);
    throw error;
  }
  const expected = applyEditsToValue(values.existing, edits, values);
  let actual: unknown;
  budget.charge(text);
  try {
    actual = parseStructured(format, text);
  } catch (error) {
    throw new EditMismatch(`the edited text does not parse: ${(error as Error).message}`);
  }
  if (!sameValue(actual, expected)) throw new EditMismatch('the edited text does not hold the merged value');
  return text;
}

/** A byte order mark: editors on Windows begin UTF-8 files with it, and neither JSON nor YAML parsers take it as text. */
const BOM = '\uFEFF';

/**
 * The value of a JSON or YAML text (a leading byte order mark is not part of it; a YAML text of several
 * documents is the array of their values); throws when it does not parse (or has duplicate keys).
 */
export function parseStructured(format: StructuredFormat, text: string): unknown {
  const unmarked = text.startsWith(BOM) ? text.slice(1) : text;
  return format === 'json' ? jsonValue(parseJsonTree(unmarked)) : parseYamlDocument(unmarked).value;
}

/**
 * The duplicate key in git's clean result `merged` (`duplicate key "dayjs" at line 9, column 5`) when neither
 * side has one: both added the member, each at its own place (a team appended a dependency that the blueprint's
 * next version added in order). The result is git's all the same (a clean merge is never changed), but JSON
 * tools keep either member and a YAML parser refuses the file, so it is said. Undefined when the result
 * parses, a side does not, or the texts pass the structured merge's work bound.
 */
function keyWrittenTwice(format: StructuredFormat, merged: Buffer, existing: Buffer, proposed: Buffer, workBound: StructuredMergeOptions['workBound']): string | undefined {
  const error = resultParseError(format, merged, existing, proposed, workBound);
  return error instanceof DuplicateKey ? error.message : undefined;
}

/**
 * What parsing `result` (git's, or git's with its conflicts taken from one side) threw where both sides parse:
 * the result broke what neither side did. Undefined when it parses, a side does not, or the texts pass the
 * structured merge's work bound.
 */
function resultParseError(format: StructuredFormat, result: Buffer, existing: Buffer, proposed: Buffer, workBound: StructuredMergeOptions['workBound']): unknown {
  const budget = new StructureWorkBudget(format, workBound);
  // What parsing `buffer` threw (the bound passed included), or undefined when it parses.
  const parseError = (buffer: Buffer): unknown => {
    const text = buffer.toString('utf8');
    try {
      budget.charge(text);
      parseStructured(format, text);
      return undefined;
    } catch (error) {
      return error;
    }
  };
  const inResult = parseError(result);
  if (inResult === undefined || inResult instanceof StructureWorkExceeded) return undefined;
  return parseError(existing) === undefined && parseError(proposed) === undefined ? inResult : undefined;
}

/** How the conflicting hunks were resolved, for a note: `union` keeps both sides' lines. */
const favoredHunks = (favor: MergeFavor) => (favor === 'union' ? 'both sides\' lines of each of git\'s conflicting hunks' : `each of git's conflicting hunks taken from the ${favor} side`);

/**
 * Why `favored` (git's result with each conflicting hunk taken from one side, where the structure could not be
 * used) does not parse, when both sides do; undefined when it parses, a side does not, or the texts pass the
 * structured merge's work bound. git's hunks follow lines, not values: in a file one side reformatted (a
 * `cdk.json` written again with 4-space indentation and every array on several lines), a hunk taken from one
 * side can end inside a value that a clean hunk after it closes in the other side's layout (journey 76: such a
 * `cdk.json` was committed by an update with its `context` object written twice, unclosed, and no conflict).
 */
function favoredResultBroken(format: StructuredFormat, favored: Buffer, existing: Buffer, proposed: Buffer, workBound: StructuredMergeOptions['workBound']): string | undefined {
  const error = resultParseError(format, favored, existing, proposed, workBound);
  return error === undefined ? undefined : (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * The sides as UTF-8 text without their byte order mark, and the mark the result begins with (`''` for
 * none); undefined when a side is not valid UTF-8 (its bytes would not survive). The mark is merged as git
 * merges the first line it sits on: the side that added or removed it wins, else the sides agree (an editor
 * on Windows that saves the project's package.json with a mark is a change the blueprint's side never
 * touches). Where both sides added the file, each changed it, and the existing side's stands.
 */
function decodeAll(buffers: Record<DocumentSide, Buffer>): { texts: Record<DocumentSide, string>; bom: string } | undefined {
  const texts = {} as Record<DocumentSide, string>;
  for (const side of ['ancestor', 'existing', 'proposed'] as const) {
    const text = buffers[side].toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(buffers[side])) return undefined;
    texts[side] = text;
  }
  const marked = (side: DocumentSide) => texts[side].startsWith(BOM);
  // An empty ancestor (both sides added the file) has no mark to compare with: each side's is its own change.
  const existingChanged = texts.ancestor === '' || marked('existing') !== marked('ancestor');
  const resultMarked = existingChanged ? marked('existing') : marked('proposed');
  for (const side of ['ancestor', 'existing', 'proposed'] as const) if (marked(side)) texts[side] = texts[side].slice(BOM.length);
  return { texts, bom: resultMarked ? BOM : '' };
}

/**
 * Whether a step is about a value under a YAML alias of `text` ({@link throughYamlAlias}), or about an alias
 * itself (`image: *node`) whose anchored node has a step of the same kind and values: either way, the one at
 * the anchor tells it. For JSON, and a YAML text without an anchor, never.
 */
function aliasedSteps(format: StructuredFormat, text: string, budget: StructureWorkBudget, steps: readonly MergeStep[]): (step: MergeStep) => boolean {
  if (format !== 'yaml' || !text.includes('&')) return () => false;
  budget.charge(text);
  const root = parseYamlDocument(text).contents;
  const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((part, i) => part === b[i]);
  const sameStep = (a: MergeStep, b: MergeStep) => a.kind === b.kind
    && (a.kind !== 'conflict' || b.kind !== 'conflict' || (['ancestor', 'existing', 'proposed'] as const).every(side => sameValue(a.conflict.values[side], b.conflict.values[side])));
  return step => {
    if (throughYamlAlias(root, stepPath(step))) return true;
    const anchor = anchorPathOf(root, stepPath(step));
    return anchor !== undefined && steps.some(other => samePath(stepPath(other), anchor) && sameStep(other, step));
  };
}

/** The path of the value a step is about. */
function stepPath(step: MergeStep): JsonPath {
  return step.kind === 'conflict' ? step.conflict.path : step.path;
}

/** What a step decided, in one line; `existing`: the value of the text the steps edit. */
function describeStep(step: MergeStep, existing: unknown, mergedByLines: ReadonlySet<ValueConflict> = new Set()): MergeDecision {
  if (step.kind === 'take-proposed') {
    // A removal is not a change of the value: saying 'the proposed version is taken' of it reads as if one were there.
    const removed = step.edits.every(edit => edit.kind === 'delete');
    // Elements inserted are told where they go: 'the proposed version' of the array they go into reads as if it replaced the project's.
    if (step.edits.length > 0 && step.edits.every(edit => edit.kind === 'insert')) {
      const one = step.edits.length === 1;
      return { stage: 'structure', path: formatJsonPath(step.edits[0].path), detail: one ? 'only the proposed side inserted it: it is inserted' : `only the proposed side inserted these ${step.edits.length} elements: they are inserted` };
    }
    // Elements removed are told by their own paths: the array's path reads as if the whole array went.
    if (removed && step.edits.length > 0 && step.edits.every(edit => edit.path.length > step.path.length)) {
      const one = step.edits.length === 1;
      return { stage: 'structure', path: formatJsonPath(one ? step.edits[0].path : step.path), detail: one ? 'only the proposed side removed it: it is removed' : `only the proposed side removed these ${step.edits.length} elements: they are removed` };
    }
    // A member the existing text does not have is one the proposed side added ('changed' reads as if the project had it).
    const last = step.path[step.path.length - 1];
    const added = typeof last === 'string' && valueAt(existing, step.path) === undefined;
    const detail = removed ? 'only the proposed side removed it: it is removed'
      : added ? 'only the proposed side added it: it is added' : 'only the proposed side changed it: the proposed version is taken';
    return { stage: 'structure', path: formatJsonPath(step.path), detail };
  }
  if (step.kind === 'policy') return { stage: 'policy', path: formatJsonPath(step.path), detail: `${step.decision.policy}: ${step.decision.reason}` };
  const { conflict } = step;
  if (mergedByLines.has(conflict)) return { stage: 'structure', path: formatJsonPath(conflict.path), detail: 'both sides changed its lines, different ones: the line merge merged them' };
  return {
    stage: 'structure',
    path: formatJsonPath(conflict.path),
    detail: conflict.elements
      ? 'both sides changed these array elements differently: a conflict'
      : conflict.values.existing === undefined || conflict.values.proposed === undefined
        ? `the ${conflict.values.existing === undefined ? 'existing' : 'proposed'} side removed it and the other changed it: a conflict`
        : 'both sides changed it differently: a conflict',
  };
}
