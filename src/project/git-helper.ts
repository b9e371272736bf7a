import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { GitResult } from './git';
import { processIsAlive } from '../bundle/staging';

/**
 * Starts git commands from one small shell process kept for the life of this process, instead of from
 * this process itself.
 *
 * Why: Node starts a child with `fork()`, whose cost grows with the parent's memory (its page tables are
 * copied, then every page the parent writes is copied again). A fleet process that runs blueprints in its
 * own process holds over 100 MB, and starting a git command from it cost about twice what git then
 * took to run (bench/RESULTS.md, "Fleet"). A shell of a megabyte forks cheaply.
 *
 * The protocol is synchronous, like `spawnSync`, over two named pipes: this process writes the command
 * as one line of shell to the helper's command pipe (or, when a value holds a newline, the path of a
 * script file); the helper runs it in a subshell (git's input and output are files) and writes the exit
 * status to the status pipe, which this process reads with a blocking read. One command runs at a time,
 * which is all a synchronous caller can ask for.
 */
export class GitHelper {
  private static instance: GitHelper | null | undefined;

  private readonly dir: string;
  private readonly commands!: number;
  private readonly status!: number;
  /** The environment the helper started with; each command sets and unsets what differs from it. */
  private readonly baseEnv: NodeJS.ProcessEnv;
  private broken = false;
  /** Commands started in the background so far: each has files of its own. */
  private jobs = 0;

  /** The process's helper, started on first use; undefined where there is none (no `/bin/sh`, or it failed). */
  static shared(): GitHelper | undefined {
    if (GitHelper.instance === undefined) {
      try {
        GitHelper.instance = process.platform === 'win32' || process.env.BLUESYNTH_GIT_HELPER === '0' ? null : new GitHelper();
      } catch {
        GitHelper.instance = null;
      }
    }
    return GitHelper.instance ?? undefined;
  }

  private constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-git-'));
    const commandPipe = path.join(this.dir, 'commands');
    const statusPipe = path.join(this.dir, 'status');
    this.baseEnv = { ...process.env };
    // The shell makes the two pipes (Node cannot, and starting `mkfifo` from here would fork this whole process).
    // A subshell keeps one command's `cd` and exports from the next.
    // Each line is a script to run, or (starting with '/') names a file that holds one. The command pipe
    // ends when this process is gone, however it ended (a SIGKILL runs no exit handler): the shell then
    // removes the folder itself, unless this process did first (see close()). Killed during a command, it is told so
    // by SIGPIPE when it writes that command's status: the trap removes the folder then (a subshell and git get
    // SIGPIPE's default action back).
    const remove = '[ ! -d "$3" ] || rm -rf "$3"';
    const loop = `mkfifo "$1" "$2" || { : >"$3/failed"; exit 1; }; trap '${remove}; exit 1' PIPE; exec <"$1" 3>"$2"; echo ready >&3; ` +
      `while IFS= read -r script; do case $script in /*) (. "$script");; *) (eval "$script");; esac; echo "$?" >&3; done; ${remove}`;
    // In a process group of its own: Ctrl-C at a terminal signals the whole foreground group, and a git command
    // it cut midway (an update's read-tree) would leave the index or the work tree half-written. A git command
    // started runs to its end; whether to stop is this process's to decide (see the update's landing).
    spawn('/bin/sh', ['-c', loop, 'sh', commandPipe, statusPipe, this.dir], { stdio: 'ignore', env: this.baseEnv, detached: true }).unref();
    process.once('exit', () => this.close());
    let probe: number | undefined;
    try {
      // No open or read here may wait on a helper that never started or died. The command pipe is opened for
      // reading and writing, so it has a reader already; the status pipe is first read without blocking until
      // the helper says it is ready (it has then opened its end), and only then opened for blocking reads.
      // `mkfifo` makes the pipes in the order named: once the status pipe is there, both are.
      awaitPipes(statusPipe, path.join(this.dir, 'failed'));
      this.commands = fs.openSync(commandPipe, fs.constants.O_RDWR);
      probe = fs.openSync(statusPipe, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      awaitReady(probe);
      // A writer of our own for a moment, so that the blocking open returns at once even if the helper has
      // just died; once it is closed, a read that ends (no writer left) means the helper is gone.
      const writer = fs.openSync(statusPipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      this.status = fs.openSync(statusPipe, fs.constants.O_RDONLY);
      fs.closeSync(writer);
    } catch (error) {
      this.close();
      throw error;
    } finally {
      if (probe !== undefined) fs.closeSync(probe);
    }
  }

  /**
   * Runs `git args` in `cwd` with `env` (the whole environment the command should see) and `input` on its
   * standard input; undefined when the helper cannot run it (then the caller starts git itself).
   */
  run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input: string | Buffer | undefined): GitResult | undefined {
    if (this.broken) return undefined;
    const file = (name: string) => path.join(this.dir, name);
    const lines = this.commandLines(args, cwd, env, input, file('stdin'), file('stdout'), file('stderr'));
    if (!lines) return undefined;
    // The status pipe is not git's to inherit: a process git leaves behind (an automatic gc) would hold it open.
    lines[lines.length - 1] = `exec ${lines[lines.length - 1]} 3>&-`;
    try {
      if (lines.some(line => line.includes('\n'))) {
        // A value with a newline in it: the script goes in a file for the helper to source.
        fs.writeFileSync(file('script'), `${lines.join('\n')}\n`);
        fs.writeSync(this.commands, `${file('script')}\n`);
      } else {
        // Else down the pipe itself, as one line: no file to write.
        fs.writeSync(this.commands, `${lines.join('; ')}\n`);
      }
      const status = Number(this.readLine());
      return { status, stdout: fs.readFileSync(file('stdout')), stderr: fs.readFileSync(file('stderr'), 'utf8') };
    } catch {
      // The helper is gone (killed, say): from now on the caller starts git itself.
      this.close();
      return undefined;
    }
  }

