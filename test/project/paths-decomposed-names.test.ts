import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, replaceInFile } from './git-fixtures';

/**
 * File names in Unicode's two forms: `café.txt` composed (NFC, é as one code point) and decomposed (NFD, e and a
 * combining accent), as macOS tools and some editors write them. They are two files to git and on Linux, yet a
 * terminal shows both alike: a report must tell them apart, and `--json` carry each exactly.
 */
jest.setTimeout(120_000);

const COMPOSED = 'caf\u00e9.txt';
const DECOMPOSED = 'cafe\u0301.txt';

/** A project created with `café.txt` composed, which the team edited; the blueprint's v2 names it decomposed. */
function projectWithComposedName(): string {
  const work = tempDir('bluesynth-paths-decomposed-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { variant: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, options.variant === 'v2' ? ${JSON.stringify(DECOMPOSED)} : ${JSON.stringify(COMPOSED)}, 'one\\ntwo\\nthree\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ variant: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  replaceInFile(path.join(repo, COMPOSED), 'two', 'TWO');
  commitAll(repo, 'team edit');
  return repo;
}

test('an update that moves a composed name to its decomposed twin prints the two apart, and --json carries each exactly', () => {
  const repo = projectWithComposedName();

  const dryRun = runCli(['update', '--set', 'variant=v2', '--dry-run', '--json'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  const planned = JSON.parse(dryRun.stdout).files.find((file: { path: string }) => file.path.normalize('NFC') === COMPOSED);
  expect(planned).toMatchObject({ path: DECOMPOSED, renamedFrom: COMPOSED });

  const update = runCli(['update', '--set', 'variant=v2'], { cwd: repo });
  expect(update.code).toBe(0);
  // The decomposed name quoted with its accent escaped, as git's core.quotePath sets it apart; the composed one as it is.
  expect(update.stdout).toContain(`"cafe\\u0301.txt" (preferProposed; moved from ${COMPOSED})`);
  expect(git(repo, 'ls-files', '-z').split('\0')).toContain(DECOMPOSED);
  expect(git(repo, 'show', `HEAD:${DECOMPOSED}`)).toBe('one\nTWO\nthree');
});
