import * as path from 'path';
import { InputError } from '../../src/errors';
import { parseReposFile, readReposFile } from '../../src/fleet/repos-file';

describe('the repositories file', () => {
  const file = '/fleet/repos.txt';

  test('URLs, paths relative to the file, #branch, comments and blank lines', () => {
    const repos = parseReposFile([
      '# the payments team',
      'https://github.com/acme/payments.git',
      'git@github.com:acme/ledger.git#release',
      '',
      '  ../local/billing   # kept on disk',
      'ssh://git@host:2222/team/api.git#main # comment after a branch',
      'file:///srv/git/catalog.git',
    ].join('\n'), file);
    expect(repos).toEqual([
      { url: 'https://github.com/acme/payments.git', where: `${file}:2`, name: 'payments' },
      { url: 'git@github.com:acme/ledger.git', branch: 'release', where: `${file}:3`, name: 'ledger' },
      { url: path.resolve('/fleet', '../local/billing'), where: `${file}:5`, name: 'billing' },
      { url: 'ssh://git@host:2222/team/api.git', branch: 'main', where: `${file}:6`, name: 'api' },
      { url: 'file:///srv/git/catalog.git', where: `${file}:7`, name: 'catalog' },
    ]);
  });

  test('two repositories with the same last name each get a stable digest of their URL', () => {
    const [a, b] = parseReposFile('https://h/team-a/api.git\nhttps://h/team-b/api.git\n', file);
    expect(a.name).toMatch(/^api-[0-9a-f]{8}$/);
    expect(b.name).toMatch(/^api-[0-9a-f]{8}$/);
    expect(a.name).not.toBe(b.name);
    const [b2] = parseReposFile('https://h/team-b/api.git\nhttps://h/team-a/api.git\n', file);
    expect(b2.name).toBe(b.name);
  });

  test.each([
    ['https://h/a.git\nhttps://h/a\n', /repos\.txt:2: https:\/\/h\/a is listed already at \/fleet\/repos\.txt:1/],
    ['/srv/git/a\nfile:///srv/git/a.git\n', /repos\.txt:2: file:\/\/\/srv\/git\/a\.git is listed already at \/fleet\/repos\.txt:1/],
    ['../srv/a/.git\n/srv/a/\n', /repos\.txt:2: \/srv\/a\/ is listed already at \/fleet\/repos\.txt:1/],
    ['git@GitHub.com:acme/api.git\nhttps://github.com/acme/api\n', /repos\.txt:2: https:\/\/github\.com\/acme\/api is listed already/],
    ['ssh://git@github.com/acme/api.git\ngit@github.com:acme/api\n', /repos\.txt:2: git@github\.com:acme\/api is listed already/],
    ['https://h/a.git two\n', /repos\.txt:1: one repository per line/],
    ['#main\n', /^$/],
    ['https://h/a.git#bad~name\n', /repos\.txt:1: 'bad~name' is not a branch name/],
  ])('%j is refused with the line named (or is a comment)', (text, message) => {
    if (message.source === '^$') {
      expect(parseReposFile(text, file)).toEqual([]);
      return;
    }
    expect(() => parseReposFile(text, file)).toThrow(InputError);
    expect(() => parseReposFile(text, file)).toThrow(message);
  });

  test.each([
    ['htps://git.example.com/team/svc.git', "/fleet/repos.txt:2: unknown URL scheme 'htps' in htps://git.example.com/team/svc.git (did you mean https?): git has no transport for it (no git-remote-htps helper)"],
    ['HTTPS://h/a.git#main', "/fleet/repos.txt:2: unknown URL scheme 'HTTPS' in HTTPS://h/a.git (did you mean https?)"],
    ['sshh://git@h/a.git', "unknown URL scheme 'sshh' in sshh://git@h/a.git (did you mean ssh?)"],
    ['codecommit://h/a', "unknown URL scheme 'codecommit' in codecommit://h/a: git has no transport for it (no git-remote-codecommit helper)"],
  ])('a URL scheme git has no transport for (%j) is refused with the line, the scheme and the forms that work', (line, message) => {
    const text = `https://h/ok.git\n${line}\n`;
    expect(() => parseReposFile(text, file)).toThrow(InputError);
    expect(() => parseReposFile(text, file)).toThrow(message);
    expect(() => parseReposFile(text, file)).toThrow('a repository is an https://, ssh://, git://, file:// or http:// URL, user@host:path, or a path');
  });

  test('the schemes git speaks, itself or through the helpers it comes with, are read', () => {
    const urls = ['https://h/a.git', 'http://h/b.git', 'ssh://h/c.git', 'git://h/d.git', 'file:///srv/e.git', 'git+ssh://h/f.git', 'ftp://h/g.git'];
    expect(parseReposFile(urls.join('\n'), file).map(r => r.url)).toEqual(urls);
  });

  test('one host, two paths, or two hosts, one path, are two repositories', () => {
    expect(parseReposFile('https://h/acme/api\nhttps://h/acme/web\nhttps://other/acme/api\nssh://git@h:2222/acme/api\n', file)).toHaveLength(4);
  });

  test('a missing file is bad input naming --repos', () => {
    expect(() => readReposFile('/no/such/repos.txt')).toThrow('--repos /no/such/repos.txt: no such file');
  });
});
