import * as fs from 'fs';
import { parseArgs, ParseArgsConfig } from 'util';
import { InputError } from '../errors';

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
  /** True for a command with subcommands, which shows the help of the one asked for itself. @default false */
  readonly subcommands?: boolean;
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
 * {@link UsageError}s that name the option at fault.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The blueprint folder an option names (`.` when it is not given), checked first: a missing folder
 * must be reported as itself, not as the first file of it that a command tries to read.
 */
export function blueprintFolderOption(value: string | undefined, option = '--blueprint'): string {
  const dir = value ?? '.';
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
