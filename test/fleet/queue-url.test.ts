import { InputError } from '../../src/errors';
import { fleetJobId, parseQueueUrl } from '../../src/fleet/queue';
import { testJobs } from './queue-workers';

describe('parseQueueUrl', () => {
  test('host, port and database; defaults 6379 and 0', () => {
    expect(parseQueueUrl('redis://queue.internal:6380/3')).toEqual({
      shown: 'redis://queue.internal:6380/3',
      server: { host: 'queue.internal', port: 6380, db: 3 },
    });
    expect(parseQueueUrl('redis://localhost').server).toEqual({ host: 'localhost', port: 6379, db: 0 });
    expect(parseQueueUrl('redis://localhost/').server).toEqual({ host: 'localhost', port: 6379, db: 0 });
    expect(parseQueueUrl('redis://[::1]:7000/1').server).toEqual({ host: '::1', port: 7000, db: 1 });
  });

  test('a password (and user) reach the client, never the shown URL', () => {
    const url = parseQueueUrl('redis://:s%40cret@host:6379/0');
    expect(url.server).toEqual({ host: 'host', port: 6379, db: 0, password: 's@cret' });
    expect(url.shown).toBe('redis://:***@host:6379/0');
    expect(parseQueueUrl('redis://fleet:a:b@host/1').shown).toBe('redis://fleet:***@host/1');
    expect(parseQueueUrl('redis://fleet:pw@host/2').server).toMatchObject({ username: 'fleet', password: 'pw', db: 2 });
  });

  test('rediss:// is TLS, checked against the host name', () => {
    expect(parseQueueUrl('rediss://cache.example.com:6380/0').server).toEqual({
      host: 'cache.example.com', port: 6380, db: 0, tls: { servername: 'cache.example.com' },
    });
  });

  test.each([
    ['localhost:6379', /^--queue localhost:6379: the scheme must be redis:\/\/ or rediss:\/\/, not localhost:\/\//],
    ['not a url', /^--queue not a url: not a URL; expected redis:\/\/\[:password@\]HOST:PORT\/DB$/],
    ['http://host:6379/0', /^--queue http:\/\/host:6379\/0: the scheme must be redis:\/\/ or rediss:\/\/, not http:\/\/$/],
    ['redis://host:6379/zero', /^--queue redis:\/\/host:6379\/zero: the database must be a number \(\/0, \/1, \.\.\.\), not 'zero'$/],
    ['redis://host:6379/0/1', /the database must be a number/],
    ['redis://host:6379/-1', /the database must be a number/],
    ['redis://host:6379/0?timeout=3', /a queue URL takes no query or fragment/],
    ['redis://host:99999/0', /^--queue redis:\/\/host:99999\/0: not a URL/],
    ['redis://:pw@host:99999/0', /^--queue redis:\/\/:\*\*\*@host:99999\/0: not a URL/],
    ['redis://:pw@host/x', /^--queue redis:\/\/:\*\*\*@host\/x: the database/],
  ])('%s is refused with the option named', (text, message) => {
    expect(() => parseQueueUrl(text)).toThrow(InputError);
    expect(() => parseQueueUrl(text)).toThrow(message);
  });

  test('the message names the option it came from', () => {
    expect(() => parseQueueUrl('ftp://x', '--redis')).toThrow(/^--redis ftp:\/\/x: /);
  });
});

describe('fleetJobId', () => {
  const [job] = testJobs(1);

  test('the same repository and settings give the same id, readable by its name', () => {
    expect(fleetJobId(job)).toBe(fleetJobId(JSON.parse(JSON.stringify(job))));
    expect(fleetJobId(job)).toMatch(/^repo-00-[0-9a-f]{16}$/);
  });

  test('the order of keys and the repositories file line do not matter; settings, URL and branch do', () => {
    const reordered = { settings: { to: 'v2', workDir: '/work-dir' }, repository: { where: 'other.txt:9', name: 'repo-00', url: '/remotes/repo-00.git' } };
    expect(fleetJobId(reordered)).toBe(fleetJobId(job));
    expect(fleetJobId({ ...job, settings: { ...job.settings, to: 'v3' } })).not.toBe(fleetJobId(job));
    expect(fleetJobId({ ...job, repository: { ...job.repository, branch: 'main' } })).not.toBe(fleetJobId(job));
    expect(fleetJobId({ ...job, repository: { ...job.repository, url: '/elsewhere.git' } })).not.toBe(fleetJobId(job));
  });

  test("the enqueuing machine's work folder does not matter (each worker clones into its own)", () => {
    expect(fleetJobId({ ...job, settings: { ...job.settings, workDir: '/elsewhere/.bluesynth-fleet' } })).toBe(fleetJobId(job));
    expect(fleetJobId({ ...job, settings: { ...job.settings, allowedSources: ['npm @acme/service'] } })).toBe(fleetJobId(job));
  });

  test('no ":" (BullMQ refuses it in a custom id), whatever the name', () => {
    expect(fleetJobId({ ...job, repository: { ...job.repository, name: 'team:repo/x' } })).toMatch(/^team_repo_x-[0-9a-f]{16}$/);
  });
});
