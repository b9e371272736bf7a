/**
 * What the parsed values cannot tell apart: numbers written with more digits than a double holds (two
 * account ids that read as one number) and YAML tags on collections (`!Sub [..]` and `!Join [..]` both read
 * as the list; a scalar's tag, `!Ref Bucket`, is part of its parsed value, see `yaml-text.ts`). Where a
 * conflict hunk of the line merge holds such a difference, the merge of values would see the two sides
 * agree and take one of them silently, so git's conflict stands.
 */
import { MergeConflict } from '../types';
import { StructuredFormat } from './format';

/** A number token outside quotes and words (a string's or a key's digits are not a number). */
const NUMBER = /(?<![\w.+\-"'])-?(\d+)(?:\.(\d+))?(?:[eE][+-]?\d+)?(?![\w."'])/g;
/** A double round-trips every decimal of up to 15 significant digits. */
const EXACT_DIGITS = 15;
/**
 * A YAML tag on a collection: `!` or `!!` and a name, at the start of a node (after a blank, `-`, `:`, `[`,
 * `{` or `,`), followed by a flow collection's bracket or by the end of its line (a block collection below).
 */
const COLLECTION_TAG = /(?:^|[\s\-:[{,])(!!?[\w!:/.-]*)(?=[ \t]*(?:[[{]|#|$))/g;

/** Why the values cannot decide a conflict hunk of the line merge, or undefined when they can. */
export function valueBlindSpot(conflict: MergeConflict, format: StructuredFormat): string | undefined {
  for (const line of [...conflict.existing, ...conflict.proposed]) {
    for (const match of line.matchAll(NUMBER)) {
      const digits = (match[1] + (match[2] ?? '')).replace(/^0+/, '').replace(/0+$/, '');
      if (digits.length > EXACT_DIGITS) return `the number ${match[0]} has more digits than its parsed value holds`;
    }
  }
  if (format === 'yaml') {
    const tags = (lines: readonly string[]) => lines.flatMap(line => [...line.trimEnd().matchAll(COLLECTION_TAG)].map(match => match[1])).join(' ');
    if (tags(conflict.existing) !== tags(conflict.proposed)) return 'the sides differ in YAML tags on collections, which the parsed values do not hold';
  }
  return undefined;
}
