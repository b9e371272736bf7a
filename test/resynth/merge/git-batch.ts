import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What one git command of a batch printed and how it exited. */
export interface BatchOutcome {
  readonly stdout: Buffer;
  readonly status: number;
}

/**
 * Runs git commands (argument lists, without `git`) one after another from one shell, in `cwd`, with no user or
 * system config, and returns each one's output and exit status. The tests compare with real git on hundreds of
 * cases: started from the test's own process, each git cost tens of milliseconds (Node forks that large process
 * for every child); a shell forks cheaply.
 */
export function gitBatch(cwd: string, commands: readonly (readonly string[])[]): BatchOutcome[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-git-batch-'));
  try {
    const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
    const script = commands.map((args, i) => `git ${args.map(quote).join(' ')} > ${quote(path.join(out, String(i)))}; echo $? >> ${quote(path.join(out, 'status'))}`);
    const result = spawnSync('sh', ['-c', script.join('\n')], { cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
    if (result.error) throw result.error;
    const statuses = fs.readFileSync(path.join(out, 'status'), 'utf8').trim().split('\n').map(Number);
    if (statuses.length !== commands.length) throw new Error(`git batch: ${statuses.length} of ${commands.length} commands ran: ${result.stderr}`);
    return statuses.map((status, i) => ({ stdout: fs.readFileSync(path.join(out, String(i))), status }));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
