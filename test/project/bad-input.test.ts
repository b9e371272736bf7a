import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, initRepository } from './git-fixtures';

/**
 * Bad input to update, check and status: a clear message naming the thing, exit 2, and the repository
 * exactly as it was (HEAD, index, work tree, no merge state).
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-project-input-');
const blueprintDir = greetingBlueprint(path.join(work, 'tiny'), 'tiny');
const repo = path.join(work, 'project', 'tiny');

beforeAll(() => {
  initRepository(blueprintDir, 'tiny blueprint');
  git(blueprintDir, 'tag', 'v1.0.0');
  const created = runCli(['create', '--blueprint', `${blueprintDir}#v1.0.0`, path.join(work, 'project')], { cwd: work });
  expect(created.output).toContain('created from test-blueprint@1.2.3');
});

/** Runs the CLI in the repository and checks that it exits 2 naming `what`, and that nothing changed. */
function refuses(args: string[], what: string | RegExp, cwd = repo) {
  const head = git(repo, 'rev-parse', 'HEAD');
  const status = git(repo, 'status', '--porcelain');
  const result = runCli(args, { cwd });
  expect(result.stderr).toMatch(what);
  expect(result.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe(status);
  expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
}

test('a dirty working tree', () => {
  fs.appendFileSync(path.join(repo, 'hello.txt'), 'local\n');
  refuses(['update', '--set', 'greeting=hi'], /the working tree has changes \(hello\.txt\)/);
  git(repo, 'checkout', '--', 'hello.txt');
  // (Untracked files are refused only where the update writes: see update-landing.test.ts.)
});

test('a dirty working tree is what an update names even when the blueprint fails too (the tree is looked at while the blueprint runs)', () => {
  const failing = greetingBlueprint(path.join(work, 'failing'), 'tiny');
  fs.writeFileSync(path.join(failing, 'src', 'index.ts'), fs.readFileSync(path.join(failing, 'src', 'index.ts'), 'utf8').replace('super(options);', "super(options);\n    throw new Error('the blueprint broke');"));
  expect(runCli(['synth', '--blueprint', failing, '--options', path.join(failing, 'src', 'defaults.json'), '--outdir', path.join(work, 'failing-synth')], { cwd: work }).stderr).toContain('the blueprint broke');
  fs.appendFileSync(path.join(repo, 'hello.txt'), 'local\n');
  refuses(['update', '--blueprint', failing], /the working tree has changes \(hello\.txt\)/);
  git(repo, 'checkout', '--', 'hello.txt');
});

test('a merge in progress', () => {
  const head = git(repo, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(repo, '.git', 'MERGE_HEAD'), `${head}\n`);
  try {
    const result = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a merge is in progress (MERGE_HEAD)');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  } finally {
    fs.rmSync(path.join(repo, '.git', 'MERGE_HEAD'));
  }
});

test('a detached HEAD', () => {
  const branch = git(repo, 'symbolic-ref', '--short', 'HEAD');
  git(repo, 'checkout', '--quiet', '--detach');
  try {
    refuses(['update', '--set', 'greeting=hi'], /HEAD is detached/);
  } finally {
    git(repo, 'checkout', '--quiet', branch);
  }
});

test('with --json a refusal is a JSON object on standard output too, so a CI step that keeps the report keeps why', () => {
  const branch = git(repo, 'symbolic-ref', '--short', 'HEAD');
  git(repo, 'checkout', '--quiet', '--detach');
  try {
    const refused = runCli(['update', '--set', 'greeting=hi', '--json'], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toEqual({ error: expect.stringMatching(/HEAD is detached/), exitCode: 2 });
  } finally {
    git(repo, 'checkout', '--quiet', branch);
  }
  const usage = runCli(['check', '--json', '--bogus'], { cwd: repo });
  expect(usage.code).toBe(2);
  expect(JSON.parse(usage.stdout)).toEqual({ error: expect.stringContaining('--bogus'), exitCode: 2 });
});

test('a version that does not exist, and a source that cannot be resolved', () => {
  refuses(['update', '--to', 'v9.9.9'], /version 'v9\.9\.9' does not exist in the blueprint repository .*tiny \(tags: v1\.0\.0\)/);
  refuses(['update', '--blueprint', path.join(work, 'nowhere')], /blueprint source '.*nowhere': no such folder/);
});

test('a missing or malformed record', () => {
  const outside = path.join(work, 'plain');
  fs.mkdirSync(outside);
  initRepositoryWithFile(outside);
  const missing = runCli(['update'], { cwd: outside });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain(`${path.join(outside, '.bluesynth', 'instantiations.json')} (at HEAD): no instantiation record`);
  expect(runCli(['status'], { cwd: outside }).code).toBe(2);
  expect(runCli(['check'], { cwd: outside }).code).toBe(2);

  fs.mkdirSync(path.join(outside, '.bluesynth'));
  fs.writeFileSync(path.join(outside, '.bluesynth', 'instantiations.json'), '[{"id": "x"}]\n');
  commitAll(outside, 'a broken record');
  const malformed = runCli(['update'], { cwd: outside });
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).toContain('instantiations.json (at HEAD): entry 1: \'packageName\' must be a non-empty string');

  const entry = { id: 'x', packageName: 'p', versionId: '1.0.0', source: 'npm:p@1.0.0', sourceRevision: '1.0.0', repository: 'plain', options: {} };
  fs.writeFileSync(path.join(outside, '.bluesynth', 'instantiations.json'), JSON.stringify([entry, { ...entry, packageName: 'q' }]));
  commitAll(outside, 'one id twice');
  for (const command of ['update', 'status', 'check']) {
    const twice = runCli([command], { cwd: outside });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('instantiations.json (at HEAD): entry 2: the id \'x\' is entry 1\'s too');
  }

  fs.writeFileSync(path.join(outside, '.bluesynth', 'instantiations.json'), '[]\n');
  commitAll(outside, 'an empty record');
  for (const command of ['update', 'status', 'check']) {
    const empty = runCli([command], { cwd: outside });
    expect(empty.stderr).toContain('.bluesynth/instantiations.json records no instantiation');
    expect(empty.code).toBe(2);
  }

  const notRepo = path.join(work, 'not-a-repository');
  fs.mkdirSync(notRepo);
  const none = runCli(['status'], { cwd: notRepo, env: { GIT_CEILING_DIRECTORIES: work } });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain(`${notRepo}: not inside a git repository`);
});

test("a command run in the folder create was given, not in a repository of it, names the repositories to run it in", () => {
  // The README's create writes PROJECT_DIR/<repository>/; a newcomer runs check where they ran create, in PROJECT_DIR.
  const project = path.join(work, 'project');
  for (const command of ['update', 'status', 'check']) {
    const result = runCli([command], { cwd: project, env: { GIT_CEILING_DIRECTORIES: work } });
    expect(result.stderr).toContain(`${project}: not inside a git repository`);
    expect(result.stderr).toContain(": it holds the repositories 'blueprint create' made; run the command in one of them (tiny): cd tiny\n");
    expect(result.code).toBe(2);
  }
});

test('run in a folder that holds many repositories create made, the message names five and counts the rest', () => {
  // Run in /tmp on a shared machine, it listed 35 of them on one line.
  const work = tempDir('bluesynth-many-made-');
  for (let i = 0; i < 7; i++) {
    const repo = path.join(work, `service-${i}`);
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, '.bluesynth'));
    fs.writeFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), '[]\n');
  }
  const check = runCli(['check'], { cwd: work, env: { GIT_CEILING_DIRECTORIES: path.dirname(work) } });
  expect(check.code).toBe(2);
  expect(check.stderr).toContain("run the command in one of them (service-0, service-1, service-2, service-3, service-4 and 2 more): cd service-0\n");
});

