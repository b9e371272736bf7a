import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, replaceInFile, unmergedStages } from './git-fixtures';

/**
 * The whole story on the example service blueprint, kept in a git repository with tags made here:
 * create from #v1, developer edits, check says behind, a clean update to v2, a conflicting update to v3
 * finished with git add + commit, the same update from a clone aborted with git merge --abort; v3's
 * update works after v1 and v2 are gone from the blueprint repository.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-story-');
const blueprintRepo = path.join(work, 'service-blueprint');
const assets = path.join(blueprintRepo, 'static-assets', 'repository');
const project = path.join(work, 'project');
const repo = path.join(project, 'catalog-service');

function blueprint(cwd: string, ...args: string[]) {
  const result = runCli(args, { cwd });
  return result;
}

function releaseBlueprint(tag: string, change: () => void): void {
  change();
  commitAll(blueprintRepo, `blueprint ${tag}`);
  git(blueprintRepo, 'tag', tag);
}

beforeAll(() => {
  fs.cpSync(path.join(ROOT, 'blueprints', 'service'), blueprintRepo, { recursive: true });
  initRepository(blueprintRepo, 'service blueprint');
  git(blueprintRepo, 'tag', 'v1');
});

let g1: string;
let g2: string;

test('create from #v1 makes a repository whose first commit is the generated content and the record', () => {
  const created = blueprint(work, 'create', '--blueprint', `${blueprintRepo}#v1`, project);
  expect(created.output).toContain('created from @bluesynth-examples/service@1.0.0');
  expect(created.code).toBe(0);
  expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('1');
  g1 = git(repo, 'rev-parse', 'HEAD');
  expect(git(repo, 'log', '-1', '--format=%B')).toContain('Bluesynth-Instantiation: ');
  const record = JSON.parse(read(repo, '.bluesynth', 'instantiations.json'));
  expect(record).toHaveLength(1);
  expect(record[0]).toMatchObject({ packageName: '@bluesynth-examples/service', versionId: '1.0.0', source: `${blueprintRepo}#v1`, repository: 'catalog-service' });
  expect(record[0].sourceRevision).toBe(git(blueprintRepo, 'rev-parse', 'v1'));
  expect(record[0].options.serviceName).toBe('catalog-service');
  expect(fs.existsSync(path.join(project, 'project-bundle', 'options.json'))).toBe(true);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  // Nothing newer yet, the recorded version regenerates the baseline, nothing edited.
  const check = blueprint(repo, 'check', '--json');
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: false, reproducible: 'yes', editedByHand: [] });
});

test('create refuses a repository folder that exists and is not empty, and changes nothing', () => {
  const again = blueprint(work, 'create', '--blueprint', `${blueprintRepo}#v1`, project);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(`${repo}: exists and is not empty`);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(g1);
});

test('developer edits, then v2 exists: check exits 1; update --to v2 lands a clean merge commit', () => {
  replaceInFile(path.join(repo, 'src', 'health.ts'), "sendJson(res, 200, { status: 'ready' });", "sendJson(res, 200, { status: 'ready', checkedAt: Date.now() });");
  fs.writeFileSync(path.join(repo, 'src', 'metrics.ts'), 'export const counters = new Map<string, number>();\n');
  fs.rmSync(path.join(repo, 'docs', 'runbook.md'));
  git(repo, 'mv', 'scripts/smoke-test.sh', 'scripts/smoke.sh');
  fs.appendFileSync(path.join(repo, 'test', 'helpers.ts'), '\n/** Added by the team. */\nexport const teamHelper = 1;\n');
  fs.appendFileSync(path.join(repo, '.ownership-file'), '\n[neverUpdate] @bluesynth-examples/service\n# The team keeps its own logger.\nsrc/logger.ts\n');
  const edited = commitAll(repo, 'team edits');

  releaseBlueprint('v2', () => {
    replaceInFile(path.join(assets, 'src', 'health.ts'), "status: 'ok', service: serviceName,", "status: 'ok', service: serviceName, version: 2,");
    replaceInFile(path.join(assets, 'src', 'logger.ts'), '/** Log levels, least severe first. */', '/** Log levels, from the least severe. */');
    fs.appendFileSync(path.join(assets, 'docs', 'runbook.md'), '\n## Added in v2\n');
    fs.mkdirSync(path.join(assets, 'test', 'support'));
    fs.renameSync(path.join(assets, 'test', 'helpers.ts'), path.join(assets, 'test', 'support', 'helpers.ts'));
  });

  const check = blueprint(repo, 'check', '--no-reproduce', '--json');
  expect(check.code).toBe(1);
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: true, newest: 'v2' });

  const dryRun = blueprint(repo, 'update', '--to', 'v2', '--dry-run', '--json');
  expect(dryRun.code).toBe(0);
  expect(JSON.parse(dryRun.stdout).state).toBe('dry-run');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(edited);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  const update = blueprint(repo, 'update', '--to', 'v2', '--json');
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout);
  expect(report.state).toBe('committed');
  // The blueprint's pull request lists the options with the bundle's name as outdir, never a temporary folder.
  const message = git(repo, 'log', '-1', '--format=%B');
  expect(message).toContain('"outdir": "proposed-bundle"');
  expect(message).not.toContain(os.tmpdir());
  const byPath = Object.fromEntries(report.files.map((f: any) => [f.path, f]));
  expect(byPath['src/health.ts']).toMatchObject({ outcome: 'updated', strategy: 'service_source' });
  expect(byPath['docs/runbook.md']).toMatchObject({ outcome: 'kept', note: 'deleted in the project; stays deleted' });
  expect(byPath['src/logger.ts']).toMatchObject({ outcome: 'kept', strategy: 'neverUpdate' });
  // Moved by the blueprint: a change of the repository's, counted as one.
  expect(byPath['test/support/helpers.ts']).toMatchObject({ outcome: 'updated', renamedFrom: 'test/helpers.ts' });
  expect(report.renames).toEqual([{ from: 'test/helpers.ts', to: 'test/support/helpers.ts' }]);

  // A merge commit of the new baseline (child of the first) into the team's commit.
  const [first, second] = git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2').split('\n');
  expect(first).toBe(edited);
  g2 = second;
  expect(report.generated).toBe(g2);
  expect(git(repo, 'rev-parse', `${g2}^`)).toBe(g1);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  const health = read(repo, 'src', 'health.ts');
  expect(health).toContain('version: 2,');
  expect(health).toContain('checkedAt: Date.now()');
  expect(fs.existsSync(path.join(repo, 'src', 'metrics.ts'))).toBe(true);
  expect(fs.existsSync(path.join(repo, 'docs', 'runbook.md'))).toBe(false);
  expect(fs.existsSync(path.join(repo, 'scripts', 'smoke-test.sh'))).toBe(false);
  expect(read(repo, 'src', 'logger.ts')).toContain('/** Log levels, least severe first. */');
  expect(fs.existsSync(path.join(repo, 'test', 'helpers.ts'))).toBe(false);
  expect(read(repo, 'test', 'support', 'helpers.ts')).toContain('export const teamHelper = 1;');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${blueprintRepo}#v2`);
  // The generated commit holds the pristine output: the blueprint's files, none of the team's.
  expect(git(repo, 'show', `${g2}:src/health.ts`)).not.toContain('checkedAt');
});

