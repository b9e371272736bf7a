import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileMap } from '../../../src/bundle/file-map';
import { readBundle } from '../../../src/bundle/read';
import { localStrategy, MergeRecorder, resynthesize, withRecorder } from '../../../src/resynth';
import { contextFile } from './cases';

/** A temporary existing bundle on disk, with a merge script next to its ownership file. */
function existingBundle(script: string, ownership: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-local-test-'));
  fs.mkdirSync(path.join(dir, 'src', 'web'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'web', 'merge.sh'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'src', 'web', '.ownership-file'), ownership);
  fs.writeFileSync(path.join(dir, 'src', 'web', 'data.json'), 'existing\n');
  return dir;
}

const bundle = (files: Record<string, string>): FileMap => new Map(Object.entries(files).map(([p, t]) => [p, { buffer: Buffer.from(t) }]));
const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

describe('[local] strategies', () => {
  test('run in the ownership file\'s folder with %A %O %B %L %P substituted; the result is left in %A', () => {
    const dir = existingBundle(
      'printf "ran in %s\\n" "$(basename "$PWD")" > "$1"; printf "ancestor=%s proposed=%s marker=%s path=%s\\n" "$(cat "$2")" "$(cat "$3")" "$4" "$5" >> "$1"',
      '[local] ./merge.sh %A %O %B %L %P\ndata.json\n',
    );
    dirs.push(dir);
    const existing = readBundle(dir);
    const result = resynthesize({
      ancestor: bundle({ 'src/web/data.json': 'old' }),
      existing,
      proposed: bundle({ 'src/web/data.json': 'new' }),
      owner: { name: 'anything' },
      allowLocal: true,
      existingBundleDir: dir,
    });
    expect(result.files.get('src/web/data.json')?.buffer.toString()).toBe('ran in web\nancestor=old proposed=new marker=7 path=data.json\n');
    expect(result.report.files.find(f => f.path === 'src/web/data.json')).toMatchObject({ strategy: 'local', chosenBy: 'ownership-file', outcome: 'updated' });
  });

  test('without the opt-in nothing runs: the run fails naming the file and line', () => {
    const dir = existingBundle('touch "$PWD/ran"', '[local] ./merge.sh %A %O %B\ndata.json\n');
    dirs.push(dir);
    expect(() =>
      resynthesize({ ancestor: new Map(), existing: readBundle(dir), proposed: bundle({ 'src/web/data.json': 'x' }), owner: {}, existingBundleDir: dir }),
    ).toThrow(/^src\/web\/\.ownership-file:1: refused to run the local merge command/);
    expect(fs.existsSync(path.join(dir, 'src', 'web', 'ran'))).toBe(false);
  });

  test('exit codes 1-127 leave conflicts, counted from the markers; a deleted %A means absent', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-local-test-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'conflict.sh'), '#!/bin/sh\nprintf "a\\n<<<<<<< mine\\nx\\n=======\\ny\\n>>>>>>> theirs\\n<<<<<<< mine\\n=======\\n>>>>>>> theirs\\n" > "$1"\nexit 2\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'delete.sh'), '#!/bin/sh\nrm "$1"\n', { mode: 0o755 });
    const recorder = new MergeRecorder();
    const result = withRecorder(recorder, () =>
      localStrategy('./conflict.sh %A %O %B', { cwd: dir, where: 'test' })(contextFile('a'), contextFile('b'), contextFile('c')),
    );
    expect(result?.buffer.toString()).toMatch(/^a\n<<<<<<< mine/);
    expect(recorder.recordFor(result?.buffer)?.conflicts.map(c => c.resultLine)).toEqual([2, 7]);
    expect(localStrategy('./delete.sh %A', { cwd: dir, where: 'test' })(contextFile('a'), contextFile('b'), contextFile('c'))).toBeUndefined();
  });

  test('a failing, missing or hanging command is an error naming the entry; temp files are removed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-local-test-'));
    dirs.push(dir);
    // It runs in a scratch copy of dir (issue 15 item 10): it tells where %A was by an absolute path.
    fs.writeFileSync(path.join(dir, 'fail.sh'), `#!/bin/sh\necho "$1" > "${dir}/seen"\necho broken >&2\nexit 130\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'hang.sh'), '#!/bin/sh\nsleep 5\n', { mode: 0o755 });
    const files = [contextFile('a'), contextFile('b'), contextFile('c')] as const;
    expect(() => localStrategy('./fail.sh %A', { cwd: dir, where: 'src/web/.ownership-file:3' })(...files)).toThrow(
      /^src\/web\/\.ownership-file:3: local merge command '\.\/fail\.sh %A' failed with exit code 130 on 'web\/notes\.txt': broken$/,
    );
    const tempA = fs.readFileSync(path.join(dir, 'seen'), 'utf8').trim();
    expect(fs.existsSync(tempA)).toBe(false);
    expect(fs.existsSync(path.dirname(tempA))).toBe(false);
    expect(() => localStrategy('./missing.sh %A', { cwd: dir, where: 'w' })(...files)).toThrow(/could not run/);
    expect(() => localStrategy('./hang.sh', { cwd: dir, where: 'w', timeoutMs: 200 })(...files)).toThrow(/timed out/);
  });

  test('a path with blanks stays one argument', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-local-test-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'args.sh'), '#!/bin/sh\nprintf "%s|" "$#" "$2" > "$1"\n', { mode: 0o755 });
    const file = { repositoryName: 'web', path: 'my notes.txt', buffer: Buffer.from('x') };
    expect(localStrategy('./args.sh %A %P', { cwd: dir, where: 'w' })(file, file, file)?.buffer.toString()).toBe('2|my notes.txt|');
  });
});