test('status shows the record; an update with new options then merges cleanly', () => {
  const status = runCli(['status', '--json'], { cwd: repo });
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout).instantiations[0]).toMatchObject({ packageName: 'test-blueprint', versionId: '1.2.3', options: { greeting: 'hello' }, baseline: git(repo, 'rev-list', '--max-parents=0', 'HEAD') });
  const update = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain('updated test-blueprint@1.2.3 with new options: greeting: merge commit');
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hi\n');
  expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('3');
  const again = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(again.stdout).toContain('already up to date');
  expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('3');
});

test('check of a folder source: a newer version in its package.json is behind (exit 1); a source that cannot be resolved, or a baseline missing from a shallow clone, cannot tell (exit 2, what was found still printed)', () => {
  const folderBlueprint = greetingBlueprint(path.join(work, 'folder-blueprint'), 'folder');
  const created = runCli(['create', '--blueprint', folderBlueprint, path.join(work, 'from-folder')], { cwd: work });
  expect(created.code).toBe(0);
  const project = path.join(work, 'from-folder', 'folder');
  fs.appendFileSync(path.join(project, 'hello.txt'), 'edited\n');
  commitAll(project, 'a developer edit');
  expect(runCli(['check'], { cwd: project }).code).toBe(0);

  // A folder has no versions to pick from, but a newer version in its package.json is a newer blueprint.
  const manifest = path.join(folderBlueprint, 'package.json');
  const original = fs.readFileSync(manifest, 'utf8');
  fs.writeFileSync(manifest, original.replace('"1.2.3"', '"1.3.0"'));
  try {
    const bumped = runCli(['check', '--json'], { cwd: project });
    expect(bumped.code).toBe(1);
    expect(JSON.parse(bumped.stdout).instantiations[0]).toMatchObject({ behind: true, newest: '1.3.0' });
  } finally {
    fs.writeFileSync(manifest, original);
  }

  // A shallow clone, as CI checks out by default: the baseline is not in the history it has.
  const shallow = path.join(work, 'shallow');
  git(work, 'clone', '--quiet', '--depth', '1', `file://${project}`, shallow);
  const inShallow = runCli(['check'], { cwd: shallow });
  expect(inShallow.code).toBe(2);
  expect(inShallow.stderr).toMatch(/cannot tell whether the repository is up to date:\n.*no baseline commit of instantiation .*: this is a shallow clone, which lacks it; fetch the whole history \(git fetch --unshallow; in CI, fetch-depth: 0\)/);
  expect(inShallow.stdout).not.toMatch(/^(not )?up to date$/m);
  expect(inShallow.stdout).toContain('hand edits    unknown (no baseline to compare with)');
  // The JSON a CI script reads says unknown too, and why, where an empty list read as "no file edited".
  const shallowJson = runCli(['check', '--json'], { cwd: shallow });
  expect(shallowJson.code).toBe(2);
  const unknown = JSON.parse(shallowJson.stdout).instantiations[0];
  expect(unknown).not.toHaveProperty('editedByHand');
  expect(unknown).not.toHaveProperty('unresolvedConflicts');
  expect(unknown.handEditsUnknown).toMatch(/^no baseline to compare with: no baseline commit of instantiation .*: this is a shallow clone/);

  // The recorded folder moved away: no newer version can be seen, so "up to date" would be a guess.
  fs.renameSync(folderBlueprint, `${folderBlueprint}-moved`);
  try {
    const moved = runCli(['check', '--json'], { cwd: project });
    expect(moved.code).toBe(2);
    const report = JSON.parse(moved.stdout);
    expect(report).toMatchObject({ upToDate: false, undetermined: true });
    expect(report.instantiations[0].undetermined).toContain(`blueprint source '${folderBlueprint}'`);
    expect(report.instantiations[0].editedByHand).toEqual([]);
    const text = runCli(['check'], { cwd: project });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`blueprint source '${folderBlueprint}': no such folder`);
  } finally {
    fs.renameSync(`${folderBlueprint}-moved`, folderBlueprint);
  }
});