test('v3 conflicts after v1 and v2 are deleted: git merge state with stages 1/2/3, finished with git add + git commit', () => {
  releaseBlueprint('v3', () => {
    replaceInFile(path.join(assets, 'src', 'health.ts'), "sendJson(res, 200, { status: 'ready' });", "sendJson(res, 200, { status: 'ready', service: serviceName });");
  });
  git(blueprintRepo, 'tag', '-d', 'v1', 'v2');

  // A clone of the project, through a bare remote, before the update.
  const remote = path.join(work, 'remote.git');
  git(work, 'init', '--quiet', '--bare', remote);
  const branch = git(repo, 'symbolic-ref', '--short', 'HEAD');
  git(repo, 'push', '--quiet', remote, `HEAD:refs/heads/${branch}`);
  git(remote, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
  const clone = path.join(work, 'clone');
  git(work, 'clone', '--quiet', remote, clone);

  const before = git(repo, 'rev-parse', 'HEAD');
  const update = blueprint(repo, 'update');
  expect(update.code).toBe(1);
  expect(update.stdout).toContain('conflict   src/health.ts');
  const mergeHead = fs.readFileSync(path.join(repo, '.git', 'MERGE_HEAD'), 'utf8').trim();
  expect(git(repo, 'rev-parse', `${mergeHead}^`)).toBe(g2); // v2's recorded content is the ancestor
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
  const stages = unmergedStages(repo)['src/health.ts'];
  expect(stages[1]).toBe(git(repo, 'rev-parse', `${g2}:src/health.ts`));
  expect(stages[2]).toBe(git(repo, 'rev-parse', `${before}:src/health.ts`));
  expect(stages[3]).toBe(git(repo, 'rev-parse', `${mergeHead}:src/health.ts`));
  expect(Object.keys(unmergedStages(repo))).toEqual(['src/health.ts']);
  expect(git(repo, 'status', '--porcelain')).toContain('UU src/health.ts');
  const marked = read(repo, 'src', 'health.ts');
  expect(marked).toMatch(/^<<<<<<< /m);
  expect(marked).toMatch(/^>>>>>>> /m);

  // Resolving as after any git merge.
  fs.writeFileSync(path.join(repo, 'src', 'health.ts'), marked.replace(/<<<<<<< [^\n]*\n[\s\S]*?>>>>>>> [^\n]*\n/, "    if (isReady()) sendJson(res, 200, { status: 'ready', service: serviceName, checkedAt: Date.now() });\n"));
  git(repo, 'add', 'src/health.ts');
  git(repo, 'commit', '--quiet', '--no-edit');
  expect(git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2').split('\n')).toEqual([before, mergeHead]);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${blueprintRepo}#v3`);
  const check = blueprint(repo, 'check', '--no-reproduce', '--json');
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: false, editedByHand: [] });
  expect(check.code).toBe(0);

  // The clone finds the same ancestor in its own history; git merge --abort undoes the update.
  const cloneHead = git(clone, 'rev-parse', 'HEAD');
  const cloned = blueprint(clone, 'update', '--to', 'v3');
  expect(cloned.code).toBe(1);
  const cloneMergeHead = git(clone, 'rev-parse', 'MERGE_HEAD');
  expect(git(clone, 'rev-parse', `${cloneMergeHead}^`)).toBe(g2);
  expect(unmergedStages(clone)['src/health.ts'][1]).toBe(stages[1]);
  git(clone, 'merge', '--abort');
  expect(git(clone, 'rev-parse', 'HEAD')).toBe(cloneHead);
  expect(git(clone, 'status', '--porcelain')).toBe('');
  expect(fs.existsSync(path.join(clone, '.git', 'MERGE_HEAD'))).toBe(false);
});
