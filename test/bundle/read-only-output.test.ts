import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';

/**
 * Tests run as root here, and root ignores permission bits: a folder without write permission is made
 * with a read-only tmpfs mount (the kernel refuses root too, with EROFS), else with `chattr +i` (EPERM).
 */
function readOnlyFolder(): { dir: string; how: string; release: () => void } | string {
  const dir = path.join(tempDir(), 'read-only');
  fs.mkdirSync(dir);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status === 0) {
    fs.mkdirSync(path.join(dir, 'out'));
    const remount = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
    if (remount.status === 0) return { dir, how: 'read-only file system', release: () => spawnSync('umount', [dir]) };
    spawnSync('umount', [dir]);
  }
  fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
  const chattr = spawnSync('chattr', ['+i', dir, path.join(dir, 'out')], { encoding: 'utf8' });
  if (chattr.status === 0) return { dir, how: 'operation not permitted', release: () => spawnSync('chattr', ['-i', dir, path.join(dir, 'out')]) };
  return `neither a read-only tmpfs mount (${mount.stderr.trim()}) nor chattr +i (${chattr.stderr?.trim()}) is permitted here`;
}

const BLUEPRINT = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
  }
}
`;

describe('issue 15 item 8: a read-only output folder', () => {
  const folder = readOnlyFolder();
  afterAll(() => typeof folder !== 'string' && folder.release());
  if (typeof folder === 'string') {
    test.skip(`skipped: ${folder}`, () => undefined);
    return;
  }
  const out = path.join(folder.dir, 'out');

  test.each(['synth', 'resynth'])('%s says it cannot write to OUT, and exits 2', command => {
    const dir = makeBlueprint(tempDir(), BLUEPRINT);
    const result = runCli([command, '--options', 'src/defaults.json', '--outdir', out], { cwd: dir });
    expect(result.stderr.trim()).toBe(`blueprint ${command}: cannot write to ${out}: ${folder.how}`);
    expect(result.code).toBe(2);
  });

  test('merge says it cannot write beside OUT, and exits 2', () => {
    const inputs = tempDir();
    for (const side of ['ancestor', 'existing', 'proposed']) writeTree(path.join(inputs, side), { 'src/app/README.md': `${side}\n` });
    const args = ['merge', '--ancestor-bundle', path.join(inputs, 'ancestor'), '--existing-bundle', path.join(inputs, 'existing'), '--proposed-bundle', path.join(inputs, 'proposed')];
    const result = runCli([...args, '--outdir', path.join(out, 'resolved')]);
    expect(result.stderr.trim()).toBe(`blueprint merge: cannot write to ${out}: ${folder.how}`);
    expect(result.code).toBe(2);
    // and a writable folder works with the same inputs
    expect(runCli([...args, '--outdir', path.join(inputs, 'resolved')]).code).toBe(0);
  });
});