function initRepositoryWithFile(dir: string): void {
  fs.writeFileSync(path.join(dir, 'README.md'), 'plain\n');
  initRepository(dir);
}

test('check of a git source that can no longer be fetched cannot tell (exit 2), though its cached mirror still answers', () => {
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
  fs.renameSync(blueprintDir, `${blueprintDir}-gone`);
  try {
    const gone = runCli(['check', '--json'], { cwd: repo });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/cannot tell whether the repository is up to date:\n.*cannot fetch '.*tiny'.*the cached mirror answered/);
    expect(JSON.parse(gone.stdout)).toMatchObject({ upToDate: false, undetermined: true });
  } finally {
    fs.renameSync(`${blueprintDir}-gone`, blueprintDir);
  }
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});

test('--set must name an option of the blueprint; a number given for a text option is that text', () => {
  refuses(['update', '--set', 'greetng=hi'], /--set greetng=hi: the blueprint has no option 'greetng' \(did you mean 'greeting'\? its options: greeting\)/);
  refuses(['create', '--blueprint', `${blueprintDir}#v1.0.0`, '--set', 'greetng=hi', path.join(work, 'typo')], /--set greetng=hi: the blueprint has no option 'greetng'/);
  expect(fs.existsSync(path.join(work, 'typo'))).toBe(false);

  const updated = runCli(['update', '--set', 'greeting=22'], { cwd: repo });
  expect(updated.code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('22\n');
  expect(JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))[0].options.greeting).toBe('22');
});

