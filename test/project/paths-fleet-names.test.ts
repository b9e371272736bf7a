import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * `fleet update` names each repository's clone in its work folder after the repository's URL, and resets and
 * cleans that clone: the name must be one folder of the work folder, whatever the URL spells.
 */
jest.setTimeout(180_000);

/** A created project's repository, and a platform team's own checkout (a branch, an untracked file) to run the fleet in. */
function fleetSetUp() {
  const work = tempDir('bluesynth-paths-fleet-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'svc');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'svc');
  const team = path.join(work, 'team');
  git(work, 'clone', '--quiet', repo, team);
  git(team, 'branch', 'team-work');
  fs.writeFileSync(path.join(team, 'notes.txt'), 'not committed yet\n');
  return { repo, team };
}

test('a URL whose path ends in .. names the folder it leads to: the checkout the fleet runs in is not taken for a clone and reset', () => {
  const { repo, team } = fleetSetUp();
  // The repository's work tree reached through its .git folder: git fetches from it as from the work tree.
  fs.writeFileSync(path.join(team, 'repos.txt'), `${pathToFileURL(path.join(repo, '.git'))}/..\n`);
  const remoteBefore = git(team, 'remote', 'get-url', 'origin');

  const fleet = runCli(['fleet', 'update', '--repos', 'repos.txt', '--set', 'greeting=hi', '--jobs', '1'], { cwd: team });
  expect(fleet.output).toMatch(/updated\s+svc\s/);
  expect(fleet.code).toBe(0);
  expect(fs.readFileSync(path.join(team, 'notes.txt'), 'utf8')).toBe('not committed yet\n');
  expect(git(team, 'branch', '--list', 'team-work')).toContain('team-work');
  expect(git(team, 'remote', 'get-url', 'origin')).toBe(remoteBefore);
  expect(fs.existsSync(path.join(team, '.bluesynth-fleet', 'svc', '.git'))).toBe(true);
});

test('a URL with %XX escapes names its clone and its report row decoded: my%20svc.git is my svc', () => {
  const { repo, team } = fleetSetUp();
  const bare = path.join(path.dirname(repo), 'my svc.git');
  git(path.dirname(repo), 'clone', '--quiet', '--bare', repo, bare);
  fs.writeFileSync(path.join(team, 'repos.txt'), `${pathToFileURL(bare)}\n`);
  expect(fs.readFileSync(path.join(team, 'repos.txt'), 'utf8')).toContain('my%20svc.git');

  const fleet = runCli(['fleet', 'update', '--repos', 'repos.txt', '--set', 'greeting=hi', '--jobs', '1'], { cwd: team });
  expect(fleet.code).toBe(0);
  expect(fleet.output).toMatch(/updated\s+my svc\s/);
  expect(fs.existsSync(path.join(team, '.bluesynth-fleet', 'my svc', '.git'))).toBe(true);
});

test('a % in a URL that starts no %XX escape is refused, exit 2, naming the line, before anything is cloned', () => {
  const { team } = fleetSetUp();
  fs.writeFileSync(path.join(team, 'repos.txt'), '# services\nhttps://git.example.invalid/team/100%.git\n');
  const fleet = runCli(['fleet', 'update', '--repos', 'repos.txt', '--jobs', '1'], { cwd: team });
  expect(fleet.code).toBe(2);
  expect(fleet.stderr).toContain("repos.txt:2: 'https://git.example.invalid/team/100%.git' has a '%' that starts no %XX escape");
  expect(fs.existsSync(path.join(team, '.bluesynth-fleet'))).toBe(false);
});

test('a repository whose update conflicts on a name holding an ESC is reported with the name escaped; --json carries it exactly', () => {
  const work = tempDir('bluesynth-paths-fleet-conflicts-');
  const name = 'x\u001b]0;pwned\u0007.txt';
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { variant: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'svc' });
    new SourceFile(repository, '.ownership-file', '[threeWayMerge] test-blueprint\\n*.txt\\n');
    new SourceFile(repository, ${JSON.stringify(name)}, 'one\\n' + options.variant + '\\nthree\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ variant: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'svc');
  fs.writeFileSync(path.join(repo, name), 'one\nteam\nthree\n');
  commitAll(repo, 'team edit');
  fs.writeFileSync(path.join(work, 'repos.txt'), 'project/svc\n');

  const fleet = runCli(['fleet', 'update', '--repos', 'repos.txt', '--set', 'variant=v2', '--jobs', '1'], { cwd: work });
  expect(fleet.output).toContain('1 conflicted: "x\\u001b]0;pwned\\u0007.txt"');
  expect(fleet.output).not.toContain('\u001b');
  const again = runCli(['fleet', 'update', '--repos', 'repos.txt', '--set', 'variant=v2', '--jobs', '1', '--json'], { cwd: work });
  expect(again.stdout).toContain(`"conflicts": [\n${' '.repeat(8)}${JSON.stringify(name)}`);
});
