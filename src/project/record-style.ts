import type * as Structured from '../resynth/merge/structured';

/**
 * The new record as the project's merged tree gets it: in the layout of `HEAD`'s record when the team reformatted
 * it, else as the command writes it (`next`).
 *
 * A team that formats its JSON (prettier, an editor on save) reformats `.bluesynth/instantiations.json` with the
 * rest; an update that wrote the whole file back in its own two-space layout failed their `prettier --check` after
 * every update. The new values are written as edits of `HEAD`'s text, as the structured merge writes any JSON
 * file a team reformatted (the ancestor: `HEAD`'s values in the command's layout). Only a result that holds exactly
 * the new record's values is taken; the new baseline keeps the command's layout, which every later update reads.
 */
export function recordInProjectStyle(head: string | undefined, next: string): string {
  if (head === undefined) return next;
  let values: unknown;
  try {
    values = JSON.parse(head);
  } catch {
    return next; // the update refuses a record it cannot read before it gets here; nothing of its text to keep
  }
  const commandLayout = `${JSON.stringify(values, null, 2)}\n`;
  if (head === commandLayout) return next;
  // Loaded here, not at the update's start: the structured merge brings `yaml` and `semver`, which few updates need.
  const { mergeStructured, sameValue } = require('../resynth/merge/structured') as typeof Structured;
  const merged = mergeStructured(Buffer.from(commandLayout), Buffer.from(head), Buffer.from(next), { format: 'json' });
  if (merged.conflicts.length > 0) return next;
  const text = merged.buffer.toString('utf8');
  try {
    return sameValue(JSON.parse(text), JSON.parse(next)) ? text : next;
  } catch {
    return next;
  }
}
