/**
 * Line merge first, structure where it conflicts (mergiraf's and jDime's order): a file the line merge
 * merges cleanly is git's result byte for byte; only a conflicting JSON or YAML file is parsed, merged
 * value by value (`value-merge.ts`), and written as edits of the existing text (`json-text.ts`,
 * `yaml-text.ts`). What still conflicts is marked by running the line merge once more, over three texts
 * that differ only where the values conflict, so the markers surround just those lines. Whenever the
 * structure cannot be trusted (a side does not parse, an edit cannot be made faithfully, the edited text
 * does not parse to the merged value, or would lose a comment line the existing side wrote), the line
 * merge's result stands.
 */
import { mergeText } from '../merge';
import { TextMergeOptions, TextMergeResult } from '../types';
import { isCommentConflict, lostCommentLine } from './comment-conflicts';
import { applyEditsToValue, DocumentEdit, DocumentSide, SideValues } from './edits';
import { inDocumentOrder } from './document-order';
import { StructuredFormat } from './format';
import { formatJsonPath } from './json-path';
import { jsonValue, JsonTextEditor, parseJsonTree, UnparseableDocument } from './json-text';
import { UnsupportedEdit } from './text-lines';
import { ConflictPolicy, mergeValues, MergeStep } from './value-merge';
import { sameValue } from './values';
import { StructureWorkBudget, StructureWorkExceeded } from './work-bound';
import { parseYamlDocument, YamlTextEditor } from './yaml-text';
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
}

/**
 * Three-way merges a JSON or YAML file: `git merge-file`'s result where it is clean, else the merge of
 * its values, written into the existing text. With `favor`, only the conflicts of values left after
 * the structure (and the policies) are resolved to that side.
 */
export function mergeStructured(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: StructuredMergeOptions): StructuredMergeResult {
  const { format, policies, workBound, ...textOptions } = options;
  const line = mergeText(ancestor, existing, proposed, { ...textOptions, favor: undefined });
  if (line.conflicts.length === 0) {
    return { ...line, stage: 'line', conflictPaths: [], decisions: [{ stage: 'line', path: '$', detail: 'the line merge is clean: git\'s result, byte for byte' }] };
  }
  const decisions: MergeDecision[] = [{ stage: 'line', path: '$', detail: `the line merge left ${plural(line.conflicts.length, 'conflict hunk')}` }];
  const lineResult = (why: string): StructuredMergeResult => {
    decisions.push({ stage: 'fallback', path: '$', detail: `${why}: the line merge's result stands` });
    const favored = textOptions.favor ? mergeText(ancestor, existing, proposed, textOptions) : line;
    return { ...favored, stage: 'line', conflictPaths: [], decisions };
  };

  const decoded = decodeAll({ ancestor, existing, proposed });
  if (!decoded) return lineResult('a side is not UTF-8 text');
  if (decoded === 'mixed byte order marks') return lineResult('some sides begin with a byte order mark and some do not');
  const { texts, bom } = decoded;
  const encode = (text: string) => Buffer.from(bom + text, 'utf8');
  if (line.conflicts.some(conflict => isCommentConflict(conflict, format))) {
    return lineResult('one side changed only comments where the other changed values (the comment may be about them)');
  }
  const budget = new StructureWorkBudget(format, workBound);
  let values: SideValues;
  let parsing: DocumentSide = 'ancestor';
  try {
    for (const side of ['ancestor', 'existing', 'proposed'] as const) budget.charge(texts[side]);
    const parsed = {} as Record<DocumentSide, unknown>;
    for (parsing of ['ancestor', 'existing', 'proposed'] as const) {
      parsed[parsing] = parsing === 'ancestor' && texts.ancestor.trim() === '' ? undefined : parseStructured(format, texts[parsing]);
    }
    values = parsed;
  } catch (error) {
    if (error instanceof StructureWorkExceeded) return lineResult(error.message);
    return lineResult(`the ${parsing} side does not parse as ${format.toUpperCase()} (${(error as Error).message})`);
  }

  const steps = mergeValues(values, policies ?? []);
  for (const step of steps) decisions.push(describeStep(step));
  const conflicts = steps.filter((step): step is Extract<MergeStep, { kind: 'conflict' }> => step.kind === 'conflict');
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
    if (error instanceof UnsupportedEdit || error instanceof EditMismatch) return lineResult(`the structured result could not be written as text (${error.message})`);
    if (error instanceof StructureWorkExceeded) return lineResult(error.message);
    throw error;
  }
  const lost = lostCommentLine(format, texts.ancestor, texts.existing, edited.existing);
  if (lost !== undefined) return lineResult(`the comment line '${lost}' of the existing side would be lost with what it is about`);
  if (conflicts.length === 0) {
    decisions.push({ stage: 'structure', path: '$', detail: 'every conflict of the line merge was resolved by the structure' });
    return { buffer: encode(edited.existing), conflicts: [], favored: [], stage: 'structure', conflictPaths: [], decisions };
  }
  // Three texts equal but for the conflicting values: the line merge marks exactly those lines.
  const marked = mergeText(encode(edited.ancestor), encode(edited.existing), encode(edited.proposed), textOptions);
  // Markers, or favored hunks, for every conflict of values: else the line merge merged two values that
  // conflict (their lines fell apart), and neither side's value may be taken silently.
  if ((textOptions.favor ? marked.favored : marked.conflicts).length === 0) return lineResult('the conflicts of values could not be marked apart');
  const conflictPaths = inDocumentOrder(format, texts.existing, conflicts.map(step => step.conflict.path)).map(formatJsonPath);
  decisions.push({
    stage: 'structure',
    path: '$',
    detail: textOptions.favor
      ? `${plural(conflicts.length, 'conflict')} of values left, resolved to the ${textOptions.favor} side`
      : `${plural(conflicts.length, 'conflict')} of values left, marked (${plural(marked.conflicts.length, 'hunk')})`,
  });
  return { ...marked, stage: 'structure', conflictPaths, decisions };
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
 * The value of a JSON or YAML text (a leading byte order mark is not part of it); throws when it does not
 * parse (or has duplicate keys, or several YAML documents).
 */
