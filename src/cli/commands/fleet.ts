import { nearestName } from '../../nearest-name';
import { Command, UsageError } from '../command';

/** The fleet's subcommands, loaded on demand like the commands themselves. */
const SUBCOMMANDS: Record<string, () => Command> = {
  update: () => require('./fleet-update').command,
  worker: () => require('./fleet-worker').command,
  status: () => require('./fleet-status').command,
  forges: () => require('./fleet-forges').command,
};

/** `blueprint fleet ...`: update, follow and inspect many repositories made from one blueprint. */
export const command: Command = {
  name: 'fleet',
  subcommands: Object.keys(SUBCOMMANDS),
  summary: 'update many repositories made from a blueprint: on this machine, or on queue workers across machines',
  get usage() {
    return ['Usage: blueprint fleet <subcommand> [options]', '', 'Subcommands:',
      ...Object.entries(SUBCOMMANDS).map(([name, load]) => `  ${name.padEnd(8)} ${load().summary}`),
      '', 'Run `blueprint fleet <subcommand> --help` for its options.'].join('\n');
  },
  async run(args) {
    const [name, ...rest] = args;
    if (!name || name === '--help' || name === '-h') {
      console.log(this.usage);
      return name ? 0 : 2;
    }
    const load = SUBCOMMANDS[name];
    if (!load) {
      const meant = nearestName(name, Object.keys(SUBCOMMANDS));
      throw new UsageError(`unknown fleet subcommand '${name}' (${meant ? `did you mean '${meant}'? ` : ''}one of: ${Object.keys(SUBCOMMANDS).join(', ')})`);
    }
    const sub = load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(sub.usage);
      return 0;
    }
    try {
      return await sub.run(rest);
    } catch (error) {
      // The subcommand's own usage shows what it takes; the fleet's only lists the subcommands.
      if (error instanceof UsageError && error.usage === undefined) throw new UsageError(error.message, sub.usage);
      throw error;
    }
  },
};
