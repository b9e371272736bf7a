import { InputError } from '../errors';
import { absoluteSpec } from '../fleet/trusted-source';
import { blueprintSource, resolveRequested } from '../project/sources';
import { UsageError } from './command';

/** A whole number option of at least `min` (`--jobs 4`), or undefined when not given. */
export function integerOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, not '${value}'`);
  return n;
}

/** `--shard I/N` (1 <= I <= N): the shard's index from 0 and the count. */
export function shardOption(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be I/N with 1 <= I <= N (this is shard I of N), not '${value}'`);
  return { index: index - 1, count };
}

/** `--forge-option k=v` values as a record; a value without `=` names itself. */
export function keyValueOptions(name: string, values: readonly string[] | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  for (const assignment of values ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new UsageError(`--${name} ${assignment}: expected name=value`);
    options[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return options;
}

/**
 * A blueprint source flag (`--source`, `--allow-source`) as the spec a job carries to any machine (paths made
 * absolute). With `resolve` (the fleet's `--source`, at its `--to`), the source is also resolved now: a spec that
 * names nothing, or a version it lacks, is found before any repository is cloned, rather than in each.
 */
export function sourceOption(name: string, spec: string, resolve?: { readonly to: string | undefined }): string {
  try {
    const absolute = absoluteSpec(spec, process.cwd());
    if (resolve) resolveRequested(blueprintSource(absolute, process.cwd()), resolve.to);
    return absolute;
  } catch (error) {
    throw new InputError(`--${name} ${spec}: ${(error as Error).message}`);
  }
}

/**
 * The note for a fleet's `--source URL#REF` given without `--to`: the ref reads as the version to go to, but it
 * picks none (it names the source; each repository goes to the newest version it follows), so a run meant for
 * `v1.2.0` would take every repository to a newer tag without a word. Undefined where there is nothing to say.
 */
export function sourceRefNote(spec: string, to: string | undefined): string | undefined {
  if (to !== undefined) return undefined;
  const source = blueprintSource(absoluteSpec(spec, process.cwd()), process.cwd());
  const ref = source.kind === 'git' ? source.current : undefined;
  if (!ref) return undefined;
  return `note: --source ${spec}: its #${ref} picks no version: each repository goes to the newest version it follows; ` +
    `give --to ${ref} to update to that one`;
}
