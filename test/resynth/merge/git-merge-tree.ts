import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EditTriple } from './random-edits';

const GIT_ENV = {
  ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
};

/**
 * What `git merge` (its default `ort` strategy) makes of each triple: every triple is one file of three
 * commits (the ancestor's, and two children, branches `existing` and `proposed`), merged at once by
 * `git merge-tree --write-tree existing proposed`, so the markers carry those two labels. A triple whose
 * ancestor is empty is a file both branches added, merged against nothing as git does.
 */
export function gitMergeAll(triples: readonly EditTriple[]): Buffer[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-merge-tree-'));
  try {
    const git = (args: string[], input?: Buffer | string) => {
      const result = spawnSync('git', args, { cwd: dir, env: GIT_ENV, input, maxBuffer: 1 << 30 });
      if (result.status !== 0 && !(args[0] === 'merge-tree' && result.status === 1)) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    git(['init', '-q']);
    // fast-import: three commits of every file at once, so the test starts a handful of processes, not thousands.
    const chunks: Buffer[] = [];
    const commit = (ref: string, side: keyof EditTriple, from?: string) => {
      chunks.push(Buffer.from(`commit refs/heads/${ref}\ncommitter t <t@example.com> 0 +0000\ndata 1\n${side[0]}\n${from ? `from refs/heads/${from}\n` : ''}`));
      triples.forEach((triple, i) => {
        // Absent from the ancestor's commit when empty: both branches add it.
        if (side === 'ancestor' && triple.ancestor.length === 0) return;
        chunks.push(Buffer.from(`M 100644 inline f${i}\ndata ${triple[side].length}\n`), triple[side], Buffer.from('\n'));
      });
    };
    commit('ancestor', 'ancestor');
    commit('existing', 'existing', 'ancestor');
    commit('proposed', 'proposed', 'ancestor');
    git(['fast-import', '--quiet'], Buffer.concat(chunks));
    const tree = git(['merge-tree', '--write-tree', '--no-messages', 'existing', 'proposed']).toString().split('\n')[0];
    const blobs = git(['ls-tree', tree]).toString().trim().split('\n').filter(Boolean).map(line => line.split(/\s+/));
    const byName = new Map(blobs.map(([, , oid, name]) => [name, oid]));
    const batch = git(['cat-file', '--batch'], triples.map((_, i) => byName.get(`f${i}`) ?? 'missing').join('\n') + '\n');
    const results: Buffer[] = [];
    let at = 0;
    for (let i = 0; i < triples.length; i++) {
      const header = batch.subarray(at, batch.indexOf(0x0a, at)).toString();
      at += header.length + 1;
      if (header.endsWith('missing')) {
        results.push(Buffer.alloc(0));
        continue;
      }
      const size = Number(header.split(' ')[2]);
      results.push(batch.subarray(at, at + size));
      at += size + 1;
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
