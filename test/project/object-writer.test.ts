import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { listTree, ObjectCache } from '../../src/project/git-tree';
import { ObjectWriter } from '../../src/project/object-writer';
import { tableCrc32 } from '../../src/project/pack';
import { attributesCheckin, configuredCheckin } from '../../src/project/checkin';
import { commitIdentity, readRepositoryConfig } from '../../src/project/repository-config';
import { objectStore, writeTreeWith } from '../../src/project/object-store';
import { tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/** Files whose names test git's order (`a-b` < `a.b` < the folder `a`, as `a/` < `a0`), a script, a sub-sub-folder. */
const FILES: Record<string, string> = {
  'a-b': 'dash\n',
  'a.b': 'dot\n',
  'a/b/c.txt': 'deep\n',
  'a/z': 'z\n',
  'a0': 'zero\n',
  'bin/run.sh': '#!/bin/sh\necho hi\n',
  'docs/read me.md': '# with a space\n',
  'ünïcode.txt': 'é\n',
  'windows.txt': 'one\r\ntwo\r\n',
};

/** A repository holding FILES (plus a link, an executable and a submodule entry) in git's own index, and the tree git writes of it. */
function gitWrittenTree(dir: string, format: 'sha1' | 'sha256'): string {
  git(dir, 'init', '--quiet', `--object-format=${format}`);
  git(dir, 'config', 'core.autocrlf', 'false');
  writeTree(dir, FILES);
  fs.chmodSync(path.join(dir, 'bin/run.sh'), 0o755);
  fs.symlinkSync('../a.b', path.join(dir, 'docs', 'link'));
  git(dir, 'add', '-A');
  const submodule = 'ab'.repeat(format === 'sha256' ? 32 : 20);
  git(dir, 'update-index', '--add', '--cacheinfo', `160000,${submodule},vendor/lib`);
  return git(dir, 'write-tree');
}

describe.each(['sha1', 'sha256'] as const)('objects written in this process (%s)', format => {
  test('a tree written from its entries is byte for byte the one git writes, and git reads every object back', () => {
    const reference = tempDir();
    const tree = gitWrittenTree(reference, format);
    const entries = listTree(new Git(reference), tree);
    expect(entries.get('vendor/lib')?.mode).toBe('160000');

    // An empty repository of the same format, written to only by this process.
    const fresh = tempDir();
    git(fresh, 'init', '--quiet', `--object-format=${format}`);
    const objects = path.join(fresh, '.git', 'objects');
    const writer = new ObjectWriter(objects, format);
    const blobs = [...entries].filter(([, entry]) => entry.mode !== '160000');
    // The first blob on its own (a loose object), the others queued to go with the trees (one pack).
    blobs.forEach(([file, entry], i) => {
      const bytes = entry.mode === '120000' ? Buffer.from(fs.readlinkSync(path.join(reference, file))) : fs.readFileSync(path.join(reference, file));
      expect(i === 0 ? writer.write('blob', bytes) : writer.add('blob', bytes)).toBe(entry.oid);
    });
    expect(writer.writeTree(entries)).toBe(tree);
    expect(git(fresh, 'ls-tree', '-r', '--full-tree', tree)).toBe(git(reference, 'ls-tree', '-r', '--full-tree', tree));
    expect(git(fresh, 'cat-file', '-p', `${tree}:windows.txt`)).toBe(FILES['windows.txt'].trim());
    git(fresh, 'fsck', '--strict', '--no-dangling');
    // One loose object and one pack of the rest, 9 blobs and 6 trees (git checks the pack against its index, CRCs included); no
    // temporary file left; read-only, as git leaves them.
    expect(git(fresh, 'count-objects', '-v')).toMatch(/^count: 1\n(.|\n)*in-pack: 15\npacks: 1\n/);
    const [idx] = fs.readdirSync(path.join(objects, 'pack')).filter(name => name.endsWith('.idx'));
    expect(git(fresh, 'verify-pack', '-v', path.join(objects, 'pack', idx))).toMatch(/non delta: 15 objects/);
    const objectFiles = fs.readdirSync(objects, { recursive: true }).map(String);
    expect(objectFiles.filter(name => name.includes('tmp_'))).toEqual([]);
    const loose = blobs[0][1].oid;
    expect(fs.statSync(path.join(objects, loose.slice(0, 2), loose.slice(2))).mode & 0o777).toBe(0o444);
    for (const suffix of ['.pack', '.idx']) expect(fs.statSync(path.join(objects, 'pack', idx.replace('.idx', suffix))).mode & 0o777).toBe(0o444);
  });

  test('a pack holds large and empty objects, and an object queued twice or already known once', () => {
    const dir = tempDir();
    git(dir, 'init', '--quiet', `--object-format=${format}`);
    const writer = new ObjectWriter(path.join(dir, '.git', 'objects'), format);
    // Sizes whose pack headers take one, two, three and four bytes.
    const contents = [Buffer.alloc(0), Buffer.from('x'.repeat(100)), Buffer.alloc(70_000, 'y'), Buffer.alloc(3_000_000, 'z')];
    const ids = contents.map(content => writer.add('blob', content));
    expect(writer.add('blob', contents[1])).toBe(ids[1]);
    const known = git(dir, 'hash-object', '-w', '--stdin');
    writer.know([known]);
    writer.add('blob', Buffer.alloc(0));
    writer.flush();
    contents.forEach((content, i) => expect(git(dir, 'cat-file', '-s', ids[i])).toBe(String(content.length)));
    expect(git(dir, 'count-objects', '-v')).toMatch(/in-pack: 4\n/);
    git(dir, 'fsck', '--strict');
  });
});

test('names whose string order is not their bytes\' order are written in git\'s order, by their UTF-8 bytes', () => {
  // U+1F600 is a surrogate pair (0xD83D...) below U+FF5A as a string, but its UTF-8 bytes (F0 ...) sort after U+FF5A's (EF ...).
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  writeTree(dir, { 'wide/\u{1F600}.txt': 'face\n', 'wide/\uFF5A.txt': 'wide z\n', 'wide/z.txt': 'z\n', 'plain/a.txt': 'a\n', 'plain/a-b/c.txt': 'c\n', '\u{1F600}/x': 'x\n', '\uFF5A': 'y\n' });
  git(dir, 'add', '-A');
  const tree = git(dir, 'write-tree');
  const writer = new ObjectWriter(path.join(dir, '.git', 'objects'), 'sha1');
  expect(writer.writeTree(listTree(new Git(dir), tree))).toBe(tree);
});

test('a path that is an entry (a submodule here) and also a folder of others is refused in either order, never one silently dropped', () => {
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  const writer = new ObjectWriter(path.join(dir, '.git', 'objects'), 'sha1');
  const gitlink = { mode: '160000', oid: 'ab'.repeat(20) };
  const file = { mode: '100644', oid: writer.add('blob', Buffer.from('x\n')) };
  const message = /'vendor' is a file, link or submodule and also a folder in the tree to write/;
  expect(() => writer.writeTree(new Map([['vendor', gitlink], ['vendor/readme.txt', file]]))).toThrow(message);
  expect(() => writer.writeTree(new Map([['vendor/readme.txt', file], ['vendor', gitlink]]))).toThrow(message);
  expect(() => writer.writeTree(new Map([['vendor', gitlink], ['vendor/a/b.txt', file]]))).toThrow(message);
});

test('the CRC-32 computed here, for a Node without zlib.crc32, is zlib\'s', () => {
  expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  expect(tableCrc32(Buffer.from('56789'), tableCrc32(Buffer.from('1234')))).toBe(0xcbf43926);
});

describe.each(['sha1', 'sha256'] as const)('commits made in this process (%s)', format => {

  test('a commit made here is the commit git commit-tree makes for the same author, committer and time', () => {
    const dir = tempDir();
    const tree = gitWrittenTree(dir, format);
    const config = new Map([['user.name', 'Ada Lovelace'], ['user.email', 'ada@example.invalid'], ['committer.name', 'Release Bot']]);
    const identity = commitIdentity(config, {}, new Date('2026-12-02T10:00:00Z'))!;
    expect(identity.author).toMatch(/^Ada Lovelace <ada@example\.invalid> 1796205600 [+-]\d{4}$/);
    expect(identity.committer).toMatch(/^Release Bot <ada@example\.invalid> 1796205600 /);
    const writer = new ObjectWriter(path.join(dir, '.git', 'objects'), format);
    const message = 'generated by x@1\n\nBluesynth-Instantiation: abc\n';
    const ours = writer.write('commit', Buffer.from(`tree ${tree}\nauthor ${identity.author}\ncommitter ${identity.committer}\n\n${message}`));
    const date = identity.author.split(' ').slice(-2).join(' ');
    const theirs = new Git(dir).run(['commit-tree', tree], {
      input: message,
      env: {
        GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.invalid', GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: 'Release Bot', GIT_COMMITTER_EMAIL: 'ada@example.invalid', GIT_COMMITTER_DATE: date,
      },
    }).trim();
    expect(ours).toBe(theirs);
  });
});

describe('who commits', () => {
  const config = new Map([['user.name', 'Ada'], ['user.email', 'ada@example.invalid']]);

  test('the environment wins over the configuration, author.* and committer.* over user.*', () => {
    const identity = commitIdentity(new Map([...config, ['author.email', 'author@example.invalid']]), { GIT_COMMITTER_NAME: 'CI' })!;
    expect(identity.author).toMatch(/^Ada <author@example\.invalid> /);
    expect(identity.committer).toMatch(/^CI <ada@example\.invalid> /);
  });

  test.each([
    ['no email anywhere', new Map([['user.name', 'Ada']]), {}],
    ['signed commits', new Map([...config, ['commit.gpgsign', 'true']]), {}],
    ['a date in the environment', config, { GIT_COMMITTER_DATE: '2020-01-01' }],
    ['a name git would trim', new Map([...config, ['user.name', 'Ada.']]), {}],
    ['an email with angle brackets', config, { GIT_AUTHOR_EMAIL: '<ada@example.invalid>' }],
    ['another commit encoding', new Map([...config, ['i18n.commitencoding', 'ISO-8859-1']]), {}],
    ['a repository shared with a group', new Map([...config, ['core.sharedrepository', 'group']]), {}],
    ['a second object format', new Map([...config, ['extensions.compatobjectformat', 'sha256']]), {}],
  ])('git decides itself with %s', (_, cfg, env) => {
    expect(commitIdentity(cfg, env as NodeJS.ProcessEnv)).toBeUndefined();
  });
});

test('in a repository shared with a group, git writes the commit, and the object folder is the group\'s to write', () => {
  const dir = tempDir();
  git(dir, 'init', '--quiet', '--shared=group');
  const repo = new Git(dir);
  // An identity this process could commit with: only the sharing sends the commit to git.
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.invalid');
  const store = objectStore(repo, path.join(dir, '.git', 'objects'), false, '0'.repeat(40));
  const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
  const commit = store.commit(emptyTree, [], 'shared\n');
  expect(git(dir, 'cat-file', '-t', commit)).toBe('commit');
  expect(fs.statSync(path.join(dir, '.git', 'objects', commit.slice(0, 2))).mode & 0o070).toBe(0o070);
});

describe('what git add would do to the bytes', () => {
  test.each([
    ['*.png binary\n*.ts linguist-generated\n', 'as-is'],
    ['# * filter=lfs\n*.md -text\n*.c !eol\n', 'as-is'],
    ['* text=auto\n', 'line-ends'],
    ['*.sh eol=lf\n', 'line-ends'],
    ['*.psd filter=lfs diff=lfs merge=lfs -text\n', 'other'],
    ['*.c ident\n', 'other'],
    ['[attr]mine text\n', 'other'],
    ['*.txt working-tree-encoding=UTF-16\n', 'other'],
  ])('%j asks %s', (text, checkin) => {
    expect(attributesCheckin(text)).toBe(checkin);
  });

  test('core.autocrlf asks for line ends, core.attributesFile and a shared repository for git itself', () => {
    const attributes = path.join(tempDir(), 'info', 'attributes');
    expect(configuredCheckin(new Map([['core.autocrlf', 'false']]), attributes)).toBe('as-is');
    expect(configuredCheckin(new Map([['core.autocrlf', 'input']]), attributes)).toBe('line-ends');
    expect(configuredCheckin(new Map([['core.attributesfile', '/x']]), attributes)).toBe('other');
    expect(configuredCheckin(new Map([['core.sharedrepository', 'group']]), attributes)).toBe('other');
    expect(configuredCheckin(new Map([['core.sharedrepository', 'umask']]), attributes)).toBe('as-is');
  });

  // The tree an update writes must be the one `git add` of the same files gives, whoever writes it: this
  // process where git would store the bytes as they are, git's index where it would convert a CR LF.
  test.each([
    ['no conversion', [], {}, 'this process'],
    ['core.autocrlf=true', ['core.autocrlf', 'true'], {}, 'git'],
    ['a .gitattributes asking for LF', [], { '.gitattributes': '* text eol=lf\n' }, 'git'],
    ['a .gitattributes that only labels files', [], { '.gitattributes': '*.txt linguist-generated\n' }, 'this process'],
  ] as const)('with %s, writeTreeWith gives the tree git add gives', (_, setting, attributes, writer) => {
    const dir = tempDir();
    git(dir, 'init', '--quiet');
    git(dir, 'config', 'core.autocrlf', 'false');
    if (setting.length) git(dir, 'config', ...setting);
    writeTree(dir, { 'kept.txt': 'kept\n', 'gone.txt': 'gone\n', ...attributes });
    git(dir, 'add', '-A');
    const base = git(dir, 'write-tree');

    const changed = new Map([['new/crlf.txt', { buffer: Buffer.from('a\r\nb\r\n') }], ['kept.txt', { buffer: Buffer.from('changed\n'), mode: 0o755 }]]);
    const repo = new Git(dir);
    const store = objectStore(repo, path.join(dir, '.git', 'objects'), false, base);
    const whole = { treeish: base, entries: listTree(repo, base), blob: (oid: string) => repo.runBuffer(['cat-file', 'blob', oid]) };
    // Made (with the changed files) only when git's index writes the tree.
    const scratch = path.join(tempDir(), 'changes');
    const written = writeTreeWith(store, whole, changed, ['gone.txt'], scratch);
    const usedGit = fs.existsSync(scratch);

    fs.rmSync(path.join(dir, 'gone.txt'));
    writeTree(dir, { 'new/crlf.txt': 'a\r\nb\r\n', 'kept.txt': 'changed\n' });
    fs.chmodSync(path.join(dir, 'kept.txt'), 0o755);
    git(dir, 'add', '-A');
    expect(written).toBe(git(dir, 'write-tree'));
    expect(usedGit ? 'git' : 'this process').toBe(writer);
    git(dir, 'fsck', '--strict', '--no-dangling');
    expect(readRepositoryConfig(repo).get('core.autocrlf')).toBe(setting[1] ?? 'false');
  });
});

test('a tree writeTreeWith writes in this process is listed from memory afterwards, as git lists it', () => {
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  git(dir, 'config', 'core.autocrlf', 'false');
  writeTree(dir, { 'kept.txt': 'kept\n', 'gone.txt': 'gone\n', 'a/b/deep.txt': 'deep\n', 'a/c.txt': 'c\n' });
  git(dir, 'add', '-A');
  const base = git(dir, 'write-tree');
  const repo = new Git(dir);
  const store = objectStore(repo, path.join(dir, '.git', 'objects'), false, base);
  const whole = { treeish: base, entries: listTree(repo, base), blob: (oid: string) => repo.runBuffer(['cat-file', 'blob', oid]) };
  // A cache whose git is no repository at all: a listing it gives can only be the one recorded.
  const cache = new ObjectCache(new Git(tempDir()));
  const changed = new Map([['a/b/new.txt', { buffer: Buffer.from('new\n') }], ['kept.txt', { buffer: Buffer.from('changed\n'), mode: 0o755 }]]);
  const written = writeTreeWith(store, whole, changed, ['gone.txt'], path.join(tempDir(), 'changes'), cache);

  const trees = new Set<string>();
  const entries = listTree(repo, written, trees);
  expect(cache.list(written)).toEqual({ entries, trees });
  expect(() => cache.list(base)).toThrow();
});
