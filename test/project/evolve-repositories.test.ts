import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * A blueprint whose second release adds a second source repository, and whose third removes it again. Each
 * repository of a project is updated in its own folder and sees its own files only: the update of the first
 * repository to v2 said nothing of the new one (no command makes it), and the update to v3 nothing of the one
 * the blueprint dropped, whose own updates are refused from then on. The baselines now name the repositories
 * generated with them, and the update says what changed.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, infra: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'app ${version}\\n');
    if (${infra}) new SourceFile(new SourceRepository(this, { title: 'infra' }), 'main.tf', '# infra\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
}

let work: string;
let source: string;

beforeAll(() => {
  work = tempDir('bluesynth-evolve-repositories-');
  const blueprint = path.join(work, 'blueprint');
  release(blueprint, '1.0.0', false);
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  for (const [tag, infra] of [['v2', true], ['v3', false]] as const) {
    release(blueprint, `${tag.slice(1)}.0.0`, infra);
    commitAll(blueprint, tag);
    git(blueprint, 'tag', tag);
  }
  source = `${blueprint}#v1`;
});

const added = "the blueprint now generates the repository 'infra' as well, which test-blueprint@1.0.0 did not: this update changes 'app' only";
const dropped = "the blueprint no longer generates the repository 'infra', which test-blueprint@2.0.0 did: its files stay as they are, and its own updates are refused from this version on ('blueprint disassociate' in it stops following the blueprint there)";

test('an update to a version that adds a repository says so, in the dry run, the summary and --json, once', () => {
  expect(runCli(['create', '--blueprint', source, path.join(work, 'from-v1')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'from-v1', 'app');

  const dryRun = runCli(['update', '--to', 'v2', '--dry-run'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain(`warning: ${added}`);
  const update = runCli(['update', '--to', 'v2', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  const warnings: string[] = JSON.parse(update.stdout).warnings;
  expect(warnings.filter(warning => warning.includes("'infra'"))).toEqual([expect.stringContaining(added)]);

  // The next update from v2's baseline, which names both, has nothing new to say of them; v3 drops infra.
  const next = runCli(['update', '--to', 'v3', '--json'], { cwd: repo });
  expect(next.code).toBe(0);
  expect(JSON.parse(next.stdout).warnings).toEqual([dropped]);
});

test('a project made with both repositories: the update of the one the blueprint keeps says that the other is dropped; the other\'s update is refused', () => {
  const v2 = source.replace(/#v1$/, '#v2');
  expect(runCli(['create', '--blueprint', v2, path.join(work, 'from-v2')], { cwd: work }).code).toBe(0);
  const app = path.join(work, 'from-v2', 'app');
  const infra = path.join(work, 'from-v2', 'infra');

  const update = runCli(['update', '--to', 'v3'], { cwd: app });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain(`warning: ${dropped}`);
  expect(update.stdout).not.toContain('now generates');

  const refused = runCli(['update', '--to', 'v3'], { cwd: infra });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("no longer generates the repository 'infra'");
});
