import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * A blueprint published with the CodeCatalyst SDK (compiled lib/, static-assets/, no src/index.ts),
 * installed from the npm registry into the test's cache folder: create a project from it, then update
 * it with changed options. Slow (the install), so one test with a generous timeout.
 */
jest.setTimeout(1_200_000);

const SPEC = 'npm:@amazon-codecatalyst/blueprints.gen-ai-chatbot@0.4.22';

test('create from a published SDK package, then update it with changed options', () => {
  const work = tempDir('bluesynth-sdk-package-');
  const created = runCli(['create', '--blueprint', SPEC, path.join(work, 'project')], { cwd: work });
  // A registry package runs sandboxed unless a runner is named: the SDK blueprint's synthesis runs there.
  expect(created.stderr).toContain('note: @amazon-codecatalyst/blueprints.gen-ai-chatbot is an installed npm package, so it runs under the sandbox runner');
  expect(created.stdout).toContain('created from @amazon-codecatalyst/blueprints.gen-ai-chatbot@0.4.22');
  expect(created.code).toBe(0);
  const repo = path.join(work, 'project', 'chatbot');
  const cacheFolder = path.join(process.env.BLUESYNTH_CACHE_DIR!, 'packages', '@amazon-codecatalyst+blueprints.gen-ai-chatbot@0.4.22');
  expect(fs.existsSync(path.join(cacheFolder, 'node_modules', '@amazon-codecatalyst', 'blueprints.gen-ai-chatbot', 'lib', 'index.js'))).toBe(true);
  const record = JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'));
  expect(record[0]).toMatchObject({ packageName: '@amazon-codecatalyst/blueprints.gen-ai-chatbot', versionId: '0.4.22', source: SPEC, repository: 'chatbot' });
  expect(fs.readFileSync(path.join(repo, 'cdk', 'cdk.json'), 'utf8')).toContain('us-west-2');
  // The SDK's class records the folder it wrote as its outdir: the bundle's name, never the work folder it ran in.
  const outdirOf = () => JSON.parse(fs.readFileSync(path.join(work, 'project', 'project-bundle', 'options.json'), 'utf8')).outdir;
  expect(outdirOf()).toBe('proposed-bundle');

  // Its options are checked against the Options its declarations (lib/index.d.ts) export: a typo in a key, or a
  // value of the wrong type, is refused before the blueprint runs, naming it.
  const head = git(repo, 'rev-parse', 'HEAD');
  const typo = runCli(['update', '--set', 'code.bucketRemovalPolcy=RETAIN', '--runner', 'fast'], { cwd: repo });
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain("--set code.bucketRemovalPolcy=RETAIN: the blueprint has no option 'code.bucketRemovalPolcy'");
  fs.writeFileSync(path.join(work, 'wrong.json'), JSON.stringify({ enableSelfRegistration: 'Maybe' }));
  const mistyped = runCli(['update', '--options', path.join(work, 'wrong.json'), '--runner', 'fast'], { cwd: repo });
  expect(mistyped.code).toBe(2);
  expect(mistyped.stderr).toMatch(/wrong\.json: \$\.enableSelfRegistration: enum: must be one of "Enabled", "Disabled"/);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  fs.appendFileSync(path.join(repo, 'README.md'), '\n## Our deployment notes\n');
  const edited = commitAll(repo, 'team notes');
  // The SDK base class's resynth() would start git for its diffs, which the sandbox refuses: the framework merges in
  // its place (the blueprint does not override it), so the update runs sandboxed, as the synthesis does.
  const update = runCli(['update', '--set', 'code.region=eu-west-1', '--json'], { cwd: repo });
  expect(update.stderr).not.toContain('SandboxError');
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout);
  expect(report.state).toBe('committed');
  expect(report.files.find((f: any) => f.path === 'cdk/cdk.json')).toMatchObject({ outcome: 'updated' });
  expect(fs.readFileSync(path.join(repo, 'cdk', 'cdk.json'), 'utf8')).toContain('eu-west-1');
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toContain('## Our deployment notes');
  expect(git(repo, 'rev-parse', 'HEAD^1')).toBe(edited);
  expect(JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))[0].options.code.region).toBe('eu-west-1');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(outdirOf()).toBe('proposed-bundle');
  expect(git(repo, 'show', 'HEAD^2:.bluesynth/instantiations.json')).not.toContain(process.env.BLUESYNTH_CACHE_DIR!);
});
