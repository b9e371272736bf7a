import * as fs from 'fs';
import { parseArgs, ParseArgsConfig } from 'util';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { refuseFileInTheWay } from '../bundle/replaceable';
import { InputError } from '../errors';
import { nearestName } from '../nearest-name';

/**
 * One command of the `blueprint` CLI. Each lives in its own file under `src/cli/commands/` and is a thin
 * layer over the library: it parses its arguments, calls the library, prints, and returns an exit code.
 */
export interface Command {
  /** The word after `blueprint`. */
  readonly name: string;
  /** One line for `blueprint --help`. */
  readonly summary: string;
  /** The full help text, shown by `blueprint <name> --help`. */
  readonly usage: string;
  /**
   * The names of its subcommands (`fleet update`), for a command that has them: it shows the help of the one
   * asked for itself, and what fails in one is said as that subcommand's (`blueprint fleet status: ...`).
   * @default none
   */
  readonly subcommands?: readonly string[];
  /** Runs the command; resolves to the process exit code. Only `main` calls `process.exit`. */
  run(args: string[]): Promise<number>;
}

/** Bad arguments: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends InputError {
  /**
   * @param usage the usage to print instead of the command's own: a subcommand's (`fleet update`), which
   * the command that runs it sets. @default the command's usage
   */
  constructor(message: string, readonly usage?: string) {
    super(message, { name: 'UsageError' });
  }
}

/**
 * Parses a command's arguments (`{ args, options, allowPositionals }`) with Node's own parser (no start-up cost), turning its errors into
 * {@link UsageError}s that name the option at fault. `unknownHints` gives, by name, the way on for options a user may
 * reasonably try that the command does not have (`update --abort`, as after `git rebase`), said instead of the
 * nearest name (`--adopt`, which does something else entirely).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, unknownHints: Readonly<Record<string, string>> = {}): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new UsageError(usageMessage(error as NodeJS.ErrnoException, config, unknownHints));
  }
}

/**
 * One of Node's parser errors said as the CLI's own messages are (`unknown option '--x'`, `missing required option
 * --outdir`): Node's name the option in another style, over several lines, with hints that do not apply here (an
 * unbalanced quote). An error it does not recognize (another Node version's wording) keeps Node's message.
 */
function usageMessage(error: NodeJS.ErrnoException, config: ParseArgsConfig, unknownHints: Readonly<Record<string, string>>): string {
  const message = error.message;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown) {
      const name = unknown.replace(/^-+/, '').split('=')[0];
      if (Object.hasOwn(unknownHints, name)) return `unknown option '${unknown}': ${unknownHints[name]}`;
      const near = nearestName(name, Object.keys(config.options ?? {}));
      return `unknown option '${unknown}'${near ? ` (did you mean --${near}?)` : ''}`;
    }
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /Unexpected argument '([^']*)'/.exec(message)?.[1];
    if (argument !== undefined) return `unexpected argument '${argument}'`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--outdir <value>' argument missing", "Option '-o, --outdir <value>' ...": the long name.
    const option = /Option '(?:-\w, )?(--?[^' ,<]+)/.exec(message)?.[1]?.trim();
    if (option && /argument missing/.test(message)) return `${option} needs a value`;
    if (option && /does not take an argument/.test(message)) return `${option} takes no value`;
    if (option && /argument is ambiguous/.test(message)) {
      // The parser refuses a value that starts with '-' (--timeout -5, or an option where the value was forgotten).
      const args = config.args ?? [];
      const next = args.find((arg, index) => index > 0 && args[index - 1] === option && arg.startsWith('-'));
      return next === undefined
        ? `${option} needs a value`
        : `${option} needs a value, and '${next}' starts with '-', so it reads as an option; if it is the value, write ${option}=${next}`;
    }
  }
  return message;
}

/**
 * The blueprint folder an option names (`.` when it is not given), checked first: a missing folder
 * must be reported as itself, not as the first file of it that a command tries to read.
 */
export function blueprintFolderOption(value: string | undefined, option = '--blueprint'): string {
  if (value === undefined && !['package.json', BlueprintFolder.ENTRY].some(file => fs.existsSync(file))) {
    // Said here: the runner would name a missing src/index.ts, and not that the folder was never given.
    throw new UsageError(
      `no ${option} given, and the current folder (its default, '.': ${process.cwd()}) is no blueprint folder: ` +
        `it has neither ${BlueprintFolder.ENTRY} nor package.json; run in the blueprint's folder or give ${option} DIR`,
    );
  }
  return existingFolder(value ?? '.', option);
}

/**
 * The folder an optional option names (`--existing-bundle DIR`), checked as {@link blueprintFolderOption} checks
 * its own: a path that is not a folder would otherwise reach the blueprint as an empty project, without a word.
 * Undefined when the option is not given.
 */
export function folderOption(value: string | undefined, option: string): string | undefined {
  return value === undefined ? undefined : existingFolder(value, option);
}

function existingFolder(dir: string, option: string): string {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`${option}: '${dir}' is not a folder`);
  }
  return dir;
}

/** Returns a required string option or throws a {@link UsageError} naming it. */
export function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`missing required option --${name}`);
  }
  return value;
}

/**
 * An output folder the user named (`--outdir OUT`, `PROJECT_DIR`), checked before anything runs: a file where
 * it, or a folder above it, should be is an input error naming the option, not a bare ENOTDIR once the first
 * job writes. `label` is how the usage names it.
 */
export function outputFolder(value: string, label: string): string {
  refuseFileInTheWay(value, `${label} '${value}'`);
  return value;
}
