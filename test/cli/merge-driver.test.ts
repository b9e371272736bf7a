import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT, runCli, tempDir, writeTree } from '../util';

/** Compiles src/ into lib/: git runs the driver as users do, from the built CLI. */
beforeAll(() => {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Emitted anyway (noEmitOnError is off); the check below fails if our files did not compile.
  }
  expect(fs.existsSync(path.join(ROOT, 'lib', 'cli', 'commands', 'merge-driver.js'))).toBe(true);
}, 120_000);

let home: string;
beforeAll(() => {
  home = tempDir('bluesynth-driver-home-');
});

/** git as the tests run it: no global or system configuration of the machine's, a fixed identity. */
function git(dir: string, ...args: string[]) {
  const run = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
      GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com',
      GIT_EDITOR: 'true',
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function gitOk(dir: string, ...args: string[]): string {
  const run = git(dir, ...args);
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** The driver line the README gives, pointing at the built CLI. */
const DRIVER = `"${process.execPath}" "${CLI}" merge-driver`;

/**
 * A repository whose `main` and `feature` branches changed files from a common commit. The driver is
 * configured, and given to every file through `.git/info/attributes` (`withDriver(false)` takes it away, to
 * compare with git's own merge).
 */
function repository(base: Record<string, string>, main: Record<string, string>, feature: Record<string, string>, driverOptions = ''): string {
  const dir = tempDir('bluesynth-driver-');
  gitOk(dir, 'init', '-q', '-b', 'main');
  gitOk(dir, 'config', 'merge.bluesynth.name', 'bluesynth');
  gitOk(dir, 'config', 'merge.bluesynth.driver', `${DRIVER}${driverOptions} %O %A %B %L %P %S %X %Y`);
  writeTree(dir, base);
  gitOk(dir, 'add', '-A');
  gitOk(dir, 'commit', '-qm', 'base');
  gitOk(dir, 'checkout', '-qb', 'feature');
  writeTree(dir, feature);
  gitOk(dir, 'commit', '-qam', 'feature');
  gitOk(dir, 'checkout', '-q', 'main');
  writeTree(dir, main);
  gitOk(dir, 'commit', '-qam', 'main');
  withDriver(dir, true);
  return dir;
}

function withDriver(dir: string, on: boolean): void {
  fs.writeFileSync(path.join(dir, '.git', 'info', 'attributes'), on ? '* merge=bluesynth\n' : '');
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

/** `git merge feature` with the driver, then without it (git's own), from the same commit. */
function mergeBothWays(dir: string, file: string, ...config: string[]) {
  const driven = git(dir, ...config, 'merge', '--no-edit', 'feature');
  const drivenFile = read(dir, file);
  const drivenStatus = gitOk(dir, 'status', '--porcelain');
  if (driven.status !== 0) gitOk(dir, 'merge', '--abort');
  else gitOk(dir, 'reset', '-q', '--hard', 'HEAD^');
  withDriver(dir, false);
  const own = git(dir, ...config, 'merge', '--no-edit', 'feature');
  return {
    driven: { status: driven.status, file: drivenFile, porcelain: drivenStatus },
    git: { status: own.status, file: read(dir, file), porcelain: gitOk(dir, 'status', '--porcelain') },
  };
}

const PACKAGE = `{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "express": "^4.19.0"
  }
}
`;

describe('blueprint merge-driver under git merge', () => {
  test('two dependencies added at the end of the same object: git alone conflicts; with the driver the merge is clean and keeps both', () => {
    const dir = repository(
      { 'package.json': PACKAGE },
      { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "zod": "^3.23.0"') },
      { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "lodash": "^4.17.21"') },
    );
    const { driven, git: own } = mergeBothWays(dir, 'package.json');
    expect(own.status).toBe(1);
    expect(own.porcelain).toContain('UU package.json');
    expect(driven.status).toBe(0);
    expect(driven.porcelain).toBe('');
    expect(JSON.parse(driven.file).dependencies).toEqual({ 'express': '^4.19.0', 'zod': '^3.23.0', 'lodash': '^4.17.21' });
    expect(driven.file).not.toContain('<<<<<<<');
  });

  test('--verbose, which --help names, in the driver line: git shows how each file was merged', () => {
    const dir = repository(
      { 'package.json': PACKAGE },
      { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "zod": "^3.23.0"') },
      { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "lodash": "^4.17.21"') },
      ' --verbose',
    );
    const merged = git(dir, 'merge', '--no-edit', 'feature');
    expect(merged.status).toBe(0);
    expect(merged.stderr + merged.stdout).toContain('package.json: merged cleanly (structuredMerge)');
    expect(runCli(['merge-driver', '--help']).stdout).toContain('  --verbose              also say on stderr how the file was merged');
  });

  test('a clean merge that writes a key both branches added twice stays git\'s, and git shows the driver\'s warning naming the key', () => {
    const base = PACKAGE.replace('"express": "^4.19.0"', '"axios": "^1.7.0",\n    "express": "^4.19.0",\n    "react": "^18.3.0",\n    "zod": "^3.23.0"');
    const dir = repository(
      { 'package.json': base },
      { 'package.json': base.replace('"zod": "^3.23.0"', '"zod": "^3.23.0",\n    "dayjs": "^1.11.0"') },
      { 'package.json': base.replace('"axios": "^1.7.0",', '"axios": "^1.7.0",\n    "dayjs": "^1.11.0",') },
    );
    const driven = git(dir, 'merge', '--no-edit', 'feature');
    expect(driven.status).toBe(0);
    expect(driven.stderr).toContain('warning: package.json: git\'s clean merge holds a duplicate key "dayjs" at line 10, column 5, which both sides added at different places: keep one');
    const drivenFile = read(dir, 'package.json');
    gitOk(dir, 'reset', '-q', '--hard', 'HEAD^');
    withDriver(dir, false);
    gitOk(dir, 'merge', '--no-edit', 'feature');
    expect(drivenFile).toBe(read(dir, 'package.json'));
  });

  test('the same key changed differently: git\'s markers with its labels, the path unmerged, and the other changes merged', () => {
    const dir = repository(
      { 'package.json': PACKAGE },
      { 'package.json': PACKAGE.replace('1.0.0', '1.2.0').replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "zod": "^3.23.0"') },
      { 'package.json': PACKAGE.replace('1.0.0', '2.0.0').replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "lodash": "^4.17.21"') },
    );
    const { driven, git: own } = mergeBothWays(dir, 'package.json');
    expect(driven.status).toBe(1);
    expect(driven.porcelain).toBe('UU package.json\n');
    expect(driven.file).toBe(`{
  "name": "app",
<<<<<<< HEAD
  "version": "1.2.0",
=======
  "version": "2.0.0",
>>>>>>> feature
  "dependencies": {
    "express": "^4.19.0",
    "lodash": "^4.17.21",
    "zod": "^3.23.0"
  }
}
`);
    // git's own: one conflict hunk too (over both dependencies as well), with the same labels.
    expect(own.status).toBe(1);
    expect(own.file.match(/^<<<<<<< HEAD$/gm)).toHaveLength(1);
    expect(own.file).toMatch(/^>>>>>>> feature$/m);
  });

  test('git merge -X ours, which git gives no driver: the README\'s driver with --strategy preferExisting for that merge takes ours where the branches conflict and keeps the other\'s changes', () => {
    const dir = repository(
      { 'package.json': PACKAGE },
      { 'package.json': PACKAGE.replace('1.0.0', '1.2.0') },
      { 'package.json': PACKAGE.replace('1.0.0', '2.0.0').replace('"express": "^4.19.0"', '"express": "^4.21.0"') },
    );
    const driver = gitOk(dir, 'config', 'merge.bluesynth.driver').trim().replace(' merge-driver ', ' merge-driver --strategy preferExisting ');
    const merged = git(dir, '-c', `merge.bluesynth.driver=${driver}`, 'merge', '-X', 'ours', '--no-edit', 'feature');
    expect(merged.status).toBe(0);
    expect(read(dir, 'package.json')).toBe(PACKAGE.replace('1.0.0', '1.2.0').replace('"express": "^4.19.0"', '"express": "^4.21.0"'));
  });

  test('a criss-cross merge: the inner merge of the two merge bases is labelled as git labels it (Temporary merge branch 1 and 2)', () => {
    // Two branches merged into each other, each keeping its own version: their next merge has two merge bases,
    // which git merges first, calling the driver with a marker size 2 longer. Its markers stay in the ancestor, which diff3 shows: with git before 2.44 (%S %X %Y
    // unreplaced) they read HEAD and feature, sides they are not.
    const version = (v: string) => PACKAGE.replace('1.0.0', v);
    const dir = repository({ 'package.json': PACKAGE }, { 'package.json': version('1.1.0') }, { 'package.json': version('1.5.0') });
    withDriver(dir, false);
    gitOk(dir, 'checkout', '-qb', 'main2', 'main');
    git(dir, 'merge', '--no-edit', 'feature');
    gitOk(dir, 'checkout', 'main', '--', 'package.json');
    gitOk(dir, 'commit', '-qam', 'main keeps 1.1.0');
    gitOk(dir, 'checkout', '-q', 'feature');
    git(dir, 'merge', '--no-edit', 'main');
    gitOk(dir, 'checkout', 'feature', '--', 'package.json');
    gitOk(dir, 'commit', '-qam', 'feature keeps 1.5.0');
    gitOk(dir, 'checkout', '-q', 'main2');
    gitOk(dir, 'branch', '-f', 'main');
    gitOk(dir, 'checkout', '-q', 'main');
    expect(gitOk(dir, 'merge-base', '--all', 'main', 'feature').trim().split('\n')).toHaveLength(2);
    withDriver(dir, true);
    const { driven, git: own } = mergeBothWays(dir, 'package.json', '-c', 'merge.conflictStyle=diff3');
    expect(own.file).toMatch(/^<{9} Temporary merge branch 1$/m);
    expect(driven.status).toBe(1);
    expect(driven.file).toBe(own.file);
  });

  test('--style diff3 (and, without it, the repository\'s merge.conflictStyle) shows the ancestor, labelled as git labels it', () => {
    const sides = [
      { 'package.json': PACKAGE },
      { 'package.json': PACKAGE.replace('1.0.0', '1.2.0') },
      { 'package.json': PACKAGE.replace('1.0.0', '2.0.0') },
    ] as const;
    const flagged = repository(...sides, ' --style diff3');
    const fromFlag = mergeBothWays(flagged, 'package.json', '-c', 'merge.conflictStyle=diff3');
    const base = gitOk(flagged, 'rev-parse', '--short', 'main~1').trim();
    expect(fromFlag.driven.status).toBe(1);
    expect(fromFlag.driven.file).toContain(`<<<<<<< HEAD\n  "version": "1.2.0",\n||||||| ${base}\n  "version": "1.0.0",\n=======\n  "version": "2.0.0",\n>>>>>>> feature\n`);
    // Where only the line merge is at work, the driver's file is git's own, byte for byte.
    expect(fromFlag.driven.file).toBe(fromFlag.git.file);

    const configured = repository(...sides);
    gitOk(configured, 'config', 'merge.conflictStyle', 'diff3');
    const fromConfig = mergeBothWays(configured, 'package.json');
    expect(fromConfig.driven.file).toContain('||||||| ');
    expect(fromConfig.driven.file).toBe(fromConfig.git.file);
  });

  test('a YAML workflow: a runner changed on one side and a key added next to it on the other merge cleanly', () => {
    const workflow = `name: build
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;
    const dir = repository(
      { '.github/workflows/build.yml': workflow },
      { '.github/workflows/build.yml': workflow.replace('ubuntu-latest', 'ubuntu-24.04') },
      { '.github/workflows/build.yml': workflow.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    timeout-minutes: 10\n') },
    );
    const { driven, git: own } = mergeBothWays(dir, '.github/workflows/build.yml');
    expect(own.status).toBe(1);
    expect(driven.status).toBe(0);
    expect(driven.file).toBe(workflow.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-24.04\n    timeout-minutes: 10\n'));
  });

  test('a file that is neither JSON nor YAML: git\'s own result, clean or conflicted, byte for byte', () => {
    const text = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';
    const dir = repository(
      { 'notes.txt': text, 'clean.txt': text },
      { 'notes.txt': text.replace('three', 'THREE'), 'clean.txt': text.replace('one', 'ONE') },
      { 'notes.txt': text.replace('three', '3').replace('four', '4'), 'clean.txt': text.replace('seven', 'SEVEN') },
    );
    const both = mergeBothWays(dir, 'notes.txt');
    expect(both.driven.status).toBe(1);
    expect(both.driven.file).toBe(both.git.file);
    expect(both.driven.porcelain).toBe(both.git.porcelain);
    expect(both.git.file).toContain('<<<<<<< HEAD');
  });

  test('JSON that does not parse: git\'s own result', () => {
    const broken = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n';
    const dir = repository(
      { 'broken.json': broken },
      { 'broken.json': broken.replace('"b": 2', '"b": 20') },
      { 'broken.json': broken.replace('"b": 2\n', '"b": 2,\n  "d": 4\n') },
    );
    const both = mergeBothWays(dir, 'broken.json');
    expect(both.git.status).toBe(1);
    expect(both.driven.status).toBe(1);
    expect(both.driven.file).toBe(both.git.file);
  });

  test('a Helm template that happens to parse as YAML ({{ include }} reads as a key that is a mapping): git\'s own result, and no warning of the YAML parser in git\'s output (journey 81)', () => {
    // As in argoproj/argo-helm's charts/*/templates: the merge of values would hold that key only as its text.
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  labels:\n    {{ include "app.labels" . }}\ndata:\n  level: info\n  port: "80"\n';
    const dir = repository(
      { 'templates/cm.yaml': template },
      { 'templates/cm.yaml': template.replace('level: info', 'level: info\n  timeout: "5"') },
      { 'templates/cm.yaml': template.replace('level: info', 'level: debug\n  color: "on"') },
    );
    const driven = git(dir, 'merge', '--no-edit', 'feature');
    expect(driven.stderr).not.toContain('Warning');
    expect(driven.status).toBe(1);
    const drivenFile = read(dir, 'templates/cm.yaml');
    gitOk(dir, 'merge', '--abort');
    withDriver(dir, false);
    expect(git(dir, 'merge', '--no-edit', 'feature').status).toBe(1);
    expect(drivenFile).toBe(read(dir, 'templates/cm.yaml'));
  });
});

describe('blueprint merge-driver under git rebase and git cherry-pick', () => {
  const sides = () => repository(
    { 'package.json': PACKAGE },
    { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "zod": "^3.23.0"') },
    { 'package.json': PACKAGE.replace('"express": "^4.19.0"', '"express": "^4.19.0",\n    "lodash": "^4.17.21"') },
  );
  const both = { 'express': '^4.19.0', 'zod': '^3.23.0', 'lodash': '^4.17.21' };

  test('git rebase replays the feature branch cleanly', () => {
    const dir = sides();
    gitOk(dir, 'checkout', '-q', 'feature');
    const rebase = git(dir, 'rebase', 'main');
    expect(rebase.stderr).not.toContain('CONFLICT');
    expect(rebase.status).toBe(0);
    expect(JSON.parse(read(dir, 'package.json')).dependencies).toEqual(both);
    expect(gitOk(dir, 'rev-parse', 'HEAD~1')).toBe(gitOk(dir, 'rev-parse', 'main'));
  });

  test('git cherry-pick takes the commit cleanly', () => {
    const dir = sides();
    const pick = git(dir, 'cherry-pick', 'feature');
    expect(pick.status).toBe(0);
    expect(JSON.parse(read(dir, 'package.json')).dependencies).toEqual(both);
    expect(gitOk(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('blueprint merge-driver run by hand', () => {
  function files(ancestor: string, current: string, other: string) {
    const dir = tempDir('bluesynth-driver-files-');
    writeTree(dir, { O: ancestor, A: current, B: other });
    return dir;
  }

  test('a failure leaves CURRENT as it was, names the path and exits non-zero', () => {
    const dir = files(PACKAGE, PACKAGE.replace('1.0.0', '1.1.0'), PACKAGE.replace('1.0.0', '2.0.0'));
    const unknown = runCli(['merge-driver', '--strategy', 'noSuchStrategy', 'O', 'A', 'B', '7', 'web/package.json'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("web/package.json: --strategy: unknown merge strategy 'noSuchStrategy'");
    expect(read(dir, 'A')).toBe(PACKAGE.replace('1.0.0', '1.1.0'));

    const missing = runCli(['merge-driver', 'O', 'A', 'gone', '7', 'web/package.json'], { cwd: dir });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('web/package.json');
    expect(read(dir, 'A')).toBe(PACKAGE.replace('1.0.0', '1.1.0'));
    expect(fs.readdirSync(dir).sort()).toEqual(['A', 'B', 'O']);
  });

  test('the labels and marker size git gives are written; --strategy packageJsonMerge turns the package.json policies on', () => {
    const dir = files(PACKAGE, PACKAGE.replace('1.0.0', '1.1.0'), PACKAGE.replace('1.0.0', '2.0.0'));
    const conflicted = runCli(['merge-driver', 'O', 'A', 'B', '9', 'package.json', 'base', 'ours', 'theirs'], { cwd: dir });
    expect(conflicted.code).toBe(1);
    expect(read(dir, 'A')).toContain('<<<<<<<<< ours\n  "version": "1.1.0",\n=========\n  "version": "2.0.0",\n>>>>>>>>> theirs\n');

    writeTree(dir, { A: PACKAGE.replace('1.0.0', '1.1.0') });
    const policies = runCli(['merge-driver', '--strategy', 'packageJsonMerge', 'O', 'A', 'B', '7', 'package.json'], { cwd: dir });
    expect(policies.code).toBe(0);
    expect(read(dir, 'A')).toBe(PACKAGE.replace('1.0.0', '2.0.0'));
  });

  test('where the structure would leave more conflict hunks than git, git\'s result is written, byte for byte git merge-file', () => {
    // Both changed "a" and "c" differently, and only the current side the lines between: git's one hunk spans all
    // of them, where the merge of values would mark "a" and "c" apart, as two.
    const lines = (values: number[]) => `{\n${['a', 'b', 'd', 'e', 'f', 'c'].map((key, i) => `  "${key}": ${values[i]}`).join(',\n')}\n}\n`;
    const dir = files(lines([1, 2, 2, 2, 2, 3]), lines([10, 20, 20, 20, 20, 30]), lines([100, 2, 2, 2, 2, 300]));
    const expected = git(dir, 'merge-file', '-p', 'A', 'O', 'B').stdout;
    expect(expected.match(/^<<<<<<< A$/gm)).toHaveLength(1);
    const run = runCli(['merge-driver', '--diff-algorithm', 'myers', 'O', 'A', 'B', '7', 'settings.json', 'O', 'A', 'B'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(read(dir, 'A')).toBe(expected);
  });

  test('a binary side keeps CURRENT whole and is a conflict, as git\'s binary merge', () => {
    const dir = files('a\0b', 'a\0c', 'a\0d');
    const run = runCli(['merge-driver', 'O', 'A', 'B', '7', 'data.json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(read(dir, 'A')).toBe('a\0c');
  });
});

describe('blueprint merge-driver --explain', () => {
  test('in a merge under way: the unmerged file from git\'s stages, one merged cleanly from the merge base, HEAD and MERGE_HEAD, and after the commit from its parents; nothing written', () => {
    const workflow = 'jobs:\n  build:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: npm ci\n';
    const dir = repository(
      { 'package.json': PACKAGE, 'ci.yml': workflow },
      { 'package.json': PACKAGE.replace('1.0.0', '1.2.0'), 'ci.yml': workflow.replace('ubuntu-22.04', 'ubuntu-24.04') },
      { 'package.json': PACKAGE.replace('1.0.0', '2.0.0'), 'ci.yml': workflow.replace('ubuntu-22.04', 'ubuntu-22.04\n    timeout-minutes: 10') },
    );
    expect(git(dir, 'merge', '--no-edit', 'feature').status).toBe(1);
    const before = { 'package.json': read(dir, 'package.json'), 'ci.yml': read(dir, 'ci.yml') };
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig') };

    const conflicted = runCli(['merge-driver', '--explain', 'package.json'], { cwd: dir, env });
    expect(conflicted.stderr).toBe('');
    expect(conflicted.code).toBe(0);
    expect(conflicted.stdout).toContain("package.json: ancestor 92 bytes, existing 92 bytes, proposed 92 bytes (git's stages 1, 2 and 3 of the unmerged path)\n");
    expect(conflicted.stdout).toContain(`  driver       merge=bluesynth: ${DRIVER} %O %A %B %L %P %S %X %Y\n  strategy     structuredMerge\n`);
    expect(conflicted.stdout).toContain('  structure    $.version: both sides changed it differently: a conflict\n');
    expect(conflicted.stdout).toContain("  outcome      conflict: 1 conflict hunk marked (at line 3 of the driver's result)\n");

    const clean = runCli(['merge-driver', '--explain', 'ci.yml'], { cwd: dir, env });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('ci.yml: ancestor 72 bytes, existing 72 bytes, proposed 96 bytes (the merge base, HEAD and MERGE_HEAD)\n');
    expect(clean.stdout).toContain('  structure    $.jobs.build.timeout-minutes: only the proposed side added it: it is added\n');
    expect(clean.stdout).toMatch(/ {2}outcome {6}merged cleanly\n$/);
    expect({ 'package.json': read(dir, 'package.json'), 'ci.yml': read(dir, 'ci.yml') }).toEqual(before);
    expect(gitOk(dir, 'status', '--porcelain')).toBe('M  ci.yml\nUU package.json\n');

    // The options of the driver line the path's attribute names are the merge explained.
    gitOk(dir, 'config', 'merge.bluesynth.driver', `${DRIVER} --strategy packageJsonMerge %O %A %B %L %P %S %X %Y`);
    const policies = runCli(['merge-driver', '--explain', 'package.json'], { cwd: dir, env });
    expect(policies.stdout).toContain('  strategy     packageJsonMerge\n');
    expect(policies.stdout).toContain('  outcome      merged cleanly\n');

    // blueprint merge --explain, which explains a merge of bundles, points there.
    const bundles = runCli(['merge', '--explain', 'package.json'], { cwd: dir, env });
    expect(bundles.code).toBe(2);
    expect(bundles.stderr).toContain('for a file of a git merge under way, run: blueprint merge-driver --explain package.json');

    // Committed (git commits a merge the driver left clean at once): explained from the merge commit.
    gitOk(dir, 'checkout', '--theirs', 'package.json');
    gitOk(dir, 'commit', '-qam', 'merged');
    const committed = runCli(['merge-driver', '--explain', 'ci.yml'], { cwd: dir, env });
    expect(committed.stdout).toContain("ci.yml: ancestor 72 bytes, existing 72 bytes, proposed 96 bytes (the merge commit HEAD: its parents' merge base, HEAD^1 and HEAD^2)\n");
    expect(committed.stdout).toMatch(/ {2}outcome {6}merged cleanly\n$/);

    gitOk(dir, 'reset', '-q', '--hard', 'HEAD^');
    const none = runCli(['merge-driver', '--explain', 'ci.yml'], { cwd: dir, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--explain ci.yml: not unmerged, no git merge is under way, and HEAD is no merge commit: run it while git reports the conflict');
  });
});

describe('blueprint merge-driver --explain of a file both branches added', () => {
  test('says git has no stage 1 for it (the ancestor is empty), and why git\'s result stands (journey 70: babel 432495752d\'s options.json)', () => {
    const dir = repository({ 'notes.txt': 'one\n' }, { 'notes.txt': 'one\ntwo\n' }, { 'notes.txt': 'zero\none\n' });
    const existing = '{\n  "presets": [\n    ["../../lib", {\n      "useBuiltIns": "entry",\n      "debug": true\n    }]\n  ]\n}\n';
    for (const [branch, text] of [['feature', existing.replace('      "useBuiltIns": "entry",\n', '')], ['main', existing]]) {
      gitOk(dir, 'checkout', '-q', branch);
      fs.writeFileSync(path.join(dir, 'options.json'), text);
      gitOk(dir, 'add', 'options.json');
      gitOk(dir, 'commit', '-qm', `options on ${branch}`);
    }
    expect(git(dir, 'merge', '--no-edit', 'feature').status).toBe(1);
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig') };
    const explained = runCli(['merge-driver', '--explain', 'options.json'], { cwd: dir, env });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("options.json: ancestor 0 bytes, existing 100 bytes, proposed 70 bytes (git's stages 2 and 3 of the unmerged path; both branches added it, so the ancestor is empty)\n");
    expect(explained.stdout).toContain("  fallback     the whole document is one conflict of values (both sides added the file, with no member in common): the line merge's result stands\n");
  });
});

describe('blueprint merge-driver --install', () => {
  test('writes the driver into the repository\'s git config and prints the attributes to add, leaving .gitattributes alone', () => {
    const dir = tempDir('bluesynth-driver-install-');
    gitOk(dir, 'init', '-q');
    const run = spawnSync(process.execPath, [CLI, 'merge-driver', '--install'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig') },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(gitOk(dir, 'config', 'merge.bluesynth.driver').trim()).toBe(`${process.execPath} ${CLI} merge-driver %O %A %B %L %P %S %X %Y`);
    expect(run.stdout).toContain('package.json merge=bluesynth');
    expect(fs.existsSync(path.join(dir, '.gitattributes'))).toBe(false);
  });

  test('--style and --diff-algorithm given with --install go into the driver line, where every merge reads them', () => {
    const dir = tempDir('bluesynth-driver-install-options-');
    gitOk(dir, 'init', '-q');
    const env = { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig') };
    const run = spawnSync(process.execPath, [CLI, 'merge-driver', '--install', '--style', 'diff3', '--diff-algorithm', 'myers'], { cwd: dir, encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(gitOk(dir, 'config', 'merge.bluesynth.driver').trim())
      .toBe(`${process.execPath} ${CLI} merge-driver --style diff3 --diff-algorithm myers %O %A %B %L %P %S %X %Y`);
    // A value the driver would refuse on every file is refused here, before git's config holds it.
    const bad = spawnSync(process.execPath, [CLI, 'merge-driver', '--install', '--style', 'diff4'], { cwd: dir, encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(gitOk(dir, 'config', 'merge.bluesynth.driver').trim()).toContain('--style diff3 ');
    // --explain is another use of the command, not an option of --install: refused, the config left as it was.
    const both = spawnSync(process.execPath, [CLI, 'merge-driver', '--install', '--strategy', 'packageJsonMerge', '--explain', 'package.json'], { cwd: dir, encoding: 'utf8', env });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--install and --explain are two uses of merge-driver: give one (nothing written)');
    expect(gitOk(dir, 'config', 'merge.bluesynth.driver').trim()).not.toContain('packageJsonMerge');
  });

  test('outside a repository, without --global: refused, naming the way on, and no config written', () => {
    const dir = tempDir('bluesynth-driver-no-repo-');
    const run = spawnSync(process.execPath, [CLI, 'merge-driver', '--install'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CEILING_DIRECTORIES: path.dirname(dir) },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('give --global');
    expect(fs.existsSync(path.join(home, '.gitconfig'))).toBe(false);
  });
});
