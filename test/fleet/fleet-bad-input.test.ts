import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, greetingBlueprint } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';
import { freePort, waitForPort } from './ports';

/**
 * A fleet with one repository of each kind of trouble beside two good ones, one of them cloned and pushed
 * over the network (git daemon on 127.0.0.1): each bad one is named in the report with its reason, the good
 * ones are updated, and nothing is pushed to the bad ones.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-bad-');
const fleet = makeFleet(work, 4, { seeds: 1 });
let daemon: ChildProcess;
let port: number;

beforeAll(async () => {
  port = await freePort();
  daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', '--enable=receive-pack', `--base-path=${path.join(work, 'remotes')}`, '--listen=127.0.0.1', `--port=${port}`, path.join(work, 'remotes')], { stdio: 'ignore' });
  await waitForPort(port, 'git daemon');
});
afterAll(() => daemon?.kill());

function branches(remote: string): string[] {
  return git(remote, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').filter(Boolean);
}

test('an unreachable remote, a repository with no record, one from another blueprint: each named with its reason; the rest is updated', () => {
  const noRecord = path.join(work, 'plain');
  fs.mkdirSync(noRecord);
  fs.writeFileSync(path.join(noRecord, 'README.md'), '# not made by a blueprint\n');
  git(noRecord, 'init', '--quiet');
  git(noRecord, 'add', '-A');
  git(noRecord, 'commit', '--quiet', '-m', 'plain');
  const other = path.join(work, 'other');
  greetingBlueprint(path.join(work, 'greeting-blueprint'), 'greeting');
  expect(runCli(['create', '--blueprint', path.join(work, 'greeting-blueprint'), other], { cwd: work }).code).toBe(0);
  const overNetwork = `git://127.0.0.1:${port}/${path.basename(fleet.remotes[1])}`;
  const reposFile = path.join(work, 'mixed.txt');
  fs.writeFileSync(reposFile, [fleet.remotes[0], overNetwork, 'git://127.0.0.1:1/nowhere.git', noRecord, path.join(other, 'greeting')].join('\n'));
  const before = [noRecord, path.join(other, 'greeting')].map(branches);

  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--blueprint', '@bluesynth-examples/service', '--push', '--jobs', '2', '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  expect(run.code).toBe(1);
  const outcomes = JSON.parse(run.stdout).repositories;
  expect(outcomes.map((o: any) => o.state)).toEqual(['updated', 'updated', 'failed', 'failed', 'failed']);
  expect(outcomes[2].reason).toMatch(/^cannot clone git:\/\/127\.0\.0\.1:1\/nowhere\.git: unable to connect to 127\.0\.0\.1/);
  expect(outcomes[3].reason).toContain('no instantiation record');
  expect(outcomes[4].reason).toBe('the repository was made from test-blueprint, not @bluesynth-examples/service');
  // The one updated over git:// has its branch on the remote; the bad ones got nothing.
  expect(branches(fleet.remotes[1])).toContain(outcomes[1].branch);
  expect([noRecord, path.join(other, 'greeting')].map(branches)).toEqual(before);
  // The summary table names each with its reason.
  const table = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--blueprint', '@bluesynth-examples/service', '--jobs', '2', '--work-dir', path.join(work, 'clones')], { cwd: work });
  expect(table.stdout).toMatch(/nowhere\s+failed\s+cannot clone/);
  expect(table.stdout).toMatch(/plain\s+failed\s+.*no instantiation record/);
});

test.each([
  [['--jobs', '0'], '--jobs must be a whole number of at least 1'],
  [['--shard', '3/2'], '--shard must be I/N with 1 <= I <= N'],
  [['--push-conflicts'], '--push-conflicts needs --push'],
  [['--forge', 'fake'], 'add --push'],
  [['--runner', 'nope'], '--runner nope: no such runner'],
  [['--push', '--forge', 'nope'], '--forge nope: no such forge'],
  [['--forge', 'nope'], '--forge nope: no such forge (known: none, github, gitlab, gitea, azure-devops, bitbucket, bitbucket-server, fake)'],
  [['--push', '--forge', 'fake'], '--forge-option file is required by the fake forge'],
  [['--push', '--forge', 'gitea'], '--forge-option url is required by the gitea forge'],
  [['--push', '--forge', 'bitbucket-server'], '--forge-option url is required by the bitbucket-server forge'],
  [['--push', '--forge', 'azure-devops', '--forge-option', 'repository=contoso/web'], '--forge-option repository: expected ORGANIZATION/PROJECT/REPOSITORY for the azure-devops forge'],
  [['--set', 'serviceName'], '--set serviceName: expected key=value'],
])('bad options exit 2 before anything is cloned: %j', (extra, message) => {
  const clones = path.join(work, `clones-${extra.join('')}`);
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, ...extra, '--work-dir', clones], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(fs.existsSync(clones)).toBe(false);
});

test.each([
  [['--to', 'v9'], "--to v9: version 'v9' does not exist in the blueprint repository"],
  [['--set', 'servicName=x'], "--set servicName=x: the blueprint has no option 'servicName'"],
  [['--set', 'nodeVersion=18'], '$.nodeVersion: enum: must be one of "20", "22"'],
])('flags every repository would fail on (%j): the first repository shows it, no other starts, exit 2 with the message', (extra, message) => {
  const clones = path.join(work, `clones-settings-${extra.join('')}`);
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, ...extra, '--jobs', '1', '--work-dir', clones, '--json'], { cwd: work });
  expect(run.code).toBe(2);
  const [first, ...rest] = JSON.parse(run.stdout).repositories;
  expect(first).toMatchObject({ state: 'failed', badSettings: true });
  expect(first.reason).toContain(message);
  expect(rest.map((o: any) => o.state)).toEqual(['not-started', 'not-started', 'not-started']);
  expect(rest[0].reason).toBe(`not started: the fleet's settings are wrong, as ${first.name} showed (every repository would fail the same way)`);
  // Said once at the end, as the command's error; the repositories not started were never cloned.
  expect(run.stderr).toContain(`blueprint fleet update: ${first.reason} (found updating ${first.name}; the run stopped there: 3 not started)`);
  expect(fs.readdirSync(clones).filter(name => !name.startsWith('.'))).toEqual([first.name]);
});

test.each([
  [['update', '--repos', 'repos.txt', '--canary', '0'], '--canary must be a whole number of at least 1', 'Usage: blueprint fleet update --repos FILE'],
  [['update', '--repos', 'repos.txt', '--jobs', 'abc'], '--jobs must be a whole number of at least 1', 'Usage: blueprint fleet update --repos FILE'],
  [['status', '--nope'], "unknown option '--nope'", 'Usage: blueprint fleet status --repos FILE'],
])('a usage error of a fleet subcommand prints that subcommand\'s usage, not the fleet\'s: %j', (args, message, usage) => {
  const run = runCli(['fleet', ...args], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain(usage);
  expect(run.stderr).not.toContain('Subcommands:');
});

test("a remote that does not exist is reported with git's reason, not its closing advice", () => {
  const gone = `file://${path.join(work, 'remotes', 'gone.git')}`;
  const reposFile = path.join(work, 'gone.txt');
  fs.writeFileSync(reposFile, `${gone}\n`);
  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  expect(run.code).toBe(1);
  const [outcome] = JSON.parse(run.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'failed', reason: `cannot clone ${gone}: '${path.join(work, 'remotes', 'gone.git')}' does not appear to be a git repository` });
});

test('a URL whose scheme git has no transport for is refused when the file is read: exit 2 naming the line and scheme, nothing cloned', () => {
  const reposFile = path.join(work, 'typo.txt');
  fs.writeFileSync(reposFile, `${fleet.remotes[0]}\nhtps://git.example.com/team/svc.git\n`);
  const clones = path.join(work, 'clones-typo');
  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', clones], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`${reposFile}:2: unknown URL scheme 'htps' in htps://git.example.com/team/svc.git (did you mean https?): git has no transport for it`);
  expect(run.stderr).toContain('a repository is an https://, ssh://, git://, file:// or http:// URL, user@host:path, or a path');
  expect(fs.existsSync(clones)).toBe(false);
  // fleet status reads the same file the same way.
  const status = runCli(['fleet', 'status', '--repos', reposFile, '--work-dir', clones], { cwd: work });
  expect(status.code).toBe(2);
  expect(status.stderr).toContain(`${reposFile}:2: unknown URL scheme 'htps'`);
});

test('a scheme git is taught, by a remote helper on PATH or a url.insteadOf setting, is read and left to git', () => {
  const helpers = path.join(work, 'helpers');
  fs.mkdirSync(helpers);
  // git runs git-remote-<scheme> REMOTE URL for a scheme it does not speak itself.
  fs.writeFileSync(path.join(helpers, 'git-remote-corp'), '#!/bin/sh\necho "corp helper asked for $2" >&2\nexit 1\n', { mode: 0o755 });
  const config = path.join(work, 'gitconfig');
  fs.writeFileSync(config, `[url "file://${path.join(work, 'remotes')}/"]\n\tinsteadOf = forge://\n`);
  const reposFile = path.join(work, 'taught.txt');
  fs.writeFileSync(reposFile, `forge://${path.basename(fleet.remotes[3])}\ncorp://git.example.com/team/svc.git\n`);
  const env = { PATH: `${helpers}${path.delimiter}${process.env.PATH}`, GIT_CONFIG_GLOBAL: config };
  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', path.join(work, 'clones-taught'), '--json'], { cwd: work, env });
  expect(run.code).toBe(1);
  const [rewritten, helped] = JSON.parse(run.stdout).repositories;
  expect(rewritten).toMatchObject({ state: 'updated', to: '@bluesynth-examples/service@2.0.0' });
  expect(helped).toMatchObject({ state: 'failed', reason: 'cannot clone corp://git.example.com/team/svc.git: corp helper asked for corp://git.example.com/team/svc.git' });
});

test('a missing repositories file exits 2 naming it', () => {
  const run = runCli(['fleet', 'update', '--repos', path.join(work, 'nope.txt')], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`--repos ${path.join(work, 'nope.txt')}: no such file`);
});

test('--timeout fails a repository whose blueprint hangs, and the fleet goes on', () => {
  const blueprint = greetingBlueprint(path.join(work, 'hanging-blueprint'), 'hangs');
  git(blueprint, 'init', '--quiet');
  git(blueprint, 'add', '-A');
  git(blueprint, 'commit', '--quiet', '-m', 'v1');
  git(blueprint, 'tag', 'v1');
  const project = path.join(work, 'hanging-project');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, project], { cwd: work }).code).toBe(0);
  const index = path.join(blueprint, 'src', 'index.ts');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('super(options);', 'super(options);\n    for (;;) {}'));
  git(blueprint, 'commit', '--quiet', '-am', 'v2 hangs');
  git(blueprint, 'tag', 'v2');
  const reposFile = path.join(work, 'hanging.txt');
  fs.writeFileSync(reposFile, `${path.join(project, 'hangs')}\n${fleet.remotes[0]}\n`);

  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--timeout', '8', '--jobs', '2', '--work-dir', path.join(work, 'clones-timeout'), '--json'], { cwd: work });
  expect(run.code).toBe(1);
  const [hanging, other] = JSON.parse(run.stdout).repositories;
  expect(hanging).toMatchObject({ state: 'failed', reason: 'timed out after 8 s (--timeout); its process was killed' });
  // The other repository is updated as if nothing hung beside it (its branch was pushed by the test above).
  expect(['updated', 'skipped']).toContain(other.state);
});
