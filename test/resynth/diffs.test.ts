import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BundleFile, FileMap } from '../../src/bundle/file-map';
import { readBundle, SYMLINK_MODE } from '../../src/bundle/read';
import { writeBundle } from '../../src/bundle/sink';
import { repositoryDiffs, repositoryPatches } from '../../src/resynth/diffs';
import { encode85 } from '../../src/resynth/patch/binary-patch';
import { functionContext } from '../../src/resynth/patch/unified';
import { seededRandom } from './merge/random-edits';
import { tempDir } from '../util';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: '/nonexistent' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, maxBuffer: 1 << 28 });

/** A real git repository holding `files` (repository-relative) as its committed and checked-out state. */
function repository(files: FileMap): string {
  const repo = tempDir('bluesynth-diffs-');
  git(repo, 'init', '-q');
  writeInto(repo, files);
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'existing');
  return repo;
}

/** Writes files into a folder that already exists (writeBundle replaces its target whole). */
function writeInto(dir: string, files: FileMap): void {
  const staged = tempDir('bluesynth-diffs-files-');
  writeBundle(staged, files);
  fs.cpSync(staged, dir, { recursive: true, verbatimSymlinks: true });
}

/** Puts `files` under `src/app/`, as bundle paths. */
function bundle(files: Record<string, string | Buffer | BundleFile>): FileMap {
  const map: FileMap = new Map();
  for (const [name, content] of Object.entries(files)) {
    map.set(`src/app/${name}`, typeof content === 'string' || Buffer.isBuffer(content) ? { buffer: Buffer.from(content) } : content);
  }
  return map;
}

function repositoryFiles(map: FileMap): FileMap {
  return new Map([...map].map(([bundlePath, file]) => [bundlePath.slice('src/app/'.length), file]));
}

/** The working tree of `repo` without `.git/`, as a file map with git's modes (644/755/link). */
function workingTree(repo: string): Record<string, { content: string; mode: string }> {
  const tree: Record<string, { content: string; mode: string }> = {};
  for (const [name, file] of readBundle(repo)) {
    if (name.startsWith('.git/')) continue;
    tree[name] = { content: file.buffer.toString('base64'), mode: file.mode === SYMLINK_MODE ? 'link' : file.mode! & 0o111 ? 'x' : 'f' };
  }
  return tree;
}

/** What git itself writes for the change from the committed tree to `resolved` (staged, renames off). */
function gitDiff(repo: string, resolved: FileMap): Buffer {
  for (const name of git(repo, 'ls-files', '-z').toString('utf8').split('\0').filter(Boolean)) fs.rmSync(path.join(repo, name));
  writeInto(repo, resolved);
  git(repo, 'add', '-A');
  return git(repo, '-c', 'diff.indentHeuristic=false', '-c', 'core.quotePath=true', 'diff', '--cached', '--binary', '--no-renames', '--no-color', '--no-ext-diff');
}

