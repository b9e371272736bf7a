import { ResynthInputError } from '../strategies/errors';

/** A line of an `.ownership-file` that cannot be read; the message names the file and line. */
export class OwnershipFileSyntaxError extends ResynthInputError {
  constructor(
    public readonly file: string,
    public readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

/**
 * A `[local]` entry met while running local commands is not allowed. The message says what was refused;
 * how to allow it is the caller's to say (`howToAllow`: the CLI names its flag), as this layer knows no
 * command line.
 */
export class LocalStrategyRefusedError extends ResynthInputError {
  constructor(
    public readonly file: string,
    public readonly line: number,
    command: string,
    howToAllow?: string,
  ) {
    super(
      `${file}:${line}: refused to run the local merge command '${command}': an ownership file can run any ` +
        `program on this machine, and running its commands was not allowed${howToAllow ? `; ${howToAllow}` : ''}`,
    );
  }
}