  /**
   * Starts `git args` as {@link run} would, and returns at once: the command runs beside this process (on
   * another core, while this one works), its output going to files of its own. The returned function waits
   * for it and gives what {@link run} would have, or undefined when the command could not be followed (its
   * shell gone without a status), and so does `start` when the helper cannot start it: the caller then runs
   * it itself.
   */
  start(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input: string | Buffer | undefined): (() => GitResult | undefined) | undefined {
    if (this.broken) return undefined;
    const job = `job-${this.jobs++}-`;
    const file = (name: string) => path.join(this.dir, job + name);
    const lines = this.commandLines(args, cwd, env, input, file('stdin'), file('stdout'), file('stderr'));
    if (!lines || lines.some(line => line.includes('\n'))) return undefined;
    // The command in a subshell of its own, in the background; its exit status written to a file when it ends,
    // and that subshell's process id, so that a wait notices a command that was killed with it.
    lines[lines.length - 1] = `exec ${lines[lines.length - 1]}`;
    const script = `{ (${lines.join('; ')}); echo "$?" >${quote(file('status'))}; } 3>&- & echo "$!" >${quote(file('pid'))}`;
    try {
      fs.writeSync(this.commands, `${script}\n`);
      if (Number(this.readLine()) !== 0) return undefined;
    } catch {
      this.close();
      return undefined;
    }
    return () => {
      const status = awaitStatus(file('status'), file('pid'));
      try {
        return status === undefined ? undefined : { status, stdout: fs.readFileSync(file('stdout')), stderr: fs.readFileSync(file('stderr'), 'utf8') };
      } catch {
        return undefined;
      } finally {
        for (const name of ['stdin', 'stdout', 'stderr', 'status', 'pid']) fs.rmSync(file(name), { force: true });
      }
    };
  }

