import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_MARKER_SIZE, type MergeConflict } from '../merge';
import { anyFile, ContextFile, StrategyFunction, StrategyOptions } from './context-file';
import { ResynthInputError } from './errors';
import { recorderFor } from './recorder';

/** The id of the SDK's command-running strategy: `[local] <command with %A %O %B %L %P>`. */
export const LOCAL_STRATEGY_ID = 'local';

/**
 * The SDK's shape for a local command: an executable made of path characters, then arguments that
 * contain no whitespace. The command never goes through a shell, so arguments cannot chain commands.
 */
const LOCAL_COMMAND = /^[a-zA-Z0-9._/-]+(\s+\S+)*$/;

/** How long a local command may run before it is killed. */
export const DEFAULT_LOCAL_TIMEOUT_MS = 60_000;

/** Throws unless `command` has the shape the SDK accepts; `where` names the ownership file and line. */
export function validateLocalCommand(command: string, where: string): void {
  if (!LOCAL_COMMAND.test(command.trim())) {
    throw new ResynthInputError(`${where}: rejected unsafe local merge command '${command}'`);
  }
}

/** Where and how a local command runs. */
export interface LocalStrategySettings {
  /**
   * The ownership file's folder inside the existing bundle on disk. The command runs in a scratch copy of
   * it, made for each file, so that it sees the project's files beside it (a script it names) but nothing it
   * writes or deletes reaches the bundle the user gave.
   * @default - an empty temporary folder
   */
  readonly cwd?: string;
  /** Names the ownership file and line, for error messages. */
  readonly where: string;
  /**
   * Milliseconds before the command is killed.
   * @default 60000
   */
  readonly timeoutMs?: number;
}

/**
 * A strategy that runs a git-merge-driver-style command, as the SDK's `[local]` entries do: the three
 * versions are written to temporary files, `%A` (existing), `%O` (ancestor), `%B` (proposed), `%L`
 * (marker size) and `%P` (the file's path in its repository) are substituted into the command's words,
 * and the command is run without a shell. Like a git merge driver, it leaves the result in `%A`
 * (a deleted `%A` means the file is absent) and exits 0 when clean, 1 to 127 when it left conflicts.
 *
 * Only ever constructed when the user allowed local commands to run.
 */
export function localStrategy(command: string, settings: LocalStrategySettings): StrategyFunction {
  validateLocalCommand(command, settings.where);
  const words = command.trim().split(/\s+/);
  return function local(
    commonAncestorFile: ContextFile | undefined,
    existingFile: ContextFile | undefined,
    proposedFile: ContextFile | undefined,
    options?: StrategyOptions,
  ): ContextFile | undefined {
    const named = anyFile(existingFile, proposedFile, commonAncestorFile);
    const markerSize = options?.markerSize && options.markerSize > 0 ? options.markerSize : DEFAULT_MARKER_SIZE;
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-local-merge-'));
    try {
      const files = {
        A: writeTemp(temp, 'existing', existingFile),
        O: writeTemp(temp, 'ancestor', commonAncestorFile),
        B: writeTemp(temp, 'proposed', proposedFile),
      };
      // Substituting word by word keeps a path with spaces one argument.
      const argv = words.map(word => word.replace(/%([AOBLP])/g, (_, key: string) => {
        if (key === 'L') return String(markerSize);
        if (key === 'P') return named.path;
        return files[key as 'A' | 'O' | 'B'];
      }));
      const [executable, ...args] = argv;
      const run = spawnSync(executable, args, {
        cwd: scratchCopy(settings.cwd, temp),
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: settings.timeoutMs ?? DEFAULT_LOCAL_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        windowsHide: true,
      });
      const failure = describeFailure(run);
      if (failure) {
        const stderr = run.stderr?.toString().trim();
        throw new Error(`${settings.where}: local merge command '${command}' ${failure} on '${named.repositoryName}/${named.path}'${stderr ? `: ${stderr}` : ''}`);
      }
      const buffer = fs.existsSync(files.A) ? fs.readFileSync(files.A) : undefined;
      const conflicts = run.status === 0 || !buffer ? [] : conflictsIn(buffer, markerSize);
      recorderFor(options)?.record({ buffer, conflicts, favored: [], binary: false });
      return buffer === undefined ? undefined : { repositoryName: named.repositoryName, path: named.path, buffer };
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  };
}

/** A copy of `folder` (links kept as links) inside `temp`, where a command may do as it likes; `temp` itself without one. */
function scratchCopy(folder: string | undefined, temp: string): string {
  if (folder === undefined || !fs.existsSync(folder)) return temp;
  // Under its own name: a command may look at the name of the folder it runs in.
  const copy = path.join(temp, 'cwd', path.basename(folder));
  fs.cpSync(folder, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

function writeTemp(folder: string, name: string, file: ContextFile | undefined): string {
  const target = path.join(folder, name);
  fs.writeFileSync(target, file?.buffer ?? Buffer.alloc(0), { mode: 0o600, flag: 'wx' });
  return target;
}

/** Why the run failed, or undefined: exit codes 1..127 are conflicts, as for a git merge driver. */
function describeFailure(run: ReturnType<typeof spawnSync>): string | undefined {
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return code === 'ETIMEDOUT' ? 'timed out' : `could not run (${run.error.message})`;
  }
  if (run.signal) return `was killed by ${run.signal}`;
  if (run.status === null || run.status >= 128) return `failed with exit code ${run.status}`;
  return undefined;
}

/** The conflict hunks a command left: one per opening marker line, at least one (its exit code said so). */
function conflictsIn(buffer: Buffer, markerSize: number): MergeConflict[] {
  const opening = '<'.repeat(markerSize);
  const conflicts: MergeConflict[] = [];
  const lines = buffer.toString('latin1').split('\n');
  lines.forEach((line, index) => {
    if (line.startsWith(opening) && (line.length === markerSize || line[markerSize] === ' ' || line[markerSize] === '\r')) {
      conflicts.push({ existing: [], ancestor: [], proposed: [], resultLine: index + 1 });
    }
  });
  return conflicts.length ? conflicts : [{ existing: [], ancestor: [], proposed: [], resultLine: 1 }];
}
