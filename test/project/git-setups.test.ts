import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, initRepository, read, replaceInFile, unmergedStages } from './git-fixtures';

/**
 * update, check and status in the git set-ups developers really have, judged against what `git merge` does
 * there: `GIT_DIR` in the environment, a sparse checkout, signed commits, an upstream
 * that moved on.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-git-setups-');
const blueprintDir = greetingBlueprint(path.join(work, 'tiny'), 'tiny', ['docs/guide.md', 'app.txt']);

beforeAll(() => {
  initRepository(blueprintDir, 'tiny blueprint');
  git(blueprintDir, 'tag', 'v1.0.0');
});

let projects = 0;

/** A new project made from the blueprint's git repository at v1.0.0: the repository's folder. */
function newProject(): string {
  const project = path.join(work, `project-${++projects}`);
  const created = runCli(['create', '--blueprint', `${blueprintDir}#v1.0.0`, project], { cwd: work });
  expect(created.code).toBe(0);
  return path.join(project, 'tiny');
}

test('GIT_DIR and GIT_WORK_TREE in the environment (a git integration or a git folder kept apart) name the project only: the blueprint source is not fetched into it', () => {
  const repo = newProject();
  const head = git(repo, 'rev-parse', 'HEAD');
  const env = { GIT_DIR: path.join(repo, '.git'), GIT_WORK_TREE: repo };
  const checked = runCli(['check'], { cwd: work, env });
  expect(checked.stdout).toContain('up to date');
  expect(checked.code).toBe(0);
  // The source's mirror was fetched with '--prune refs/heads/*': into the project, it deleted the project's branch.
  expect(git(repo, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('refs/heads/main');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'tag', '-l')).toBe('');

  const updated = runCli(['update', '--set', 'greeting=hi'], { cwd: work, env });
  expect(updated.code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hi\n');
  expect(git(repo, 'rev-parse', 'HEAD^1')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a git folder kept apart from the work tree (GIT_DIR relative to the folder the command runs in) is updated as it is', () => {
  const repo = newProject();
  const gitDir = path.join(work, `apart-${projects}.git`);
  fs.renameSync(path.join(repo, '.git'), gitDir);
  const env = { GIT_DIR: path.relative(repo, gitDir), GIT_WORK_TREE: '.' };
  const updated = runCli(['update', '--set', 'greeting=hi'], { cwd: repo, env });
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hi\n');
  expect(git(gitDir, 'log', '--format=%s', '-1')).toMatch(/^chore\(resynthesis\)/);
  expect(git(repo, `--git-dir=${gitDir}`, `--work-tree=${repo}`, 'status', '--porcelain')).toBe('');
});

/** A `gpg.program` that signs anything with a made-up signature, or (`fails`) refuses as gpg does without a key. */
function fakeGpg(fails: boolean): string {
  const program = path.join(work, fails ? 'gpg-without-key' : 'gpg-with-key');
  fs.writeFileSync(program, fails
    ? '#!/bin/sh\necho "gpg: signing failed: No secret key" >&2\nexit 2\n'
    : '#!/bin/sh\ncat >/dev/null\necho "[GNUPG:] SIG_CREATED D 1 8 00 1 FAKE" >&2\nprintf -- "-----BEGIN PGP SIGNATURE-----\\n\\nfake\\n-----END PGP SIGNATURE-----\\n"\n', { mode: 0o755 });
  return program;
}

test('commit.gpgSign: the generated commit and the merge are signed, as git merge signs; with no key the update is refused, naming the setting, and nothing changes', () => {
  const repo = newProject();
  git(repo, 'config', 'commit.gpgSign', 'true');
  git(repo, 'config', 'gpg.program', fakeGpg(true));
  const head = git(repo, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(refused.stderr).toMatch(/commit\.gpgSign is set \(\.git\/config\), and git could not sign the commit \(.*gpg failed to sign the data.*\).*'git config commit\.gpgSign false'; nothing changed/);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  git(repo, 'config', 'gpg.program', fakeGpg(false));
  const updated = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(updated.code).toBe(0);
  // commit-tree ignores commit.gpgSign: both were unsigned, where every commit git makes there is signed.
  expect(git(repo, 'cat-file', 'commit', 'HEAD')).toContain('gpgsig -----BEGIN PGP SIGNATURE-----');
  expect(git(repo, 'cat-file', 'commit', 'HEAD^2')).toContain('gpgsig -----BEGIN PGP SIGNATURE-----');
});

test('a sparse checkout: a conflicted file outside it is written into the work tree with its markers, as git merge writes it', () => {
  const repo = newProject();
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello from the project\n');
  commitAll(repo, 'the project greets');
  git(repo, 'sparse-checkout', 'set', '--no-cone', '/*', '!/hello.txt', '!/docs/');
  expect(fs.existsSync(path.join(repo, 'hello.txt'))).toBe(false);

  const updated = runCli(['update', '--set', 'greeting=hi', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(updated.code).toBe(1);
  expect(Object.keys(unmergedStages(repo))).toEqual(['hello.txt']);
  // Left out, the file could not be resolved: 'git add' found nothing to add.
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toMatch(/^<<<<<<< .*\nhello from the project\n=======\nhi\n>>>>>>> /);
  // The files outside that merged cleanly stay out, as after git merge.
  expect(fs.existsSync(path.join(repo, 'docs'))).toBe(false);
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hi from the project\n');
  git(repo, 'add', '--sparse', 'hello.txt');
  git(repo, 'commit', '--quiet', '--no-edit');
  expect(git(repo, 'show', 'HEAD:hello.txt')).toBe('hi from the project');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});

/** Two clones of `repo` through a bare remote; the teammate's (`theirs`) pushed a commit that `mine` has fetched. */
function clonesWithTeammatePushed(repo: string): { mine: string; theirs: string } {
  const remote = path.join(work, `remote-${projects}.git`);
  git(work, 'clone', '--quiet', '--bare', repo, remote);
  const mine = path.join(work, `mine-${projects}`);
  const theirs = path.join(work, `theirs-${projects}`);
  git(work, 'clone', '--quiet', remote, mine);
  git(work, 'clone', '--quiet', remote, theirs);
  fs.writeFileSync(path.join(theirs, 'notes.txt'), 'a teammate was here\n');
  commitAll(theirs, 'a teammate');
  git(theirs, 'push', '--quiet');
  git(mine, 'fetch', '--quiet');
  return { mine, theirs };
}

test('an upstream that moved on, and pull.rebase: the update says its merge diverges, and how to pull it without losing its generated commit', () => {
  const repo = newProject();
  const { mine, theirs } = clonesWithTeammatePushed(repo);
  git(mine, 'config', 'pull.rebase', 'true');

  const updated = runCli(['update', '--set', 'greeting=hi', '--json'], { cwd: mine });
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).warnings).toEqual([
    expect.stringMatching(/^main is 1 commit behind origin\/main \(as the last fetch saw it\): this update's merge diverges from it; pull it in with 'git pull --no-rebase'/),
    expect.stringMatching(/^pull\.rebase is set \(true\), so a 'git pull' of origin\/main rebases: until this update is pushed, pull with 'git pull --no-rebase'/),
  ]);
  // As said: the merge keeps the generated commit, and the next check finds it.
  git(mine, 'pull', '--quiet', '--no-rebase', '--no-edit');
  expect(runCli(['check'], { cwd: mine }).code).toBe(0);
  // Up to date with its upstream, with no pull.rebase: nothing to say.
  git(theirs, 'pull', '--quiet', '--no-rebase');
  const quiet = runCli(['update', '--set', 'greeting=hey', '--json'], { cwd: theirs });
  expect(JSON.parse(quiet.stdout).warnings).toEqual([]);
  // The branch's own setting wins over pull.rebase, as in git pull: set to false, nothing to say either.
  git(theirs, 'config', 'pull.rebase', 'true');
  git(theirs, 'config', 'branch.main.rebase', 'false');
  const ownSetting = runCli(['update', '--set', 'greeting=hello', '--json'], { cwd: theirs });
  expect(JSON.parse(ownSetting.stdout).warnings).toEqual([]);
  git(theirs, 'config', 'branch.main.rebase', 'merges');
  const merges = runCli(['update', '--set', 'greeting=howdy', '--json'], { cwd: theirs });
  expect(JSON.parse(merges.stdout).warnings).toEqual([expect.stringMatching(/^branch\.main\.rebase is set \(merges\), so a 'git pull' of origin\/main rebases/)]);
});

test('pull.rebase=merges: the update warns that such a pull makes its merge again with git\'s merge, which undoes a strategy\'s decision, as that pull then does; check warns of it after', () => {
  const repo = newProject();
  fs.writeFileSync(path.join(repo, '.ownership-file'), '[neverUpdate] test-blueprint\nhello.txt\n');
  commitAll(repo, 'the team owns hello.txt');
  const { mine } = clonesWithTeammatePushed(repo);
  git(mine, 'config', 'branch.main.rebase', 'merges');

  const updated = runCli(['update', '--set', 'greeting=hi', '--json'], { cwd: mine });
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).files).toContainEqual(expect.objectContaining({ path: 'hello.txt', outcome: 'kept', strategy: 'neverUpdate' }));
  expect(JSON.parse(updated.stdout).warnings).toEqual([
    expect.stringMatching(/^main is 1 commit behind origin\/main/),
    "branch.main.rebase is set (merges), so a 'git pull' of origin/main rebases with --rebase-merges: until this update is pushed, pull with " +
      "'git pull --no-rebase', or git makes the update's merge again with its own merge, which undoes what the strategies decided otherwise, " +
      "with no word (a file kept as the project has it, as neverUpdate keeps one, takes the blueprint's changes; only check warns of it after)",
  ]);
  expect(JSON.parse(runCli(['check', '--json', '--no-reproduce'], { cwd: mine }).stdout).instantiations[0].warnings).toBeUndefined();
  // What the warning says that pull does: the generated commit stays, the merge is git's, and neverUpdate's file is the blueprint's.
  const generated = git(mine, 'rev-parse', 'HEAD^2');
  git(mine, 'pull', '--quiet');
  expect(git(mine, 'rev-parse', 'HEAD^2')).toBe(generated);
  expect(read(mine, 'hello.txt')).toBe('hi\n');
  // check says so, with the way back; the exit code stays (the versions are as recorded).
  const merge = git(mine, 'rev-parse', '--short=12', 'HEAD');
  const check = runCli(['check', '--json', '--no-reproduce'], { cwd: mine });
  expect(JSON.parse(check.stdout).instantiations[0].warnings).toEqual([
    `the update's merge ${merge} holds the blueprint's version of hello.txt, where neverUpdate keeps the project's: git made that merge again with its own ` +
      `merge (git pull --rebase=merges, git rebase --rebase-merges), or it was amended; the version the update gave it is the project's, in ${merge}^1 ` +
      `(git checkout ${merge}^1 -- hello.txt, then commit it)`,
  ]);
  expect(check.code).toBe(0);
  git(mine, 'checkout', `${merge}^1`, '--', 'hello.txt');
  commitAll(mine, 'hello.txt back as we had it');
  expect(read(mine, 'hello.txt')).toBe('hello\n');
  expect(JSON.parse(runCli(['check', '--json', '--no-reproduce'], { cwd: mine }).stdout).instantiations[0].warnings).toBeUndefined();
});

test('hooks: as README says, an update runs none of those git merge runs (pre-merge-commit, commit-msg, post-merge), nor post-checkout for --branch, failing ones included', () => {
  const repo = newProject();
  const hooks = path.join(work, `hooks-${projects}`);
  const ran = path.join(hooks, 'ran');
  fs.mkdirSync(hooks);
  for (const hook of ['pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-merge', 'post-checkout']) {
    fs.writeFileSync(path.join(hooks, hook), `#!/bin/sh\necho ${hook} >> '${ran}'\nexit 1\n`, { mode: 0o755 });
  }
  git(repo, 'config', 'core.hooksPath', hooks);
  const updated = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(updated.code).toBe(0);
  expect(fs.existsSync(ran)).toBe(false);
  expect(git(repo, 'log', '-1', '--format=%s')).toMatch(/^chore\(resynthesis\): update/);
  // A failing post-checkout made 'checkout -b' exit 1 with the branch made: the update said it existed already (exit 2).
  const branched = runCli(['update', '--set', 'greeting=hey', '--branch', 'greet'], { cwd: repo });
  expect(branched.stderr).toBe('');
  expect(branched.code).toBe(0);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('greet');
  expect(fs.existsSync(ran)).toBe(false);
});

test('a rebase stopped at a conflict, and a bisect: update, update --branch and disassociate name the operation and the git commands that end it, not the detached HEAD; nothing changes', () => {
  const repo = newProject();
  git(repo, 'switch', '--quiet', '-c', 'side');
  fs.writeFileSync(path.join(repo, 'app.txt'), 'side\n');
  commitAll(repo, 'side');
  git(repo, 'switch', '--quiet', 'main');
  fs.writeFileSync(path.join(repo, 'app.txt'), 'main\n');
  commitAll(repo, 'main');
  git(repo, 'switch', '--quiet', 'side');
  expect(() => git(repo, 'rebase', 'main')).toThrow();
  const head = git(repo, 'rev-parse', 'HEAD');
  const status = git(repo, 'status', '--porcelain');
  // It said "HEAD is detached; check out a branch first, or give --branch": both would leave the rebase half done.
  for (const args of [['update', '--set', 'greeting=hi'], ['update', '--set', 'greeting=hi', '--branch', 'greet'], ['disassociate']]) {
    const refused = runCli(args, { cwd: repo });
    expect(refused.stderr.trim()).toBe(`blueprint ${args[0]}: ${repo}: a rebase is in progress (rebase-merge); finish it ('git rebase --continue') or abort it ('git rebase --abort') first`);
    expect(refused.code).toBe(2);
  }
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe(status);
  expect(git(repo, 'branch', '--list', 'greet')).toBe('');
  // check answers for the commit the rebase stopped at, and says so.
  const checked = runCli(['check', '--no-reproduce'], { cwd: repo });
  expect(checked.stdout).toContain("note: a rebase is in progress (rebase-merge): this answers for the commit HEAD is at, not for the branch; " +
    "finish it ('git rebase --continue') or abort it ('git rebase --abort') to check the branch");
  expect(JSON.parse(runCli(['check', '--no-reproduce', '--json'], { cwd: repo }).stdout).operationInProgress).toMatchObject({ file: 'rebase-merge', what: 'a rebase' });
  git(repo, 'rebase', '--abort');
  expect(runCli(['check', '--no-reproduce'], { cwd: repo }).stdout).not.toContain('in progress');

  git(repo, 'bisect', 'start', 'HEAD', 'HEAD~1');
  const tested = git(repo, 'rev-parse', 'HEAD');
  // --branch landed the update on the commit bisect had checked out to test.
  for (const args of [['update', '--set', 'greeting=hi'], ['update', '--set', 'greeting=hi', '--branch', 'greet']]) {
    const refused = runCli(args, { cwd: repo });
    expect(refused.stderr).toContain("a bisect is in progress (BISECT_START), and HEAD is the commit it stopped at; end it ('git bisect reset', back to the branch it started from) first");
    expect(refused.code).toBe(2);
  }
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(tested);
  expect(git(repo, 'branch', '--list', 'greet')).toBe('');
  git(repo, 'bisect', 'reset');
  expect(runCli(['update', '--set', 'greeting=hi'], { cwd: repo }).code).toBe(0);
});

test('user.name configured and no user.email: the commits keep the name, and only the email missing is filled in', () => {
  const repo = newProject();
  git(repo, 'config', 'user.name', 'Dana Dev');
  // git may not guess an email (as on a machine whose host name has no domain): the identity is incomplete.
  git(repo, 'config', 'user.useConfigOnly', 'true');
  const home = path.join(work, `home-${projects}`);
  fs.mkdirSync(home);
  const env = { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', EMAIL: '', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', GIT_COMMITTER_NAME: '', GIT_COMMITTER_EMAIL: '' };
  const updated = runCli(['update', '--set', 'greeting=hi'], { cwd: repo, env });
  expect(updated.code).toBe(0);
  // Both were 'bluesynth <bluesynth@localhost>': the user's name was dropped with the email git lacked.
  expect(git(repo, 'log', '-2', '--first-parent', '--format=%an <%ae> %cn <%ce>').split('\n')[0]).toBe('Dana Dev <bluesynth@localhost> Dana Dev <bluesynth@localhost>');
  expect(git(repo, 'log', '-1', '--format=%an <%ae>', 'HEAD^2')).toBe('Dana Dev <bluesynth@localhost>');
});

test('a generated folder the project made a symbolic link, where the blueprint adds a file: refused naming the file and the link in the repository, nothing changed', () => {
  const repo = newProject();
  // The team's docs live elsewhere now: the generated folder gave way to a link (its files are gone, not moved).
  git(repo, 'rm', '-r', '--quiet', 'docs');
  fs.mkdirSync(path.join(repo, 'shared'));
  fs.writeFileSync(path.join(repo, 'shared', 'handbook.md'), 'the team\'s handbook\n');
  fs.symlinkSync('shared', path.join(repo, 'docs'));
  commitAll(repo, 'docs is a link to shared');
  const head = git(repo, 'rev-parse', 'HEAD');
  const adds = greetingBlueprint(path.join(work, `tiny-adds-${projects}`), 'tiny', ['docs/guide.md', 'app.txt', 'docs/new.md']);
  const refused = runCli(['update', '--blueprint', adds], { cwd: repo });
  // It said "bundle (through the symbolic link 'src/tiny/docs'): path 'src/tiny/docs/new.md' escapes 'bundle'".
  expect(refused.stderr).toContain("'docs/new.md': the update would write it below 'docs', which is a symbolic link in the project");
  expect(refused.stderr).not.toContain('src/tiny');
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a generated folder the project moved, leaving a link in its place: the blueprint\'s new file goes to the moved folder, as git merge puts it', () => {
  const repo = newProject();
  git(repo, 'mv', 'docs', 'documentation');
  fs.symlinkSync('documentation', path.join(repo, 'docs'));
  commitAll(repo, 'docs is a link to documentation');
  const adds = greetingBlueprint(path.join(work, `tiny-adds-${projects}`), 'tiny', ['docs/guide.md', 'app.txt', 'docs/new.md']);
  const update = runCli(['update', '--blueprint', adds], { cwd: repo });
  expect(update.code).toBe(1);
  // git merge: "CONFLICT (file location): docs/new.md added in ... inside a directory that was renamed in HEAD".
  expect(git(repo, 'ls-files', '-s', 'documentation/new.md')).toMatch(/^100644 [0-9a-f]+ 3\tdocumentation\/new\.md$/);
  expect(fs.readlinkSync(path.join(repo, 'docs'))).toBe('documentation');
  expect(fs.readFileSync(path.join(repo, 'documentation', 'new.md'), 'utf8')).toBe('docs/new.md\n');
});

test('a bare repository is named as one, with the way on (a clone), not as no repository at all', () => {
  const repo = newProject();
  const bare = path.join(work, `bare-${projects}.git`);
  git(work, 'clone', '--quiet', '--bare', repo, bare);
  for (const command of ['check', 'status', 'update']) {
    const refused = runCli([command], { cwd: bare });
    expect(refused.stderr).toContain(`${bare}: a bare repository, with no work tree; run the command in a clone of it (git clone ${bare})`);
    expect(refused.code).toBe(2);
  }
});

test('a shell left in the repository\'s .git folder (or a hook run there) is named as its git folder, with the work tree as the way on, not as no repository at all', () => {
  const repo = newProject();
  const hooks = path.join(repo, '.git', 'hooks');
  for (const command of ['check', 'status', 'update']) {
    const refused = runCli([command], { cwd: hooks });
    expect(refused.stderr).toContain(`${hooks}: inside a repository's git folder, not its work tree; run the command in the work tree: cd ${repo}`);
    expect(refused.code).toBe(2);
  }
});

test('git gc --prune=now while an update\'s conflicts are open keeps its generated commit: git commit then finishes it; the next update drops the ref that kept it', () => {
  const repo = newProject();
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello from the project\n');
  commitAll(repo, 'the project greets');
  expect(runCli(['update', '--set', 'greeting=hi', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  const generated = fs.readFileSync(path.join(repo, '.git', 'MERGE_HEAD'), 'utf8').trim();
  git(repo, 'gc', '--quiet', '--aggressive', '--prune=now');
  // On no ref, it was pruned, and 'git commit' failed: "Corrupt MERGE_HEAD file".
  expect(git(repo, 'cat-file', '-t', generated)).toBe('commit');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hi from the project\n');
  git(repo, 'add', 'hello.txt');
  git(repo, 'commit', '--quiet', '--no-edit');
  expect(git(repo, 'rev-parse', 'HEAD^2')).toBe(generated);
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);

  expect(git(repo, 'for-each-ref', '--format=%(refname)', 'refs/bluesynth/')).toBe(`refs/bluesynth/merging/${generated}`);
  expect(runCli(['update', '--set', 'greeting=hey'], { cwd: repo }).code).toBe(0);
  expect(git(repo, 'for-each-ref', 'refs/bluesynth/')).toBe('');
});

test('create on a branch of the user\'s init.defaultBranch warns of the workflows that trigger on other branches only, which would never run', () => {
  const workflow = (branches: string[]) => JSON.stringify(`Name: w\nSchemaVersion: "1.0"\nTriggers:\n  - Type: PUSH\n    Branches:\n${branches.map(b => `      - ${b}\n`).join('')}`);
  const withWorkflows = makeBlueprint(path.join(work, 'with-workflows'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'ci' });
    new SourceFile(repository, '.codecatalyst/workflows/build.yaml', ${workflow(['main'])});
    new SourceFile(repository, '.codecatalyst/workflows/any.yaml', ${workflow(['main', 'tr.*'])});
  }
}
`);
  const env = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'init.defaultBranch', GIT_CONFIG_VALUE_0: 'trunk' };
  const created = runCli(['create', '--blueprint', withWorkflows, path.join(work, 'on-trunk')], { cwd: work, env });
  expect(created.code).toBe(0);
  expect(git(path.join(work, 'on-trunk', 'ci'), 'symbolic-ref', '--short', 'HEAD')).toBe('trunk');
  expect(created.stderr.trim().split('\n')).toEqual([
    "warning: repository 'ci' is on the branch 'trunk' (your init.defaultBranch), but its workflow .codecatalyst/workflows/build.yaml triggers on 'main' only, " +
      "so it never runs there: rename the branch ('git branch -m trunk main'), or have the blueprint trigger on 'trunk'",
  ]);
  // On main, as the service's repositories are, nothing to say.
  const onMain = runCli(['create', '--blueprint', withWorkflows, path.join(work, 'on-main')], { cwd: work });
  expect(onMain.stderr).toBe('');
});

test('an update backed out with git revert -m 1: the next update to that version applies it again, and says so', () => {
  const repo = newProject();
  const v2 = path.join(work, `tiny-v2-${projects}`);
  fs.cpSync(blueprintDir, v2, { recursive: true, filter: source => path.basename(source) !== '.git' });
  fs.writeFileSync(path.join(v2, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  replaceInFile(path.join(v2, 'src', 'index.ts'), "file + '\\n'", "file + ' v2\\n'");
  const first = runCli(['update', '--blueprint', v2, '--json'], { cwd: repo });
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout).warnings).toEqual([]);
  const merge = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'revert', '--quiet', '-m', '1', '--no-edit', 'HEAD');

  const again = runCli(['update', '--blueprint', v2, '--json'], { cwd: repo });
  expect(again.code).toBe(0);
  // It applied the reverted version again without a word (git merge of the same commit: "Already up to date").
  expect(JSON.parse(again.stdout).warnings).toEqual([
    `test-blueprint@2.0.0 was merged before (merge ${merge.slice(0, 12)}), and HEAD's record no longer has it (backed out with 'git revert -m 1'?): this update applies it again`,
  ]);
  expect(fs.readFileSync(path.join(repo, 'app.txt'), 'utf8')).toBe('app.txt v2\n');
});

test('create refused late (git cannot sign its commit): what it made is gone, a project folder that was there stays as it was', () => {
  const env = {
    GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'commit.gpgSign', GIT_CONFIG_VALUE_0: 'true', GIT_CONFIG_KEY_1: 'gpg.program', GIT_CONFIG_VALUE_1: fakeGpg(true),
  };
  const refused = runCli(['create', '--blueprint', blueprintDir, path.join(work, 'unsigned', 'nested', 'project')], { cwd: work, env });
  // Set for the command (GIT_CONFIG_*): no repository of the user's to turn it off in, and none made yet.
  expect(refused.stderr).toMatch(/could not sign the commit .*: make the signing key available .*, or leave commit\.gpgSign out of the command's git configuration \(-c, GIT_CONFIG_\*\); nothing changed/);
  expect(refused.code).toBe(2);
  // It left the (empty) project folder and the folders above it that it had made.
  expect(fs.existsSync(path.join(work, 'unsigned'))).toBe(false);

  const given = path.join(work, 'given-project');
  fs.mkdirSync(path.join(given, 'tiny'), { recursive: true });
  fs.writeFileSync(path.join(given, 'notes.txt'), 'ours\n');
  // Set in the user's global configuration: turned off there, where a create has no repository of its own yet.
  const globalConfig = path.join(work, 'global.gitconfig');
  fs.writeFileSync(globalConfig, `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${fakeGpg(true)}\n`);
  const again = runCli(['create', '--blueprint', blueprintDir, given], { cwd: work, env: { GIT_CONFIG_GLOBAL: globalConfig } });
  expect(again.stderr).toContain(`or turn signing off where it is set ('git config --file ${globalConfig} commit.gpgSign false'); nothing changed`);
  expect(again.code).toBe(2);
  expect(fs.readdirSync(given).sort()).toEqual(['notes.txt', 'tiny']);
  expect(fs.readdirSync(path.join(given, 'tiny'))).toEqual([]);
});
