import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint } from '../util';

/** Runs git in `cwd` with a fixed identity and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid',
      GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid',
      GIT_EDITOR: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Makes `dir` a git repository with one commit of everything in it. */
export function initRepository(dir: string, message = 'initial'): void {
  git(dir, 'init', '--quiet');
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', message);
}

/** Commits everything in the work tree. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * Makes `dir` a blueprint repository of `count` releases, each a commit tagged `v1`, `v2`, ...: `write(version, index)`
 * writes release `index` (from 0), version `1.0.0`, `2.0.0`, ..., over the one before.
 */
export function taggedReleases(dir: string, count: number, write: (version: string, index: number) => void): void {
  for (let index = 0; index < count; index++) {
    const tag = `v${index + 1}`;
    write(`${index + 1}.0.0`, index);
    if (index === 0) initRepository(dir, tag);
    else commitAll(dir, tag);
    git(dir, 'tag', tag);
  }
}

/** Replaces `from` with `to` in a file, failing when `from` is not there. */
export function replaceInFile(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** The unmerged index entries (`git ls-files -u`) by path: stage number to blob id. */
export function unmergedStages(dir: string): Record<string, Record<number, string>> {
  const stages: Record<string, Record<number, string>> = {};
  for (const line of git(dir, 'ls-files', '-u').split('\n').filter(Boolean)) {
    const [info, file] = line.split('\t');
    const [, oid, stage] = info.split(' ');
    (stages[file] ??= {})[Number(stage)] = oid;
  }
  return stages;
}

/** A file's content in the work tree. */
export function read(dir: string, ...parts: string[]): string {
  return fs.readFileSync(path.join(dir, ...parts), 'utf8');
}

/**
 * A small blueprint folder with the option `greeting` (default 'hello'): one repository `title` with
 * `hello.txt` holding the greeting, and each of `files` holding its own name.
 */
export function greetingBlueprint(dir: string, title: string, files: string[] = []): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: ${JSON.stringify(title)} });
    new SourceFile(repository, 'hello.txt', options.greeting + '\\n');
    for (const file of ${JSON.stringify(files)}) new SourceFile(repository, file, file + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

/**
 * {@link greetingBlueprint} `web` kept in a git repository at `work/blueprint` with two release tags, v1.9.0 and
 * v1.10.0 (which adds `extra.txt`): the two sort differently as strings and as versions.
 */
export function twoReleaseBlueprint(work: string): string {
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1.9');
  git(source, 'tag', 'v1.9.0');
  fs.writeFileSync(path.join(source, 'extra.txt'), 'x\n');
  commitAll(source, 'v1.10');
  git(source, 'tag', 'v1.10.0');
  return source;
}

/**
 * The helpers' shells: children of this process running the helper's loop; with `folder`, only the one whose
 * folder that is (a jest worker keeps the helpers of the test files it ran before, each with its own).
 */
export function helperPids(folder?: string): number[] {
  return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).filter(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return parent === process.pid && args.some(arg => arg.includes('while IFS= read -r script')) && (folder === undefined || args.includes(folder));
    } catch {
      return false;
    }
  }).map(Number);
}

/**
 * A blueprint (package `test-blueprint`) of one repository `app` whose `.ownership-file` gives each of its files to one
 * side outright: `README.md` neverUpdate (line 1), `config/**` onlyAdd (line 4), `ci.yml` alwaysUpdate (line 7).
 */
export const OWNING_BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', '# app\\n');
    new SourceFile(repo, 'config/local.json', '{}\\n');
    new SourceFile(repo, 'ci.yml', 'on: push\\n');
    new SourceFile(repo, '.ownership-file', '[neverUpdate] test-blueprint\\nREADME.md\\n\\n[onlyAdd] test-blueprint\\nconfig/**\\n\\n[alwaysUpdate] test-blueprint\\nci.yml\\n');
  }
}
`;
