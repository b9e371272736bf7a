import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/**
 * Journey 39: each instantiation's baseline holds the whole record as `HEAD` had it, so another blueprint's
 * update changes what the next one copies. That is no change of this blueprint's: its update with nothing to do
 * is up to date, and its next real update still merges from its own last baseline.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-multi-journey-baselines-');
function blueprint(name: string, repository: string, file: string): string {
  const dir = makeBlueprint(path.join(work, name), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { text: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: '${repository}' }), '${file}', options.text + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ text: name }) });
  writeTree(dir, { 'package.json': JSON.stringify({ name, version: '1.0.0' }) });
  return dir;
}
const service = blueprint('service-blueprint', 'payments', 'README.md');
const ci = blueprint('ci-workflows', 'ci', 'ci.yml');
const repo = path.join(work, 'project', 'payments');
const cli = (...args: string[]) => runCli(args, { cwd: repo });

test("another blueprint's update leaves this one up to date, and its next update merges from its own baseline", () => {
  expect(runCli(['create', '--blueprint', service, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  expect(cli('update', '--add', '--blueprint', ci).code).toBe(0);
  const [serviceId, ciId] = JSON.parse(git(repo, 'show', 'HEAD:.bluesynth/instantiations.json')).map((i: any) => i.id);
  const ciBaseline = JSON.parse(cli('status', '--json').stdout).instantiations[1].baseline;

  expect(cli('update', '--instantiation', serviceId, '--set', 'text=hi').code).toBe(0);
  const head = git(repo, 'rev-parse', 'HEAD');
  const again = cli('update', '--instantiation', ciId);
  expect(again.stderr).toBe('');
  expect(again.stdout.split('\n')[0]).toBe('already up to date with ci-workflows@1.0.0');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(JSON.parse(cli('status', '--json').stdout).instantiations[1].baseline).toBe(ciBaseline);

  // Its next update is a child of its own last baseline, and changes its own file alone.
  expect(cli('update', '--instantiation', ciId, '--set', 'text=node 22').code).toBe(0);
  expect(git(repo, 'rev-parse', 'HEAD^2^')).toBe(ciBaseline);
  expect(git(repo, 'diff', '--name-only', head, 'HEAD')).toBe('.bluesynth/instantiations.json\nci.yml');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a blueprint whose files were deleted by hand is not added a second time over its own record', () => {
  git(repo, 'rm', '-q', 'ci.yml');
  git(repo, 'commit', '-qm', 'team: no CI here');
  const head = git(repo, 'rev-parse', 'HEAD');
  const again = cli('update', '--add', '--blueprint', ci);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/--add: \.bluesynth\/instantiations\.json already records ci-workflows@1\.0\.0 \(instantiation [0-9a-f-]+, repository 'ci'\): update it with blueprint update --instantiation ci-workflows \(--to VERSION, --options FILE, --set key=value\) instead; nothing changed/);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(JSON.parse(git(repo, 'show', 'HEAD:.bluesynth/instantiations.json')).map((i: any) => i.packageName)).toEqual(['service-blueprint', 'ci-workflows']);
});
