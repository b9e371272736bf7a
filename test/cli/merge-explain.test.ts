import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');

beforeAll(() => {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Emitted anyway; the checks below fail if our files did not compile.
  }
}, 120_000);

const PACKAGE = '{\n  "name": "web",\n  "version": "1.0.0",\n  "dependencies": {\n    "express": "^4.18.0"\n  }\n}\n';
const EXISTING = PACKAGE.replace('"1.0.0"', '"1.1.0"').replace('"express": "^4.18.0"', '"express": "^4.19.0",\n    "zod": "^3.0.0"');
const PROPOSED = PACKAGE.replace('"1.0.0"', '"2.0.0"').replace('"express": "^4.18.0"', '"express": "^4.21.0"');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-merge-explain-'));
  const write = (bundle: string, file: string, text: string) => {
    fs.mkdirSync(path.join(work, bundle, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(work, bundle, file), text);
  };
  write('ancestor', 'src/web/package.json', PACKAGE);
  write('existing', 'src/web/package.json', EXISTING);
  write('existing', 'src/web/.ownership-file', '[packageJsonMerge] *\npackage.json\n');
  write('proposed', 'src/web/package.json', PROPOSED);
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function merge(...extra: string[]) {
  return mergeTo(['--outdir', 'resolved'], ...extra);
}

function mergeTo(outdir: string[], ...extra: string[]) {
  const run = spawnSync(process.execPath, [CLI, 'merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', ...outdir, '--package-name', '@acme/web', ...extra], {
    cwd: work, encoding: 'utf8', env: { ...process.env, PACKAGE_NAME: '', PACKAGE_VERSION: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('blueprint merge --explain', () => {
  test('prints what the strategy, the line merge, the structure and the policies decided for one file', () => {
    // Both renamed the package: a conflict no policy decides.
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', 'package.json'), EXISTING.replace('"name": "web"', '"name": "web-app"'));
    fs.writeFileSync(path.join(work, 'proposed', 'src', 'web', 'package.json'), PROPOSED.replace('"name": "web"', '"name": "web-site"'));
    const result = merge('--explain', 'src/web/package.json', '--report', 'report.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const explanation = result.stdout.split('\n');
    expect(explanation.slice(0, 2)).toEqual([
      `src/web/package.json: ancestor ${PACKAGE.length} bytes, existing ${EXISTING.length + 4} bytes, proposed ${PROPOSED.length + 5} bytes`,
      '  strategy     packageJsonMerge (ownership-file at src/web/.ownership-file:1)',
    ]);
    expect(result.stdout).toContain('  line merge   the line merge left 1 conflict hunk\n');
    expect(result.stdout).toContain('  policy       $.dependencies.express: newerRange: both sides changed the range; "^4.21.0" (proposed) starts at a higher version than "^4.19.0"\n');
    expect(result.stdout).toContain('  policy       $.version: newerVersion: both sides changed the version; "2.0.0" (proposed) is the higher\n');
    expect(result.stdout).toContain('  structure    $.name: both sides changed it differently: a conflict\n');
    expect(result.stdout).toContain('  outcome      conflict: 1 conflict hunk marked\n');
    // The merge itself runs as without --explain, and the explained file is reported once.
    const report = JSON.parse(fs.readFileSync(path.join(work, 'report.json'), 'utf8'));
    expect(report.files.filter((f: { path: string }) => f.path === 'src/web/package.json')).toEqual([
      expect.objectContaining({ outcome: 'conflict', conflictPaths: ['$.name'] }),
    ]);
    const resolved = fs.readFileSync(path.join(work, 'resolved', 'src', 'web', 'package.json'), 'utf8');
    expect(resolved).toContain('"express": "^4.21.0",\n    "zod": "^3.0.0"');
  });

  test('neighbouring lines: the line merge conflicts, the structure resolves it (the fallback strategy)', () => {
    fs.rmSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'));
    fs.writeFileSync(path.join(work, 'proposed', 'src', 'web', 'package.json'), PACKAGE.replace('"name": "web"', '"name": "web-app"'));
    const result = merge('--explain', 'src/web/package.json');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').slice(1, 6)).toEqual([
      '  strategy     preferProposed (fallback)',
      '  line merge   the line merge left 1 conflict hunk',
      '  structure    $.name: only the proposed side changed it: the proposed version is taken',
      '  structure    every conflict of the line merge was resolved by the structure',
      '  outcome      updated',
    ]);
    expect(fs.readFileSync(path.join(work, 'resolved', 'src', 'web', 'package.json'), 'utf8')).toBe(EXISTING.replace('"name": "web"', '"name": "web-app"'));
  });

  test('decisions are told in the order the file holds their values, array elements too', () => {
    fs.rmSync(path.join(work, 'existing', 'src', 'web', '.ownership-file'));
    const files = PACKAGE.replace('"version": "1.0.0",', '"version": "1.0.0",\n  "files": [\n    "lib",\n    "bin",\n    "docs"\n  ],');
    fs.writeFileSync(path.join(work, 'ancestor', 'src', 'web', 'package.json'), files);
    fs.writeFileSync(path.join(work, 'existing', 'src', 'web', 'package.json'), files.replace('"lib"', '"dist"').replace('"docs"', '"man"'));
    fs.writeFileSync(path.join(work, 'proposed', 'src', 'web', 'package.json'), files.replace('"lib"', '"out"').replace('"docs"', '"doc"'));
    const result = mergeTo([], '--strategy', 'structuredMerge', '--explain', 'src/web/package.json');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter(line => line.includes('$.files'))).toEqual([
      '  structure    $.files[0]: both sides changed it differently: a conflict',
      '  structure    $.files[2]: both sides changed it differently: a conflict',
    ]);
  });

  test('without --outdir it only explains: an earlier result, resolved by hand since, stays as it is', () => {
    expect(merge().status).toBe(0);
    const resolvedFile = path.join(work, 'resolved', 'src', 'web', 'package.json');
    fs.writeFileSync(resolvedFile, 'resolved by hand\n');
    fs.writeFileSync(path.join(work, 'resolved', 'NOTES.md'), 'why\n');
    const asked = mergeTo([], '--explain', 'src/web/package.json');
    expect(asked.status).toBe(0);
    expect(asked.stdout).toContain('  outcome      ');
    expect(asked.stdout).not.toContain('merged ');
    expect(fs.readFileSync(resolvedFile, 'utf8')).toBe('resolved by hand\n');
    expect(fs.readFileSync(path.join(work, 'resolved', 'NOTES.md'), 'utf8')).toBe('why\n');
    // What needs a merge to run still needs its output folder.
    const report = mergeTo([], '--explain', 'src/web/package.json', '--report', 'report.json');
    expect(report.status).toBe(2);
    expect(report.stderr).toContain('--report needs a merge to run: give --outdir R');
  });

  test('a path in none of the bundles is an input error naming it, and nothing is written', () => {
    const result = merge('--explain', 'src/web/nothing.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--explain: \'src/web/nothing.json\' is in none of the three bundles');
    expect(fs.existsSync(path.join(work, 'resolved'))).toBe(false);
  });
});
