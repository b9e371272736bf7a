import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, makeBlueprint, runCli, tempDir } from '../util';

describe('issue 15 item 10: a [local] command with --allow-local-strategies-run-commands', () => {
  test('runs in a scratch copy of its folder and leaves nothing in the --existing-bundle the user gave', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-merge-local-'));
    try {
      for (const side of ['ancestor', 'existing', 'proposed']) {
        fs.mkdirSync(path.join(work, side, 'src', 'web'), { recursive: true });
        fs.writeFileSync(path.join(work, side, 'src', 'web', 'notes.txt'), `${side}\n`);
      }
      const web = path.join(work, 'existing', 'src', 'web');
      // It reads a file beside it (so it runs in a copy of its folder), then writes, deletes and takes %B.
      fs.writeFileSync(path.join(web, 'merge.sh'), '#!/bin/sh\ncat beside.txt >> "$1" && echo left > left-behind.txt && rm beside.txt && cat "$2" >> "$1"\n', { mode: 0o755 });
      fs.writeFileSync(path.join(web, 'beside.txt'), 'from beside\n');
      fs.writeFileSync(path.join(web, '.ownership-file'), '[local] ./merge.sh %A %B\nnotes.txt\n');
      const before = readTreeBytes(path.join(work, 'existing'));
      const result = spawnSync(process.execPath, [CLI, 'merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed',
        '--outdir', 'resolved', '--allow-local-strategies-run-commands'], { cwd: work, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(fs.readFileSync(path.join(work, 'resolved', 'src', 'web', 'notes.txt'), 'utf8')).toBe('existing\nfrom beside\nproposed\n');
      expect(readTreeBytes(path.join(work, 'existing'))).toEqual(before);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a refused [local] entry says how to allow it, wherever the merge runs', () => {
  test('in the blueprint\'s own resynth() in a job process, the CLI\'s flag ends the refusal', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'web' }), 'notes.txt', 'generated\\n');
  }
}
`);
    // A hand-made existing bundle in the job folder: one given as --existing-bundle is refused before any job runs.
    const existing = path.join(dir, 'out', 'resynth.defaults', 'existing-bundle');
    fs.mkdirSync(path.join(existing, 'src', 'web'), { recursive: true });
    fs.writeFileSync(path.join(existing, 'src', 'web', 'notes.txt'), 'ours\n');
    fs.writeFileSync(path.join(existing, 'src', 'web', '.ownership-file'), '[local] ./merge.sh %A %B\nnotes.txt\n');
    const result = runCli(['resynth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/src\/web\/\.ownership-file:1: refused to run the local merge command '\.\/merge\.sh %A %B': .*was not allowed; pass --allow-local-strategies-run-commands only if you trust/);
  }, 120_000);
});

function readTreeBytes(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const absolute = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    tree[path.relative(dir, absolute)] = entry.isFile() ? fs.readFileSync(absolute, 'base64') + (fs.statSync(absolute).mode & 0o777) : 'dir';
  }
  return tree;
}
