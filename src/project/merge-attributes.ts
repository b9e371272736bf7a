import type { ConflictStyle, DiffAlgorithm, MarkerLabels } from '../resynth/merge';
import { isConflictStyle, isDiffAlgorithm } from '../resynth/merge/types';
import { DRIVER_STRATEGY } from '../resynth/file-merge';
import { attributeDecides, BluesynthDriver, MergeAttribute, mergeByAttribute } from '../resynth/merge-attribute';
import type { FileReport } from '../resynth/report';
import { Git } from './git';
import { ConfigRecord, configRecords, UpdateConfig } from './repository-config';
import type { UpdateMerge } from './update-merge';

/**
 * Lets the repository's `merge` attribute (gitattributes) decide the files whose merge conflicted, as
 * `git merge` would (see `attributeDecides` and `mergeByAttribute`): their resolved versions are replaced
 * in the merge, and the returned reports say which attribute decided. git is asked only when some file
 * conflicted, and only about those files: a clean update costs nothing more.
 */
export function decideByMergeAttributes(git: Git, merged: UpdateMerge, prefix: string, options: { style?: ConflictStyle; diffAlgorithm?: DiffAlgorithm; labels?: MarkerLabels; markerSize?: number }, config?: UpdateConfig): readonly FileReport[] {
  const candidates = merged.files.filter(file => file.path.startsWith(prefix) && attributeDecides(file) && !merged.keptForOthers.has(file.path.slice(prefix.length)));
  if (candidates.length === 0) return merged.files;
  const attributes = mergeAttributesOf(git, candidates.map(file => file.path.slice(prefix.length)), config);
  const decided = new Map<string, FileReport>();
  for (const report of candidates) {
    const relative = report.path.slice(prefix.length);
    const { sides } = merged;
    const versions = { ancestor: sides.ancestor(relative), existing: sides.existing(relative), proposed: sides.proposed(relative), resolved: sides.resolved(relative) };
    const result = mergeByAttribute(attributes.get(relative) ?? TEXT, versions, report, options);
    if (!result) continue;
    merged.override(relative, result.file);
    decided.set(report.path, result.report);
  }
  return merged.files.map(file => decided.get(file.path) ?? file);
}

const TEXT: MergeAttribute = { kind: 'text' };

/**
 * The `merge` attribute of each path (repository-relative) as `git merge` reads it in this work tree:
 * `.gitattributes` files, `info/attributes`, `core.attributesFile` (one `git check-attr`), and, to name a
 * driver, the `merge.<name>.*` and `merge.default` settings (one `git config`, or an update's `config`, read
 * already). As git's `ll-merge.c`: a configured driver wins over a built-in of the same name, and an unknown
 * name is the text merge.
 */
export function mergeAttributesOf(git: Git, paths: readonly string[], config?: UpdateConfig): Map<string, MergeAttribute> {
  const attributes = new Map<string, MergeAttribute>();
  if (paths.length === 0) return attributes;
  const fields = git.runBuffer(['check-attr', '-z', '--stdin', 'merge'], { input: paths.map(p => `${p}\0`).join('') }).toString('utf8').split('\0');
  const drivers = mergeConfig(config ? config.merge() : readMergeSettings(git));
  // -z: path, attribute, value, for each path, each field ended by NUL.
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [file, , value] = fields.slice(i, i + 3);
    attributes.set(file, attributeOf(value, drivers));
  }
  return attributes;
}

/** What git's config says about merge drivers. */
interface MergeConfig {
  /** Names with a `merge.<name>.*` setting: git's own drivers by those names are replaced. */
  readonly drivers: ReadonlySet<string>;
  /** `merge.default`: the driver of a path whose attribute is unspecified. */
  readonly defaultName?: string;
  /** `merge.<name>.driver`: each driver's command. */
  readonly commands: ReadonlyMap<string, string>;
}

function attributeOf(value: string, config: MergeConfig): MergeAttribute {
  if (value === 'set') return TEXT;
  if (value === 'unset') return { kind: 'binary', written: '-merge' };
  const name = value === 'unspecified' ? config.defaultName : value;
  if (name === undefined) return TEXT;
  if (config.drivers.has(name)) {
    const command = config.commands.get(name);
    const bluesynth = bluesynthDriver(command);
    return { kind: 'driver', name, ...(command !== undefined ? { command } : {}), ...(bluesynth ? { bluesynth } : {}) };
  }
  if (name === 'union') return { kind: 'union' };
  if (name === 'binary') return { kind: 'binary', written: 'merge=binary' };
  return TEXT; // `text`, or a name no driver has: git's line merge
}

/** Every `merge.*` setting (none when nothing is set: exit 1). */
function readMergeSettings(git: Git): ConfigRecord[] {
  const result = git.tryRun(['config', '-z', '--get-regexp', '^merge\\.']);
  return result.status === 0 ? configRecords(result.stdout) : [];
}

function mergeConfig(settings: readonly ConfigRecord[]): MergeConfig {
  const drivers = new Set<string>();
  const commands = new Map<string, string>();
  let defaultName: string | undefined;
  for (const { key, value } of settings) {
    if (key === 'merge.default' && value !== undefined) defaultName = value;
    // merge.<name>.<key>: the name may hold dots; the key is the last part.
    const match = /^merge\.(.+)\.[^.]+$/.exec(key);
    if (match) drivers.add(match[1]);
    if (match && key.endsWith('.driver') && value !== undefined) commands.set(match[1], value);
  }
  return { drivers, defaultName, commands };
}

/**
 * What a driver command that runs bluesynth's `blueprint merge-driver` asks (as its README writes it, or as
 * `--install` writes it: `node .../main.js merge-driver`), or undefined for any other command. Only the plain
 * word forms are recognized; a command wrapped in a script is another program, and is not run. A value the
 * driver would refuse (`--style x`) makes it another program too: git would see it fail.
 */
export function bluesynthDriver(command: string | undefined): BluesynthDriver | undefined {
  if (command === undefined) return undefined;
  // Shell words as the config line writes them: a quoted path may hold blanks.
  const words = (command.match(/'[^']*'|"(?:[^"\\]|\\.)*"|\S+/g) ?? []).map(word => word.replace(/^'(.*)'$|^"(.*)"$/s, '$1$2'));
  const at = words.indexOf('merge-driver');
  if (at < 1 || !/(^|\/)(blueprint|main\.js)$/.test(words[at - 1])) return undefined;
  const option = (name: string): string | undefined => {
    for (let i = at + 1; i < words.length; i++) {
      if (words[i] === `--${name}`) return words[i + 1];
      if (words[i].startsWith(`--${name}=`)) return words[i].slice(name.length + 3);
    }
    return undefined;
  };
  const style = option('style');
  const diffAlgorithm = option('diff-algorithm');
  if (style !== undefined && !isConflictStyle(style)) return undefined;
  if (diffAlgorithm !== undefined && !isDiffAlgorithm(diffAlgorithm)) return undefined;
  return {
    strategy: option('strategy') ?? DRIVER_STRATEGY,
    ...(style ? { style } : {}),
    ...(diffAlgorithm ? { diffAlgorithm } : {}),
  };
}
