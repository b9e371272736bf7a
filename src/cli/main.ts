#!/usr/bin/env node
import { Command, UsageError } from './command';

/**
 * The commands, loaded on demand so that `blueprint synth` pays only for what synthesis needs.
 * Adding a command is one line here and one file in `commands/`.
 */
const COMMANDS: Record<string, () => Command> = {
  'synth': () => require('./commands/synth').command,
  'drive-synth': () => require('./commands/drive-synth').command,
  'resynth': () => require('./commands/resynth').command,
  'drive-resynth': () => require('./commands/drive-resynth').command,
  'merge': () => require('./commands/merge').command,
  'strategies': () => require('./commands/strategies').command,
  'build-schema': () => require('./commands/build-schema').command,
  'build-ast': () => require('./commands/build-ast').command,
  'validate-options': () => require('./commands/validate-options').command,
  'preview': () => require('./commands/preview').command,
  'new': () => require('./commands/new').command,
  'create': () => require('./commands/create').command,
  'update': () => require('./commands/update').command,
  'check': () => require('./commands/check').command,
  'status': () => require('./commands/status').command,
};

function printHelp(): void {
  const lines = ['Usage: blueprint <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(18)} ${load().summary}`);
  }
  lines.push('', 'Run `blueprint <command> --help` for the options of one command.');
  console.log(lines.join('\n'));
}

/**
 * Runs the CLI and resolves to its exit code: 0 success, 1 a failed job, 2 bad input.
 */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv.filter(a => a !== '--verbose');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`blueprint: unknown command '${name}'. Run 'blueprint --help' for the list.`);
    return 2;
  }
  const command = load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(verbose ? [...rest, '--verbose'] : rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`blueprint ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    const e = error as Error;
    console.error(`blueprint ${name}: ${verbose ? e.stack ?? e.message : e.message}`);
    return isInputError(e) ? 2 : 1;
  }
}

/** Errors about the user's input (a file that is not there, a malformed file) exit 2, like usage errors. */
function isInputError(error: Error & { code?: string }): boolean {
  return error.code === 'ENOENT' || error.name === 'InputError';
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
