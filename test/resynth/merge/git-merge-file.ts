import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gitBatch } from './git-batch';

/** What `git merge-file -p` printed and how it exited. */
export interface GitMergeOutcome {
  readonly buffer: Buffer;
  /** git's exit status: 0 when clean, else the number of conflicts (capped at 127). */
  readonly status: number;
}

/** Options for {@link gitMergeFile}. */
export interface GitMergeFileOptions {
  readonly diff3?: boolean;
  readonly zdiff3?: boolean;
  readonly favor?: 'existing' | 'proposed' | 'union';
  readonly markerSize?: number;
  readonly labels?: { existing?: string; ancestor?: string; proposed?: string };
}

/** A temporary folder holding the three input files of each git run. */
export class GitMergeWorkspace {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-merge-'));
  private count = 0;

  /** Runs the reference command on three buffers, with no user or system git config. */
  run(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: GitMergeFileOptions = {}): GitMergeOutcome {
    return this.runAll([{ ancestor, existing, proposed }], options)[0];
  }

  /** {@link run} on every triple, all from one shell (see `gitBatch`). */
  runAll(triples: readonly { ancestor: Buffer; existing: Buffer; proposed: Buffer }[], options: GitMergeFileOptions = {}): GitMergeOutcome[] {
    const labels = options.labels ?? {};
    const flags = ['-L', labels.existing ?? 'existing', '-L', labels.ancestor ?? 'ancestor', '-L', labels.proposed ?? 'proposed'];
    if (options.diff3) flags.push('--diff3');
    if (options.zdiff3) flags.push('--zdiff3');
    if (options.favor === 'existing') flags.push('--ours');
    if (options.favor === 'proposed') flags.push('--theirs');
    if (options.favor === 'union') flags.push('--union');
    if (options.markerSize !== undefined) flags.push(`--marker-size=${options.markerSize}`);
    const files = triples.map(triple => {
      const n = this.count++;
      return (['existing', 'ancestor', 'proposed'] as const).map(side => {
        const file = path.join(this.dir, `${n}.${side}`);
        fs.writeFileSync(file, triple[side]);
        return file;
      });
    });
    try {
      return gitBatch(this.dir, files.map(three => ['merge-file', '-p', ...flags, ...three])).map(({ stdout, status }) => {
        if (status > 127) throw new Error(`git merge-file failed with status ${status}`);
        return { buffer: stdout, status };
      });
    } finally {
      for (const file of files.flat()) fs.rmSync(file);
    }
  }

  /** Removes the folder. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
