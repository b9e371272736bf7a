import { describeForges } from '../../fleet/forges';
import { Command, parseCommandArgs, UsageError } from '../command';

/** `blueprint fleet forges`: the forge providers `--forge` takes, with their options. */
export const command: Command = {
  name: 'fleet forges',
  summary: 'list the forge providers --forge takes, with their options and environment variables',
  usage: `Usage: blueprint fleet forges

Lists each forge provider by alias, with a line of help and the --forge-option names it takes.`,
  async run(args) {
    const { positionals } = parseCommandArgs({ args, allowPositionals: true, options: { verbose: { type: 'boolean' } } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    console.log(describeForges());
    return 0;
  },
};
