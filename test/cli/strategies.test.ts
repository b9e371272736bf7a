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
    // Emitted anyway (noEmitOnError is off); the checks below fail if our files did not compile.
  }
  expect(fs.existsSync(path.join(ROOT, 'lib', 'cli', 'commands', 'strategies.js'))).toBe(true);
}, 120_000);

function blueprint(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PACKAGE_NAME: '', PACKAGE_VERSION: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('blueprint strategies', () => {
  test('lists every built-in with its one-line description', () => {
    const result = blueprint('strategies');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map(line => line.split(/\s+/)[0])).toEqual(['alwaysUpdate', 'neverUpdate', 'onlyAdd', 'threeWayMerge', 'preferProposed', 'preferExisting', 'structuredMerge', 'packageJsonMerge', 'regenerate']);
    expect(lines[4]).toMatch(/^preferProposed +merge line by line \(JSON\/YAML conflicts by value\); each conflict left takes the blueprint's side \(the fallback\)$/);
  });

  test('--json, and the help list of commands names it', () => {
    const json = JSON.parse(blueprint('strategies', '--json').stdout);
    expect(json.strategies).toHaveLength(9);
    expect(json.strategies.find((s: any) => s.fallback).id).toBe('preferProposed');
    expect(blueprint('--help').stdout).toMatch(/\n {2}strategies {9}list the registered merge strategies/);
  });

  test('with --existing-bundle, lists the ownership-file entries and whether each applies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-strategies-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'src', 'web', 'docs'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'src', 'web', '.ownership-file'),
        '[neverUpdate] @acme/*\nREADME.md\n[alwaysUpdate] @other/x\n*\n[made_up] @acme/web-app\n*.md\n[local] ./m.sh %A\n*.json\n',
      );
      fs.writeFileSync(path.join(dir, 'src', 'web', 'docs', '.ownership-file'), '[keep] @acme/web-app\n# Internal merge strategy: onlyAdd\n*.md\n');
      const result = blueprint('strategies', '--existing-bundle', dir, '--package-name', '@acme/web-app');
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n\n')[1]).toBe(
        [
          'src/web/.ownership-file:1  [neverUpdate] @acme/*  README.md  (applies)',
          'src/web/.ownership-file:3  [alwaysUpdate] @other/x  *  (other owner)',
          'src/web/.ownership-file:5  [made_up] @acme/web-app  *.md  (unknown strategy)',
          'src/web/.ownership-file:7  [local] ./m.sh %A  *.json  (local command)',
          'src/web/docs/.ownership-file:1  [keep] @acme/web-app  *.md  (applies)',
          '',
        ].join('\n'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an entry every merge refuses (a Windows path) is refused here too, naming its line, not listed as applying', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-strategies-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'src', 'web'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'web', '.ownership-file'), '[neverUpdate] @acme/web-app\nREADME.md\ndocs\\guide.md\n');
      const result = blueprint('strategies', '--existing-bundle', dir, '--package-name', '@acme/web-app');
      expect(result.stderr).toContain('src/web/.ownership-file:3: \'docs\\guide.md\': a \'\\\' escapes the character after it');
      expect(result.status).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing bundle exits 2', () => {
    const result = blueprint('strategies', '--existing-bundle', path.join(os.tmpdir(), 'bluesynth-does-not-exist'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--existing-bundle: '.*bluesynth-does-not-exist' is not a folder/);
  });
});
