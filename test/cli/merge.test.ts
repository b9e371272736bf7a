import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'resynth', 'web-app');

/** Compiles src/ into lib/ (other people's half-written files may make tsc complain; it still emits). */
beforeAll(() => {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Emitted anyway (noEmitOnError is off); the checks below fail if our files did not compile.
  }
  expect(fs.existsSync(path.join(ROOT, 'lib', 'cli', 'commands', 'merge.js'))).toBe(true);
}, 120_000);

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-merge-cli-'));
  fs.cpSync(FIXTURE, work, { recursive: true });
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function blueprint(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, PACKAGE_NAME: '', PACKAGE_VERSION: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
const merge = (...extra: string[]) =>
  blueprint('merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', 'resolved', ...extra);
const read = (relative: string) => fs.readFileSync(path.join(work, relative), 'utf8');
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('blueprint merge', () => {
  test('resolves the bundles with the existing ownership file, prints a summary and the conflicts, writes the report', () => {
    const result = merge('--package-name', '@acme/web-app', '--package-version', '2.0.0', '--report', 'report.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'merged 9 files: 4 unchanged, 3 added, 1 updated, 1 conflict (1 hunk) -> resolved\n' +
        '  conflict    src/web/package.json (1 hunk, threeWayMerge)\n',
    );
    expect(tree(path.join(work, 'resolved'))).toEqual([
      'environments/dev.yaml',
      'issues/express-5.json',
      'options.json',
      'src/web/.ownership-file',
      'src/web/NOTES.md',
      'src/web/README.md',
      'src/web/package.json',
      'src/web/src/index.ts',
    ]);
    expect(read('resolved/src/web/README.md')).toBe(read('existing/src/web/README.md')); // neverUpdate
    expect(read('resolved/src/web/.ownership-file')).toBe(read('existing/src/web/.ownership-file'));
    expect(read('resolved/src/web/src/index.ts')).toContain('const port = Number(process.env.PORT ?? 3000);');
    expect(read('resolved/src/web/src/index.ts')).toContain('main(); // started by the blueprint');
    expect(read('resolved/src/web/package.json')).toContain('<<<<<<< existing\n    "express": "^4.19.2"\n=======\n    "express": "^5.0.0"\n>>>>>>> proposed\n');

    const report = JSON.parse(read('report.json'));
    expect(report.totals).toEqual({ files: 9, unchanged: 4, added: 3, updated: 1, overridden: 0, conflict: 1, deleted: 0, notAdded: 0, conflictHunks: 1, overriddenHunks: 0 });
    const byPath = Object.fromEntries(report.files.map((f: any) => [f.path, f]));
    expect(byPath['src/web/README.md']).toMatchObject({ strategy: 'neverUpdate', chosenBy: 'ownership-file', declaredAt: 'src/web/.ownership-file:1', outcome: 'unchanged' });
    expect(byPath['src/web/package.json']).toMatchObject({ strategy: 'threeWayMerge', declaredAt: 'src/web/.ownership-file:6', outcome: 'conflict', conflicts: 1, conflictLines: [5] });
    expect(byPath['src/web/src/index.ts']).toMatchObject({ strategy: 'preferProposed', chosenBy: 'fallback', outcome: 'updated' });
    // created before: left out of the resolved bundle so it is not created twice, and not deleted from the project
    expect(byPath['issues/setup-ci.json']).toMatchObject({ outcome: 'unchanged', present: false });
  });

  test('--fail-on-conflict exits 1 when there are conflicts', () => {
    expect(merge('--package-name', '@acme/web-app', '--fail-on-conflict').status).toBe(1);
    expect(fs.existsSync(path.join(work, 'resolved', 'src', 'web', 'package.json'))).toBe(true);
    expect(merge('--package-name', '@acme/web-app', '--fail-on-conflict', '--fallback', 'alwaysUpdate', '--strategy', 'preferExisting').status).toBe(0);
  });

  test('without the package name the ownership entries do not apply (warning); PACKAGE_NAME is the default', () => {
    const result = merge();
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning: 2 ownership-file entries ignored: no blueprint package name/);
    expect(result.stdout).toMatch(/overridden  src\/web\/README\.md \(1 hunk of the existing side dropped by preferProposed\)/);
    expect(read('resolved/src/web/README.md')).toBe(read('proposed/src/web/README.md'));
    const viaEnv = spawnSync(process.execPath, [CLI, 'merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', 'r2'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, PACKAGE_NAME: '@acme/web-app' },
    });
    expect(viaEnv.stderr).toBe('');
    expect(read('r2/src/web/README.md')).toBe(read('existing/src/web/README.md'));
  });

  test('--strategy forces one strategy for every file; --style diff3 shows the ancestor', () => {
    const result = merge('--strategy', 'threeWayMerge', '--style', 'diff3', '--report', 'r.json');
    expect(result.status).toBe(0);
    expect(read('resolved/src/web/README.md')).toBe(
      "# Web\n\n<<<<<<< existing\nOur team's web app. Run `npm start`.\n||||||| ancestor\nGenerated by the web-app blueprint.\n=======\nGenerated by the web-app blueprint, version 2.\n>>>>>>> proposed\n",
    );
    const report = JSON.parse(read('r.json'));
    expect(report.files.filter((f: any) => f.path.startsWith('src/')).every((f: any) => f.chosenBy === 'forced' && f.strategy === 'threeWayMerge')).toBe(true);
  });

  test('the result does not depend on the order of existing and proposed when the merge is clean', () => {
    const forward = merge('--strategy', 'threeWayMerge');
    const swapped = blueprint('merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'proposed', '--proposed-bundle', 'existing', '--outdir', 'swapped', '--strategy', 'threeWayMerge');
    expect([forward.status, swapped.status]).toEqual([0, 0]);
    expect(read('swapped/src/web/src/index.ts')).toBe(read('resolved/src/web/src/index.ts'));
  });

  test('replaces --outdir as a whole and writes nothing else', () => {
    // An earlier resolved bundle, with a file that is no longer part of it.
    fs.mkdirSync(path.join(work, 'resolved', 'stale'), { recursive: true });
    fs.writeFileSync(path.join(work, 'resolved', 'stale', 'old.txt'), 'old');
    fs.writeFileSync(path.join(work, 'resolved', 'options.json'), '{}');
    const before = fs.readdirSync(work).sort();
    expect(merge('--package-name', '@acme/web-app').status).toBe(0);
    expect(fs.readdirSync(work).sort()).toEqual(before);
    expect(fs.existsSync(path.join(work, 'resolved', 'stale'))).toBe(false);
  });

  test('refuses an --outdir that is plainly not an earlier bundle, and a --report it could not write, before replacing anything', () => {
    const bundles = ['--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed'];
    fs.mkdirSync(path.join(work, 'mine'));
    fs.writeFileSync(path.join(work, 'mine', 'notes.txt'), 'precious\n');
    fs.writeFileSync(path.join(work, 'afile'), 'a file\n');
    const notBundle = blueprint('merge', ...bundles, '--outdir', 'mine');
    expect(notBundle.status).toBe(2);
    expect(notBundle.stderr).toMatch(/--outdir '.*mine' holds files and is not a bundle \(no src\/ or options\.json\)/);
    const file = blueprint('merge', ...bundles, '--outdir', 'afile');
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/--outdir '.*afile' is a file/);
    const here = spawnSync(process.execPath, [CLI, 'merge', ...bundles.map(a => (a.startsWith('--') ? a : `../${a}`)), '--outdir', '.'], { cwd: path.join(work, 'mine'), encoding: 'utf8' });
    expect(here.status).toBe(2);
    expect(here.stderr).toMatch(/is the working folder or holds it/);
    expect(fs.readFileSync(path.join(work, 'mine', 'notes.txt'), 'utf8')).toBe('precious\n');
    expect(fs.readFileSync(path.join(work, 'afile'), 'utf8')).toBe('a file\n');

    expect(merge().status).toBe(0);
    const resolved = tree(path.join(work, 'resolved'));
    fs.writeFileSync(path.join(work, 'blocker'), 'a file where the report\'s folder would be\n');
    const report = merge('--report', path.join(work, 'blocker', 'report.json'));
    expect(report.status).not.toBe(0);
    expect(tree(path.join(work, 'resolved'))).toEqual(resolved);
  });

  test('merges modes as git does: the side that changed the mode wins, else the existing file\'s', () => {
    const modes = { 'add-x.sh': [0o644, 0o644, 0o755], 'drop-x.sh': [0o755, 0o755, 0o644], 'ours-x.sh': [0o644, 0o755, 0o644] } as const;
    for (const [file, sideModes] of Object.entries(modes)) {
      ['ancestor', 'existing', 'proposed'].forEach((side, index) => {
        const target = path.join(work, side, 'src', 'web', file);
        fs.writeFileSync(target, side === 'existing' ? 'echo edited by the project\n' : 'echo generated\n');
        fs.chmodSync(target, sideModes[index]);
      });
    }
    expect(merge('--package-name', '@acme/web-app', '--strategy', 'threeWayMerge').status).toBe(0);
    const mode = (file: string) => fs.statSync(path.join(work, 'resolved', 'src', 'web', file)).mode & 0o777;
    expect(mode('add-x.sh')).toBe(0o755);
    expect(mode('drop-x.sh')).toBe(0o644);
    expect(mode('ours-x.sh')).toBe(0o755);
    // git merge-file keeps the project's edit; git's merge of the modes agrees with the ones above.
    expect(read('resolved/src/web/add-x.sh')).toBe('echo edited by the project\n');
  });

  test('keeps modes: the existing file\'s mode wins, a new file keeps the proposed one\'s', () => {
    for (const side of ['ancestor', 'existing', 'proposed']) {
      fs.writeFileSync(path.join(work, side, 'src', 'web', 'run.sh'), `echo ${side}\n`, { mode: side === 'existing' ? 0o755 : 0o644 });
    }
    fs.writeFileSync(path.join(work, 'proposed', 'src', 'web', 'new.sh'), 'echo new\n', { mode: 0o755 });
    fs.chmodSync(path.join(work, 'existing', 'src', 'web', 'run.sh'), 0o755);
    fs.chmodSync(path.join(work, 'proposed', 'src', 'web', 'new.sh'), 0o755);
    expect(merge('--package-name', '@acme/web-app').status).toBe(0);
    expect(fs.statSync(path.join(work, 'resolved', 'src', 'web', 'run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(work, 'resolved', 'src', 'web', 'new.sh')).mode & 0o777).toBe(0o755);
  });

  test('a mistyped strategy id is named with the id it most likely meant: in an .ownership-file (with its file and line), in --fallback', () => {
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[neverUpdate] @acme/web-app\nREADME.md\n\n[threeWayMerg] @acme/web-app\npackage.json\n');
    const warned = merge('--package-name', '@acme/web-app');
    expect(warned.stderr).toContain(
      "src/web/.ownership-file:4: unknown merge strategy 'threeWayMerg' for owner '@acme/web-app'; its files are merged with threeWayMerge instead (did you mean 'threeWayMerge'? known: alwaysUpdate, ",
    );
    const refused = merge('--fallback', 'preferExistng');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--fallback: unknown merge strategy 'preferExistng' (did you mean 'preferExisting'? known: alwaysUpdate, ");
    // Nothing near enough: no guess, only the known ids.
    expect(merge('--fallback', 'mergeHarder').stderr).toContain("--fallback: unknown merge strategy 'mergeHarder' (known: alwaysUpdate, ");
  });

  test('journey 77: an unknown --strategy or --fallback is the only thing said, not preceded by warnings about the ownership files\' entries', () => {
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[neverUpdate] @acme/web-app\nREADME.md\n');
    for (const option of ['--strategy', '--fallback']) {
      const refused = merge(option, 'nope');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^blueprint merge: ${option}: unknown merge strategy 'nope'`));
      expect(refused.stderr).not.toContain('warning:');
    }
    // With known ids, the same entry is still warned of.
    expect(merge('--strategy', 'threeWayMerge').stderr).toContain('warning: 1 ownership-file entries ignored');
  });

  // The project's ownership files are often the blueprint's: a blueprint you did not write chose their text.
  test('a warning quoting an ownership file reaches the terminal escaped: a strategy id or owner holding terminal commands', () => {
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[x\u001bc\u0007] @acme/web-app\nREADME.md\n\n[neverUpdate] t\u001bc\nsrc/index.ts\n');
    const warned = merge('--package-name', '@acme/web-app');
    expect(warned.stderr).toContain("unknown merge strategy 'x\\u001bc\\u0007' for owner '@acme/web-app'");
    expect(warned.stderr).toContain('t\\u001bc');
    expect(warned.stderr).not.toMatch(/[\u001b\u0007]/);
  });

  test('an ownership-file entry of another owner (a team) is not applied, and a warning and the report say so', () => {
    fs.appendFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '\n[neverUpdate] web-team\nsrc/index.ts\n');
    const result = merge('--package-name', '@acme/web-app', '--report', 'report.json');
    expect(result.status).toBe(0);
    const warning = "src/web/.ownership-file:9: [neverUpdate] web-team: not applied: its owner is not the blueprint's package (@acme/web-app), and a merge applies only the entries of the blueprint it merges for";
    expect(result.stderr).toBe(`warning: ${warning}\n`);
    expect(JSON.parse(read('report.json')).warnings).toEqual([warning]);
    // neverUpdate would have kept the project's file.
    expect(read('resolved/src/web/src/index.ts')).not.toBe(read('existing/src/web/src/index.ts'));
  });

  describe('bad input exits 2 and leaves --outdir as it was', () => {
    beforeEach(() => {
      // A previous resolved bundle.
      fs.mkdirSync(path.join(work, 'resolved'));
      fs.writeFileSync(path.join(work, 'resolved', 'options.json'), '{}');
      fs.writeFileSync(path.join(work, 'resolved', 'keep.txt'), 'previous result');
    });
    afterEach(() => {
      expect(read('resolved/keep.txt')).toBe('previous result');
      expect(fs.readdirSync(work).filter(name => name.includes('staging'))).toEqual([]);
    });

    test('a missing bundle folder', () => {
      fs.rmSync(path.join(work, 'ancestor'), { recursive: true });
      const result = merge();
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/blueprint merge: --ancestor-bundle: '.*ancestor' is not a folder/);
    });

    test('a malformed ownership file, named with its line', () => {
      fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[neverUpdate] @acme/web-app\nREADME.md\n[threeWayMerge]\n');
      const result = merge('--package-name', '@acme/web-app');
      expect(result.status).toBe(2);
      expect(result.stderr).toBe("blueprint merge: src/web/.ownership-file:3: strategy header '[threeWayMerge]' has no owner (expected '[strategy_id] owner')\n");
    });

    test.each([['--strategy'], ['--fallback']])('an unknown strategy id in %s', option => {
      const result = merge(option, 'mergeHarder');
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`${option}: unknown merge strategy 'mergeHarder' \\(known: alwaysUpdate, `));
    });

    test('a bad --style, a missing option, an --outdir that contains an input', () => {
      expect(merge('--style', 'fancy').stderr).toMatch(/--style must be 'merge', 'diff3' or 'zdiff3', not 'fancy'/);
      const missing = blueprint('merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--outdir', 'resolved');
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/missing required option --proposed-bundle/);
      const nested = blueprint('merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', '.');
      expect(nested.status).toBe(2);
      expect(nested.stderr).toMatch(/must be outside --ancestor-bundle/);
      // A folder whose name starts with two dots is inside all the same: only a `..` segment climbs out.
      const dotted = blueprint('merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', 'existing/..resolved');
      expect(dotted.status).toBe(2);
      expect(dotted.stderr).toMatch(/must be outside --existing-bundle/);
      expect(fs.existsSync(path.join(work, 'existing', '..resolved'))).toBe(false);
    });

    test('a path that is a file on one side and a folder on the other, named, with nothing written', () => {
      fs.writeFileSync(path.join(work, 'existing', 'src', 'web', 'notes'), 'a file of the project\n');
      fs.mkdirSync(path.join(work, 'proposed', 'src', 'web', 'notes'));
      fs.writeFileSync(path.join(work, 'proposed', 'src', 'web', 'notes', 'today.md'), 'a folder of the blueprint\n');
      const result = merge();
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("'src/web/notes' would be a file and also the folder of 'src/web/notes/today.md'");
    });

    test('a [local] entry without the opt-in flag', () => {
      fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[local] ./merge.sh %A %O %B\npackage.json\n');
      const result = merge();
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^blueprint merge: src\/web\/\.ownership-file:1: refused to run the local merge command '\.\/merge\.sh %A %O %B'.*--allow-local-strategies-run-commands/);
    });
  });

  test('with --allow-local-strategies-run-commands a [local] entry runs in its ownership file\'s folder', () => {
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', 'merge.sh'), '#!/bin/sh\ngit merge-file -L mine -L base -L theirs "$1" "$2" "$3"\n', { mode: 0o755 });
    fs.chmodSync(path.join(work, 'existing', 'src', 'web', 'merge.sh'), 0o755);
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'), '[local] ./merge.sh %A %O %B\npackage.json\n');
    const result = merge('--allow-local-strategies-run-commands', '--report', 'r.json');
    expect(result.status).toBe(0);
    expect(read('resolved/src/web/package.json')).toContain('<<<<<<< mine\n');
    expect(JSON.parse(read('r.json')).files.find((f: any) => f.path === 'src/web/package.json')).toMatchObject({ strategy: 'local', outcome: 'conflict', conflicts: 1 });
  });

  test('--help prints the usage', () => {
    const result = blueprint('merge', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: blueprint merge --ancestor-bundle A/);
  });
});