  /**
   * The shell lines that run `git args` in `cwd` with exactly `env`, reading `inputFile` (when there is
   * `input`, written there now) and writing `outFile` and `errFile`; the last line is the git command.
   * Undefined when a variable's name is not one the shell can set.
   */
  private commandLines(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input: string | Buffer | undefined, inputFile: string, outFile: string, errFile: string): string[] | undefined {
    const exports: string[] = [];
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined || this.baseEnv[key] === value) continue;
      if (!SHELL_NAME.test(key)) return undefined;
      exports.push(`export ${key}=${quote(value)}`);
    }
    for (const key of Object.keys(this.baseEnv)) {
      if (env[key] !== undefined) continue;
      if (!SHELL_NAME.test(key)) return undefined;
      exports.push(`unset ${key}`);
    }
    if (input !== undefined) fs.writeFileSync(inputFile, input);
    return [
      `cd ${quote(cwd)} 2>${quote(errFile)} || exit 126`,
      ...exports,
      `git ${args.map(quote).join(' ')} <${input === undefined ? '/dev/null' : quote(inputFile)} >${quote(outFile)} 2>${quote(errFile)}`,
    ];
  }

  /** The helper's next line; it ends when the helper is gone (no writer left). */
  private readLine(): string {
    const buffer = Buffer.alloc(16);
    let line = '';
    while (!line.endsWith('\n')) {
      const read = fs.readSync(this.status, buffer, 0, buffer.length, null);
      if (read === 0) throw new Error('the git helper stopped');
      line += buffer.toString('latin1', 0, read);
    }
    return line.trim();
  }

  private close(): void {
    this.broken = true;
    // The folder first: the helper, which ends when the command pipe closes, then has none to remove (no `rm` to start).
    fs.rmSync(this.dir, { recursive: true, force: true });
    for (const fd of [this.commands, this.status]) {
      if (fd === undefined) continue; // never opened: the helper did not start
      try {
        fs.closeSync(fd);
      } catch {
        // closed already
      }
    }
  }
}

/** A name the shell can export (others are left to `spawnSync`). */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How long a new helper may take to start before git is started directly instead. */
const STARTUP_MS = 10_000;

/**
 * Waits, polling, for the helper to make its pipes (`made`, the last of them); a helper that says it could not
 * (`failed`: no `mkfifo` on this system, say) or never does is given up, the second after {@link STARTUP_MS}.
 */
function awaitPipes(made: string, failed: string): void {
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + STARTUP_MS;
  while (!fs.existsSync(made)) {
    if (fs.existsSync(failed)) throw new Error('the git helper could not make its pipes');
    if (Date.now() > deadline) throw new Error('the git helper did not start');
    Atomics.wait(sleep, 0, 0, 1);
  }
}

/**
 * Waits, polling the status pipe without blocking, for the helper's `ready`: until then its end may not be
 * open yet (the pipe reads as ended), and a helper that never starts is given up after {@link STARTUP_MS}.
 */
function awaitReady(fd: number): void {
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  const buffer = Buffer.alloc(16);
  const deadline = Date.now() + STARTUP_MS;
  let line = '';
  while (!line.endsWith('\n')) {
    if (Date.now() > deadline) throw new Error('the git helper did not start');
    let read = 0;
    try {
      read = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
    if (read > 0) line += buffer.toString('latin1', 0, read);
    else Atomics.wait(sleep, 0, 0, 1);
  }
  if (line.trim() !== 'ready') throw new Error(`the git helper said '${line.trim()}'`);
}

/**
 * Waits for a background command's exit status (see `GitHelper.start`): polled, since its shell is no child of
 * this process; undefined when the shell that runs it is gone without writing one (killed).
 */
function awaitStatus(statusFile: string, pidFile: string): number | undefined {
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  const status = () => {
    const text = fs.readFileSync(statusFile, { encoding: 'utf8', flag: 'r' });
    return text.endsWith('\n') ? Number(text) : undefined;
  };
  for (let polls = 0; ; polls++) {
    const written = fs.existsSync(statusFile) ? status() : undefined;
    if (written !== undefined) return written;
    // Now and then: is its shell still there? (Its status is written before it ends: read once more.)
    if (polls % 100 === 99 && !alive(pidFile)) return fs.existsSync(statusFile) ? status() : undefined;
    Atomics.wait(sleep, 0, 0, 1);
  }
}

/** Whether the process whose id the file holds is running. */
function alive(pidFile: string): boolean {
  return processIsAlive(Number(fs.readFileSync(pidFile, 'utf8')));
}

/** One word for the shell, whatever its bytes: single quotes, each `'` written as `'\''`. */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