/** Applies the bundle's diff in `repo` (checked first) and returns the working tree. */
function applyDiff(repo: string, diff: Buffer): Record<string, { content: string; mode: string }> {
  const patchFile = path.join(tempDir('bluesynth-diffs-patch-'), 'bundle.diff');
  fs.writeFileSync(patchFile, diff);
  const check = spawnSync('git', ['apply', '--check', patchFile], { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
  git(repo, 'apply', patchFile);
  return workingTree(repo);
}

function expectedTree(resolved: FileMap): Record<string, { content: string; mode: string }> {
  const dir = tempDir('bluesynth-diffs-expected-');
  writeBundle(dir, repositoryFiles(resolved));
  return workingTree(dir);
}

const PNG = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1'), Buffer.alloc(300, 7), Buffer.from('tail')]);

describe('issue 15 item 1: git apply takes the diffs', () => {
  const existing = bundle({
    'logo.png': PNG,
    'data.bin': Buffer.from([0, 1, 2, 3, 255, 254, 0, 9]),
    'gone.bin': Buffer.from([0, 0, 0, 1]),
    'README.md': '# app\n\nSome text\n',
    'old-name.ts': 'export const moved = 1;\n',
    'run.sh': { buffer: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o644 },
    'tool.sh': { buffer: Buffer.from('#!/bin/sh\nexit 0\n'), mode: 0o755 },
    'link': { buffer: Buffer.from('README.md'), mode: SYMLINK_MODE },
    'becomes-file': { buffer: Buffer.from('README.md'), mode: SYMLINK_MODE },
    'becomes-link': 'plain file\n',
    'empty.txt': '',
    'has space.txt': 'a\n',
    'tab\there.txt': 'one\n',
    'quote"and\\back.txt': 'two\n',
    'café.md': 'three\n',
    'no-newline.txt': 'last line',
  });
  const resolved = bundle({
    'logo.png': Buffer.concat([PNG, Buffer.from('more bytes')]),
    'data.bin': 'now text\n',
    'new.bin': Buffer.from([0, 10, 20, 30]),
    'README.md': '# app\n\nSome other text\n',
    'new-name.ts': 'export const moved = 1;\n',
    'run.sh': { buffer: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
    'tool.sh': { buffer: Buffer.from('#!/bin/sh\nexit 1\n'), mode: 0o644 },
    'link': { buffer: Buffer.from('run.sh'), mode: SYMLINK_MODE },
    'becomes-file': 'now a file\n',
    'becomes-link': { buffer: Buffer.from('run.sh'), mode: SYMLINK_MODE },
    'empty.txt': '',
    'new-empty.txt': '',
    'has space.txt': 'b\n',
    'tab\there.txt': 'one\ntwo\n',
    'quote"and\\back.txt': 'two\nthree\n',
    'café.md': 'three\nfour\n',
    'Ünïcode dir/ファイル.txt': 'new\n',
    'no-newline.txt': 'last line\n',
  });

  test('a diff with binary, renamed, quoted, mode-changed files and links applies whole', () => {
    const repo = repository(repositoryFiles(existing));
    const diff = repositoryDiffs(existing, resolved).get('app')!;
    const text = diff.toString('latin1');
    expect(text).toContain('GIT binary patch\nliteral ');
    expect(text).toMatch(/^index [0-9a-f]{40}\.\.[0-9a-f]{40} 100644\nGIT binary patch$/m);
    expect(text).toContain('diff --git "a/tab\\there.txt" "b/tab\\there.txt"\n');
    expect(text).toContain('diff --git "a/quote\\"and\\\\back.txt" "b/quote\\"and\\\\back.txt"\n');
    expect(text).toContain('diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"\n');
    expect(text).toContain('diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n');
    expect(applyDiff(repo, diff)).toEqual(expectedTree(resolved));
  });

  test('the text parts are byte for byte what git diff writes', () => {
    const textOnly = (map: FileMap) => new Map([...map].filter(([name]) => !/\.(png|bin)$/.test(name)));
    const repo = repository(repositoryFiles(textOnly(existing)));
    const ours = repositoryDiffs(textOnly(existing), textOnly(resolved)).get('app')!;
    expect(ours.toString('latin1')).toBe(gitDiff(repo, repositoryFiles(textOnly(resolved))).toString('latin1'));
  });

  test('a file created or deleted whole, binary or not, is byte for byte git diff with --binary', () => {
    const before = bundle({ 'gone.bin': Buffer.from([0]), 'gone.txt': 'x\n', 'gone-empty': '' });
    const after = bundle({ 'new-empty': '', 'new.txt': 'y\n' });
    const repo = repository(repositoryFiles(before));
    const ours = repositoryDiffs(before, after).get('app')!.toString('latin1');
    // git deflates with its own zlib settings; the hunks' bytes are compared by applying them instead.
    const strip = (diff: string) => diff.replace(/^literal \d+\n(?:[A-Za-z].*\n)*\n/gm, 'literal\n');
    expect(strip(ours)).toBe(strip(gitDiff(repo, repositoryFiles(after)).toString('latin1')));
  });

  test('repositories without changes get no diff; each file has its own patch', () => {
    const same = bundle({ 'a.txt': 'a\n' });
    expect(repositoryDiffs(same, new Map(same)).size).toBe(0);
    const patches = repositoryPatches(same, bundle({ 'a.txt': 'b\n', 'b.txt': 'c\n' })).get('app')!;
    expect(patches.map(file => file.path)).toEqual(['a.txt', 'b.txt']);
  });

  test('base85 is git\'s alphabet, most significant digit first', () => {
    expect(encode85(Buffer.from([0, 0, 0, 0]))).toBe('00000');
    expect(encode85(Buffer.from([255, 255, 255, 255]))).toBe('|NsC0');
    expect(encode85(Buffer.from([1]))).toBe(encode85(Buffer.from([1, 0, 0, 0]))); // the last group is zero-padded
  });
});

describe('issue 14: function context in hunk headers, as git diff writes it', () => {
  test('the nearest line above the hunk that starts with a letter, _ or $', () => {
    const lines = ['Actions:', '  Build:', '    Steps:', '      - one', '      - two', '      - three', '      - four', '      - five', '      - six'];
    const before = bundle({ 'workflow.yaml': lines.join('\n') + '\n' });
    const after = bundle({ 'workflow.yaml': lines.map(l => l.replace('five', 'FIVE')).join('\n') + '\n' });
    const diff = repositoryDiffs(before, after).get('app')!.toString('latin1');
    expect(diff).toContain('@@ -5,5 +5,5 @@ Actions:\n');
    expect(functionContext(['$x  \n', '  y\n'], 1)).toBe('$x');
    expect(functionContext(['_' + 'f'.repeat(100) + '\n'], 0)).toBe('_' + 'f'.repeat(79));
    expect(functionContext(['  indented\n', '1digit\n'], 1)).toBe('');
  });

  test('random edits of random files: byte for byte git diff', () => {
    const rand = seededRandom(1415);
    const vocabulary = ['Actions:', 'function f() {', '  return 1;', '}', '', '$var = 2', '_private', '\tTab', '# comment', 'a', 'b', 'x'.repeat(120), 'end'];
    const line = () => vocabulary[Math.floor(rand() * vocabulary.length)];
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    for (let file = 0; file < 40; file++) {
      const lines = Array.from({ length: 5 + Math.floor(rand() * 60) }, line);
      const edited = [...lines];
      for (let edit = Math.floor(rand() * 6); edit >= 0; edit--) {
        const at = Math.floor(rand() * (edited.length + 1));
        const kind = rand();
        if (kind < 0.33) edited.splice(at, 1 + Math.floor(rand() * 3));
        else if (kind < 0.66) edited.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rand() * 4) }, line));
        else edited.splice(at, 1, line());
      }
      const end = (text: string[]) => text.join('\n') + (rand() < 0.8 ? '\n' : '');
      before[`f${file}.txt`] = end(lines);
      after[`f${file}.txt`] = end(edited);
    }
    const repo = repository(repositoryFiles(bundle(before)));
    const ours = repositoryDiffs(bundle(before), bundle(after)).get('app')!;
    expect(ours.toString('latin1')).toBe(gitDiff(repo, repositoryFiles(bundle(after))).toString('latin1'));
  });
});
