import * as fs from 'fs';
import * as path from 'path';
import { readTree, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * A blueprint source given as `https://user:token@host/x.git` (a CI job's token in the URL) was recorded as given:
 * the token stood in `.bluesynth/instantiations.json`, committed and pushed with the project, in create's output,
 * in status, in a clone error, and in the cache's mirror config. git reaches the URL here through `insteadOf`,
 * which maps it to a local repository, as a real remote would answer.
 */
jest.setTimeout(120_000);

const SECRET = 's3cret-token';

/**
 * A blueprint repository tagged v1.0.0, reached as `https://ci:TOKEN@example.invalid/...`: git's `insteadOf` (in the
 * environment `env` gives, with a cache folder of the test's own) maps that URL, token and all, to it.
 */
function tokenSource() {
  const work = tempDir('bluesynth-gitsrc-journey-credentials-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1');
  git(source, 'tag', 'v1.0.0');
  const url = `https://ci:${SECRET}@example.invalid/team/blueprint.git`;
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache'), GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `url.${source}.insteadOf`, GIT_CONFIG_VALUE_0: url };
  return { work, source, url, env };
}

test('credentials in a git source URL reach no record, commit, output or mirror config; later runs use the bare URL', () => {
  const { work, source, url, env } = tokenSource();

  const create = runCli(['create', '--blueprint', url, path.join(work, 'project')], { env });
  expect(create.code).toBe(0);
  expect(create.output).not.toContain(SECRET);
  expect(create.stdout).toContain('https://example.invalid/team/blueprint.git#v1.0.0');
  const repository = path.join(work, 'project', 'web');
  const record = JSON.parse(fs.readFileSync(path.join(repository, '.bluesynth', 'instantiations.json'), 'utf8'));
  expect(record[0].source).toBe('https://example.invalid/team/blueprint.git#v1.0.0');
  expect(git(repository, 'log', '--all', '-p', '--format=%B')).not.toContain(SECRET);
  expect(Object.values(readTree(path.join(work, 'cache', 'sources'))).join('\n')).not.toContain(SECRET);

  const status = runCli(['status'], { cwd: repository, env });
  expect(status.code).toBe(0);
  expect(status.output).not.toContain(SECRET);

  // The recorded URL has no token and the remote refuses it (insteadOf maps only the URL with one): the cached
  // mirror answers, and check says so, naming the bare URL
  // (and that it cannot tell whether the repository is up to date).
  const check = runCli(['check'], { cwd: repository, env: { BLUESYNTH_CACHE_DIR: env.BLUESYNTH_CACHE_DIR } });
  expect(check.output).toContain("cannot fetch 'https://example.invalid/team/blueprint.git'");
  expect(check.output).not.toContain(SECRET);
  expect(check.output).toContain('unknown: the source cannot be asked (see the note); its cached copy has nothing newer (newest v1.0.0)');

  // With the token again, on the command line, an update still records and prints the bare URL.
  git(source, 'commit', '--quiet', '--allow-empty', '-m', 'v1.1');
  git(source, 'tag', 'v1.1.0');
  const update = runCli(['update', '--blueprint', url], { cwd: repository, env });
  expect(update.code).toBe(0);
  expect(update.output).not.toContain(SECRET);
  expect(fs.readFileSync(path.join(repository, '.bluesynth', 'instantiations.json'), 'utf8')).not.toContain(SECRET);
  expect(git(repository, 'log', '--all', '-p', '--format=%B')).not.toContain(SECRET);
});

test('a git source URL with credentials that cannot be cloned is named without them', () => {
  const work = tempDir('bluesynth-gitsrc-journey-credentials-');
  const create = runCli(['create', '--blueprint', `https://ci:${SECRET}@127.0.0.1:1/x.git#v1.0.0`, path.join(work, 'project')], { env: { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') } });
  expect(create.code).toBe(2);
  expect(create.stderr).toContain("blueprint source 'https://127.0.0.1:1/x.git': cannot clone it");
  expect(create.output).not.toContain(SECRET);
  expect(fs.existsSync(path.join(work, 'project'))).toBe(false);
});

/**
 * Journey 52: builds before credentials were left out (9fc98a5, say) recorded `https://ci:TOKEN@host/...#v1.0.0` in
 * `.bluesynth/instantiations.json`. After an upgrade, status printed the token again (and in --json), and
 * create --like copied it into the new repository's record. The fixture is such a repository: its baseline holds
 * the record with the token, in that build's layout and commit message. The token is still what fetches it.
 */
test('a token an older build recorded in the source URL is never printed or copied again', () => {
  const { work, source, url, env } = tokenSource();
  expect(runCli(['create', '--blueprint', `${url}#v1.0.0`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  const recordFile = path.join(repository, '.bluesynth', 'instantiations.json');
  const [entry] = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  // The baseline as the older build wrote it: the source as given, and no Bluesynth-Repositories trailer.
  fs.writeFileSync(recordFile, JSON.stringify([{ ...entry, source: `${url}#v1.0.0` }], null, 2) + '\n');
  git(repository, 'commit', '--quiet', '--all', '--amend', '-m', `generated by test-blueprint@1.2.3\n\nBluesynth-Instantiation: ${entry.id}\n`);

  for (const args of [['status'], ['status', '--json'], ['check', '--json'], ['disassociate', '--dry-run', '--json']]) {
    const run = runCli(args, { cwd: repository, env });
    expect(run.output).toContain('https://example.invalid/team/blueprint.git');
    expect(run.output).not.toContain(SECRET);
  }
  const like = runCli(['create', '--like', repository, path.join(work, 'like')], { env });
  expect(like.code).toBe(0);
  expect(like.output).not.toContain(SECRET);
  expect(fs.readFileSync(path.join(work, 'like', 'web', '.bluesynth', 'instantiations.json'), 'utf8')).toContain('"source": "https://example.invalid/team/blueprint.git#v1.0.0"');
  expect(git(path.join(work, 'like', 'web'), 'log', '--all', '-p', '--format=%B')).not.toContain(SECRET);

  // The token still fetches, as it did, where nothing else would (a cache of its own: no mirror of the bare URL);
  // the update records the URL bare.
  git(source, 'commit', '--quiet', '--allow-empty', '-m', 'v1.1');
  git(source, 'tag', 'v1.1.0');
  const update = runCli(['update'], { cwd: repository, env: { ...env, BLUESYNTH_CACHE_DIR: path.join(work, 'another-cache') } });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(update.output).not.toContain(SECRET);
  expect(fs.readFileSync(recordFile, 'utf8')).toContain('"source": "https://example.invalid/team/blueprint.git#v1.1.0"');
});
