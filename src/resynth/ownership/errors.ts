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

/** A `[local]` entry met while running local commands is not allowed. */
export class LocalStrategyRefusedError extends ResynthInputError {
  constructor(
    public readonly file: string,
    public readonly line: number,
    command: string,
    flag: string,
  ) {
    super(
      `${file}:${line}: refused to run the local merge command '${command}': an ownership file can run any ` +
        `program on this machine; pass ${flag} only if you trust this repository's ownership files`,
    );
  }
}
