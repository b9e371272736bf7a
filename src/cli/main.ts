#!/usr/bin/env node
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, pinCacheDir } from '../cache/cache-dir';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { exitCodeOf } from '../errors';
import { nearestName } from '../nearest-name';
import { givenRepositoryEnvironment } from '../project/git';
import { installCompileCache } from '../runner/compile-cache';
import { isWriteRefusal, OutputNotWritableError } from '../bundle/writable';
import { Command, UsageError } from './command';
import { printableText } from '../printable';

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
  'merge-driver': () => require('./commands/merge-driver').command,
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
  'disassociate': () => require('./commands/disassociate').command,
  'fleet': () => require('./commands/fleet').command,
};

/** This installation of the framework, in cache file names. */
const INSTALLATION = crypto.createHash('sha256').update(FRAMEWORK_ROOT).digest('hex').slice(0, 16);

function printHelp(): void {
  const lines = ['Usage: blueprint <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(18)} ${load().summary}`);
  }
  lines.push('', 'Run `blueprint <command> --help` for the options of one command, `blueprint --version` for the version.');
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
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(JSON.parse(fs.readFileSync(path.join(FRAMEWORK_ROOT, 'package.json'), 'utf8')).version);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const meant = nearestName(name, Object.keys(COMMANDS));
    console.error(`blueprint: unknown command '${name}'${meant ? ` (did you mean '${meant}'?)` : ''}. Run 'blueprint --help' for the list.`);
    return 2;
  }
  pinCacheDir();
  // A command's modules load with V8's compiled code from its last run: one file per command, so that
  // `merge` never reads the code of the TypeScript compiler that `build-schema` loads.
  let compileCacheFile: string;
  try {
    compileCacheFile = cacheDir('compiled', `cli-${INSTALLATION}-${name}.v8`);
  } catch (error) {
    // No cache folder can be named (no home folder): bad input, the environment's, said before the command loads.
    console.error(`blueprint ${name}: ${(error as Error).message}`);
    return 2;
  }
  const saveCompileCache = installCompileCache(compileCacheFile);
  const command = load();
  if (!command.subcommands && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(command.usage);
    return 0;
  }
  // What fails is said as the subcommand's, when one runs (`blueprint fleet status: ...`).
  const label = command.subcommands?.includes(rest[0]) ? `${name} ${rest[0]}` : name;
  // Before anything starts: a GIT_DIR (a git folder kept apart, an editor's git integration) names the project's repository
  // only, not a blueprint source's mirror or the repositories a blueprint's job works in.
  givenRepositoryEnvironment();
  const output = watchStandardOutput();
  try {
    const code = await command.run(verbose ? [...rest, '--verbose'] : rest);
    saveCompileCache();
    return code;
  } catch (error) {
    // A caller that asked for JSON reads standard output: it gets the refusal there too, not an empty report
    // (unless the command printed its report before it failed: a fleet's, with each repository's outcome).
    const failed = (message: string, exitCode: number) => {
      if (rest.includes('--json') && !output.written()) console.log(JSON.stringify({ error: message, exitCode }));
      return exitCode;
    };
    if (error instanceof UsageError) {
      console.error(`blueprint ${label}: ${error.message}\n\n${error.usage ?? command.usage}`);
      return failed(error.message, 2);
    }
    const e = isWriteRefusal(error) && error.path ? new OutputNotWritableError(error.path, error.code) : error as Error;
    // A job's failure may carry the blueprint's own words (its error, a path it chose).
    console.error(`blueprint ${label}: ${printableText(verbose ? e.stack ?? e.message : e.message)}`);
    return failed(e.message, exitCodeOf(e));
  } finally {
    output.stop();
  }
}

/** Notes whether anything is written to standard output until `stop()`. */
function watchStandardOutput(): { written: () => boolean; stop: () => void } {
  let written = false;
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
    written = true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof write;
  return { written: () => written, stop: () => void (process.stdout.write = write) };
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
