import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
    const n = this.count++;
    const files = ['existing', 'ancestor', 'proposed'].map((name) => path.join(this.dir, `${n}.${name}`));
    fs.writeFileSync(files[0], existing);
    fs.writeFileSync(files[1], ancestor);
    fs.writeFileSync(files[2], proposed);
    const labels = options.labels ?? {};
    const args = ['merge-file', '-p',
      '-L', labels.existing ?? 'existing', '-L', labels.ancestor ?? 'ancestor', '-L', labels.proposed ?? 'proposed'];
    if (options.diff3) args.push('--diff3');
    if (options.zdiff3) args.push('--zdiff3');
    if (options.favor === 'existing') args.push('--ours');
    if (options.favor === 'proposed') args.push('--theirs');
    if (options.favor === 'union') args.push('--union');
    if (options.markerSize !== undefined) args.push(`--marker-size=${options.markerSize}`);
    args.push(...files);
    const result = spawnSync('git', args, {
      cwd: this.dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      maxBuffer: 1 << 30,
    });
    for (const file of files) fs.rmSync(file);
    if (result.error) throw result.error;
    if (result.status === null || result.status < 0 || result.status > 127) {
      throw new Error(`git merge-file failed: ${result.stderr.toString()}`);
    }
    return { buffer: result.stdout, status: result.status };
  }

  /** Removes the folder. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
