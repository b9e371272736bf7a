import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A fleet made for tests and the fleet benchmark: the example `service` blueprint in a git repository with
 * tags v1 and v2, and `count` repositories created from it at v1, each behind its own bare remote. Every
 * `conflictEvery`-th repository has a developer edit on the line v2 changes, so its update conflicts.
 * Repositories are created with the real CLI (one per distinct set of options) and copied by `git clone --bare`.
 */
export interface Fleet {
  readonly blueprintRepo: string;
  /** The repositories file listing every remote. */
  readonly reposFile: string;
  /** The bare remotes, in the file's order. */
  readonly remotes: readonly string[];
  /** Which of them conflict with v2. */
  readonly conflicting: ReadonlySet<string>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const HEALTH_LINE = "status: 'ok', service: serviceName,";
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function replaceIn(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

/**
 * Makes the fleet in `dir` (see {@link Fleet}); `seeds` distinct projects are created and copied round-robin.
 * With `v2AddsOption`, v2 also has a new option `owner` with a default, which each update fills in and records.
 * With `manyConflicts`, v1 also generates that many files under scripts/reference/ (merged line by line) that v2 changes, and which the
 * conflicting repositories edit too: each is a conflict of their update (a long pull request body).
 */
export function makeFleet(dir: string, count: number, options: { conflictEvery?: number; seeds?: number; v2AddsOption?: boolean; manyConflicts?: number } = {}): Fleet {
  const blueprintRepo = path.join(dir, 'service-blueprint');
  fs.cpSync(path.join(ROOT, 'blueprints', 'service'), blueprintRepo, { recursive: true, filter: source => !/[/\\](node_modules|synth)$/.test(source) });
  const reference = path.join(blueprintRepo, 'static-assets', 'repository', 'scripts', 'reference');
  const referencePages = Array.from({ length: options.manyConflicts ?? 0 }, (_, i) => path.join(reference, `generated-reference-page-${String(i).padStart(4, '0')}.md`));
  if (referencePages.length > 0) fs.mkdirSync(reference, { recursive: true });
  for (const page of referencePages) fs.writeFileSync(page, 'version: 1\n');
  git(blueprintRepo, 'init', '--quiet', '--initial-branch=main');
  git(blueprintRepo, 'add', '-A');
  git(blueprintRepo, 'commit', '--quiet', '-m', 'service blueprint v1');
  git(blueprintRepo, 'tag', 'v1');
  replaceIn(path.join(blueprintRepo, 'package.json'), '"version": "1.0.0"', '"version": "2.0.0"');
  replaceIn(path.join(blueprintRepo, 'static-assets', 'repository', 'src', 'health.ts'), HEALTH_LINE, "status: 'ok', service: serviceName, version: 2,");
  if (options.v2AddsOption) {
    replaceIn(path.join(blueprintRepo, 'src', 'blueprint.ts'), '  serviceName: string;\n', '  serviceName: string;\n\n  /**\n   * The team that owns the service.\n   * @displayName Owner\n   */\n  owner?: string;\n');
    replaceIn(path.join(blueprintRepo, 'src', 'defaults.json'), '"serviceName": "catalog-service",', '"serviceName": "catalog-service",\n  "owner": "platform-team",');
  }
  for (const page of referencePages) fs.writeFileSync(page, 'version: 2\n');
  git(blueprintRepo, 'commit', '--quiet', '-am', 'service blueprint v2');
  git(blueprintRepo, 'tag', 'v2');

  const seeds = Math.max(1, Math.min(options.seeds ?? 3, count));
  const clean: string[] = [];
  const edited: string[] = [];
  for (let s = 0; s < seeds; s++) {
    const project = path.join(dir, `seed-${s}`);
    execFileSync(process.execPath, [CLI, 'create', '--blueprint', `${blueprintRepo}#v1`, '--set', `serviceName=service-${s}`, project], { cwd: dir, env: ENV, stdio: 'pipe' });
    const repo = path.join(project, `service-${s}`);
    clean.push(repo);
    const conflicting = path.join(dir, `seed-${s}-edited`);
    git(dir, 'clone', '--quiet', repo, conflicting);
    replaceIn(path.join(conflicting, 'src', 'health.ts'), HEALTH_LINE, "status: 'ok', service: serviceName, region: process.env.REGION,");
    for (const page of referencePages) fs.writeFileSync(path.join(conflicting, path.relative(path.join(blueprintRepo, 'static-assets', 'repository'), page)), 'version: team\n');
    git(conflicting, 'commit', '--quiet', '-am', 'report the region');
    edited.push(conflicting);
  }
  const remotes: string[] = [];
  const conflicting = new Set<string>();
  for (let i = 0; i < count; i++) {
    const conflicts = options.conflictEvery !== undefined && i % options.conflictEvery === options.conflictEvery - 1;
    const remote = path.join(dir, 'remotes', `service-${String(i).padStart(3, '0')}.git`);
    git(dir, 'clone', '--quiet', '--bare', (conflicts ? edited : clean)[i % seeds], remote);
    remotes.push(remote);
    if (conflicts) conflicting.add(remote);
  }
  const reposFile = path.join(dir, 'repos.txt');
  fs.writeFileSync(reposFile, `# ${count} services made from the service blueprint\n${remotes.map(r => path.relative(dir, r)).join('\n')}\n`);
  return { blueprintRepo, reposFile, remotes, conflicting };
}

/**
 * A `git upload-pack` for the remote side of the work clones' fetches that waits (up to 10 s) until `atOnce` of them
 * run at the same time, and notes how many it saw: set it as a clone's `remote.origin.uploadpack`. One repository
 * refreshed alone runs two (its fetch, and the question for its default branch), so more says that several
 * repositories were fetched side by side. `mostSeen` is the largest count any of them noted.
 */
export function countingUploadPack(dir: string, atOnce: number): { readonly script: string; mostSeen(): number } {
  const marks = path.join(dir, 'upload-pack-marks');
  fs.mkdirSync(marks, { recursive: true });
  const script = path.join(dir, 'counting-upload-pack');
  fs.writeFileSync(script, [
    '#!/bin/sh',
    `touch "${marks}/running-$$"`,
    'i=0',
    `while [ "$(ls "${marks}" | grep -c running-)" -lt ${atOnce} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`,
    `ls "${marks}" | grep -c running- > "${marks}/seen-$$"`,
    'git upload-pack "$@"',
    'status=$?',
    `rm "${marks}/running-$$"`,
    'exit $status',
  ].join('\n') + '\n', { mode: 0o755 });
  const mostSeen = () => Math.max(0, ...fs.readdirSync(marks).filter(name => name.startsWith('seen-')).map(name => Number(fs.readFileSync(path.join(marks, name), 'utf8'))));
  return { script, mostSeen };
}