export function parseStructured(format: StructuredFormat, text: string): unknown {
  const unmarked = text.startsWith(BOM) ? text.slice(1) : text;
  return format === 'json' ? jsonValue(parseJsonTree(unmarked)) : parseYamlDocument(unmarked).value;
}

/**
 * The sides as UTF-8 text without their byte order mark, and the mark to put back (`''` when none has one);
 * undefined when a side is not valid UTF-8 (its bytes would not survive), and a failure when only some sides
 * have the mark (one side added or removed it: a change to the first line that the values do not show).
 */
function decodeAll(buffers: Record<DocumentSide, Buffer>): { texts: Record<DocumentSide, string>; bom: string } | 'mixed byte order marks' | undefined {
  const texts = {} as Record<DocumentSide, string>;
  for (const side of ['ancestor', 'existing', 'proposed'] as const) {
    const text = buffers[side].toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(buffers[side])) return undefined;
    texts[side] = text;
  }
  const marked = Object.values(texts).filter(text => text.startsWith(BOM)).length;
  if (marked === 0) return { texts, bom: '' };
  // An empty ancestor (both sides added the file) has no mark to agree with.
  if (marked < 3 && !(marked === 2 && texts.ancestor === '')) return 'mixed byte order marks';
  for (const side of ['ancestor', 'existing', 'proposed'] as const) if (texts[side].startsWith(BOM)) texts[side] = texts[side].slice(1);
  return { texts, bom: BOM };
}

function describeStep(step: MergeStep): MergeDecision {
  if (step.kind === 'take-proposed') {
    // A removal is not a change of the value: saying 'the proposed version is taken' of it reads as if one were there.
    const removed = step.edits.every(edit => edit.kind === 'delete');
    return { stage: 'structure', path: formatJsonPath(step.path), detail: removed ? 'only the proposed side removed it: it is removed' : 'only the proposed side changed it: the proposed version is taken' };
  }
  if (step.kind === 'policy') return { stage: 'policy', path: formatJsonPath(step.path), detail: `${step.decision.policy}: ${step.decision.reason}` };
  const { conflict } = step;
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