test('an options file (--options) must name options of the blueprint, as --set must: a typo is refused, never recorded', () => {
  const typo = path.join(work, 'typo-options.json');
  fs.writeFileSync(typo, JSON.stringify({ greetng: 'hi' }));
  const record = fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8');
  refuses(['update', '--options', typo], /typo-options\.json: the blueprint has no option 'greetng' \(did you mean 'greeting'\? its options: greeting\)/);
  expect(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8')).toBe(record);
  const created = runCli(['create', '--blueprint', `${blueprintDir}#v1.0.0`, '--options', 'typo-options.json', path.join(work, 'file-typo')], { cwd: work });
  expect(created.stderr).toContain("typo-options.json: the blueprint has no option 'greetng' (did you mean 'greeting'?");
  expect(created.stderr).not.toContain('defaults.json');
  expect(created.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'file-typo'))).toBe(false);
});

test('an update whose blueprint no longer generates this repository (an option renamed it) is refused: nothing is deleted', () => {
  const named = makeBlueprint(path.join(work, 'named-blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { repositoryName: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: options.repositoryName }), 'README.md', '# ' + options.repositoryName + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ repositoryName: 'web' }) });
  expect(runCli(['create', '--blueprint', named, path.join(work, 'named')], { cwd: work }).code).toBe(0);
  const web = path.join(work, 'named', 'web');
  const head = git(web, 'rev-parse', 'HEAD');
  for (const extra of [['--dry-run'], []]) {
    const renamed = runCli(['update', '--set', 'repositoryName=site', ...extra], { cwd: web });
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toContain("no longer generates the repository 'web' that this one holds (it generates: site)");
  }
  expect(git(web, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(web, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(web, 'README.md'), 'utf8')).toBe('# web\n');
});

test('create from a source that is not a blueprint (its entry exports no Blueprint) is bad input: exit 2, nothing created', () => {
  const notBlueprint = makeBlueprint(path.join(work, 'not-a-blueprint'), 'export const answer = 42;\n');
  const target = path.join(work, 'from-not-a-blueprint');
  const result = runCli(['create', '--blueprint', notBlueprint, target], { cwd: work });
  expect(result.stderr).toContain(`${notBlueprint} is not a blueprint: src/index.ts does not export a class 'Blueprint'`);
  expect(result.code).toBe(2);
  expect(fs.existsSync(target)).toBe(false);
});

test('a history squashed into one commit is said to be rewritten, not shallow, with the way back while the generated commit is in the reflog', () => {
  const squashed = path.join(work, 'squashed');
  git(work, 'clone', '--quiet', `file://${repo}`, squashed);
  fs.appendFileSync(path.join(squashed, 'hello.txt'), 'a developer edit\n');
  commitAll(squashed, 'a developer edit');
  // The team squashes main's history into one commit (git checkout --orphan, commit, force the branch).
  git(squashed, 'checkout', '--quiet', '--orphan', 'flat');
  git(squashed, 'commit', '--quiet', '-m', 'one commit');
  git(squashed, 'branch', '-M', 'main');
  const generatedCommits = git(squashed, 'rev-list', '--all', '--reflog', '--grep', 'Bluesynth-Instantiation').split('\n');

  const checked = runCli(['check'], { cwd: squashed });
  expect(checked.code).toBe(2);
  expect(checked.stderr).toContain('in the history of HEAD, which is not shallow: its history was rewritten (squashed into one commit, or filtered)');
  expect(checked.stderr).not.toContain('shallow clone');
  // The generated commit whose record is HEAD's (earlier tests here updated the project, so there are several).
  const named = /git merge -s ours --allow-unrelated-histories ([0-9a-f]{12})$/m.exec(checked.stderr)?.[1];
  const generated = generatedCommits.find(commit => commit.startsWith(named ?? '-'));
  expect(generated).toBeDefined();

  // The remedy as printed: the generated commit merged without changing a file, and check can tell again.
  git(squashed, 'merge', '--quiet', '-s', 'ours', '--allow-unrelated-histories', '-m', 'record the baseline', generated!);
  const again = runCli(['check', '--json'], { cwd: squashed });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).instantiations[0]).toMatchObject({ behind: false });
});

test('a project copied into a folder of a bigger repository (a monorepo): update, check and status say its record is in a folder, and the way on, not that it was never made by create', () => {
  const monorepo = path.join(work, 'monorepo');
  fs.cpSync(repo, path.join(monorepo, 'services', 'tiny'), { recursive: true, filter: source => path.basename(source) !== '.git' });
  fs.writeFileSync(path.join(monorepo, 'README.md'), 'all our services\n');
  initRepository(monorepo, 'monorepo');
  const head = git(monorepo, 'rev-parse', 'HEAD');
  for (const [command, cwd] of [['update', path.join(monorepo, 'services', 'tiny')], ['check', monorepo], ['status', path.join(monorepo, 'services')]]) {
    const refused = runCli([command], { cwd });
    // It asked "was this repository made by 'blueprint create'?" and offered --add --adopt at the monorepo's top.
    expect(refused.stderr.trim()).toBe(`blueprint ${command}: ${path.join(monorepo, '.bluesynth', 'instantiations.json')} (at HEAD): no instantiation record ` +
      "at the repository's top folder, only in a folder of it (services/tiny/.bluesynth/instantiations.json): a project kept as a folder of a bigger " +
      "repository cannot be updated, since an update merges into a repository's top folder, from baselines in that repository's history; keep the " +
      'project a repository of its own (in a monorepo, a git submodule, which updates in its own folder)');
    expect(refused.code).toBe(2);
  }
  expect(git(monorepo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(monorepo, 'status', '--porcelain')).toBe('');
});

test('a project git subtree add put in a monorepo\'s folder: the refusal gives the way the subtree\'s history allows (split, update, merge back), which works', () => {
  const monorepo = path.join(work, 'subtree-monorepo');
  fs.mkdirSync(monorepo);
  fs.writeFileSync(path.join(monorepo, 'README.md'), 'all our services\n');
  initRepository(monorepo, 'monorepo');
  git(monorepo, 'subtree', 'add', '--prefix=services/tiny', repo, 'main');
  const head = git(monorepo, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--set', 'greeting=hi from the subtree'], { cwd: path.join(monorepo, 'services', 'tiny') });
  expect(refused.stderr).toContain("keep the project a repository of its own (in a monorepo, a git submodule, which updates in its own folder); " +
    'services/tiny came with git subtree add, which keeps its history with the baselines: split it out (git subtree split --prefix=services/tiny ' +
    '-b tiny-update), update that branch in a work tree of its own (git worktree add ../tiny-update tiny-update, then blueprint update there), ' +
    'and merge it back (git subtree merge --prefix=services/tiny tiny-update)');
  expect(refused.code).toBe(2);
  expect(git(monorepo, 'rev-parse', 'HEAD')).toBe(head);

  // The way on, as printed (from the monorepo's top folder).
  git(monorepo, 'subtree', 'split', '--prefix=services/tiny', '-b', 'tiny-update');
  git(monorepo, 'worktree', 'add', '--quiet', '../tiny-update', 'tiny-update');
  const updated = runCli(['update', '--set', 'greeting=hi from the subtree'], { cwd: path.join(work, 'tiny-update') });
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  git(monorepo, 'subtree', 'merge', '--prefix=services/tiny', 'tiny-update', '-m', 'the blueprint update');
  expect(fs.readFileSync(path.join(monorepo, 'services', 'tiny', 'hello.txt'), 'utf8')).toBe('hi from the subtree\n');
  // Split again, the update's generated commit is the baseline: up to date.
  git(monorepo, 'subtree', 'split', '--prefix=services/tiny', '-b', 'tiny-again');
  git(monorepo, 'worktree', 'add', '--quiet', '../tiny-again', 'tiny-again');
  expect(runCli(['check', '--no-reproduce'], { cwd: path.join(work, 'tiny-again') }).code).toBe(0);
});
