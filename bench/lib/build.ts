import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Brings `root`/lib up to date with src/ (`tsc --build`), so that a benchmark measures the code as it
 * is. Type errors (someone's half-written file) do not stop tsc from emitting: the run goes on, and the
 * returned warning says so. Returns undefined when the build was clean.
 */
export function compileLib(root: string): string | undefined {
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: root, stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '').trim();
    const first = output.split('\n').find(line => /error TS\d+/.test(line));
    return `\`tsc --build\` reported errors${first ? ` (${first.trim()})` : ''}; lib/ was emitted anyway and is what is measured`;
  }
}

/** A commit of `root`, exported and compiled in a folder of its own. */
export interface Snapshot {
  /** The folder: the commit's files (those asked for), `lib/` compiled from them, `node_modules` linked to `root`'s. */
  readonly dir: string;
  /** The full commit id. */
  readonly commit: string;
  /** Set when tsc reported errors (it emits anyway). */
  readonly warning?: string;
}

/**
 * Exports `paths` of commit `rev` of the repository at `root` into `dir` (`git archive`, so neither the
 * checkout nor its index is touched), links `dir/node_modules` to `root`'s, and compiles `dir/lib` with
 * `root`'s tsc. A benchmark that runs the snapshot measures exactly that commit, whatever others rebuild or
 * edit in the checkout meanwhile.
 */
export function snapshotCommit(root: string, rev: string, dir: string, paths: readonly string[]): Snapshot {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, '--', ...paths], { cwd: root, maxBuffer: 1024 ** 3 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  let warning: string | undefined;
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '').trim();
    const first = output.split('\n').find(line => /error TS\d+/.test(line));
    warning = `tsc reported errors${first ? ` (${first.trim()})` : ''}; lib/ was emitted anyway and is what is measured`;
  }
  return { dir, commit, warning };
}

/** The short id of the commit checked out in `dir`; throws outside a git work tree. */
export function shortCommit(dir: string): string {
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A build's main.js by its path inside the repository at `root`, or its absolute path when outside. */
export function buildLabel(root: string, cli: string): string {
  const relative = path.relative(root, cli);
  return relative.startsWith('..') ? cli : relative;
}
