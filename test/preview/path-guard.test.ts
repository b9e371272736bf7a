import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { decodeRequestPath, PathRefusedError } from '../../src/preview/path-guard';
import { difference } from '../../src/preview/save-configuration';
import { tempDir } from '../util';
import { allOk, copyFixture, RunningPreview, startPreview, waitForState } from './preview-util';

/**
 * The preview server's security boundary, over real HTTP: every way of naming a file outside the output
 * and blueprint folders gets a 4xx and none of the file; writes go only where they may.
 */

const SECRET = 'top-secret-content-0123';
let preview: RunningPreview;
let blueprint: string;
let outdir: string;
let outside: string;

beforeAll(async () => {
  blueprint = copyFixture();
  fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
  outdir = path.join(path.dirname(blueprint), 'synth');
  outside = tempDir('bluesynth-outside-');
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  preview = await startPreview(['--blueprint', blueprint, '--outdir', outdir]);
  await waitForState(preview.url, allOk);
  // Links out of the served folders: a file in a bundle, a job folder, a file in the blueprint.
  const bundle = path.join(outdir, 'synth.debug', 'proposed-bundle');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(bundle, 'leak.txt'));
  fs.symlinkSync(outside, path.join(bundle, 'leak-dir'));
  fs.symlinkSync(outside, path.join(outdir, 'synth.leak'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(blueprint, 'src', 'leak.txt'));
}, 60_000);

/** A GET with the path sent exactly as written (no client-side normalization). */
function get(rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(preview.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET', headers }, response => {
      let body = '';
      response.on('data', chunk => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function post(rawPath: string, body: unknown): Promise<{ status: number; body: string }> {
  const url = new URL(preview.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'POST', headers: { 'Content-Type': 'application/json' } }, response => {
      let text = '';
      response.on('data', chunk => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

test('files inside the output and blueprint folders are served', async () => {
  const readme = await get('/raw/synth.debug/proposed-bundle/src/demo-app/README.md');
  expect(readme.status).toBe(200);
  expect(readme.body).toContain('# demo-app');
  expect((await get('/blueprint/src/defaults.json')).body).toContain('demo-app');
});

const ATTEMPTS = [
  '/raw/synth.debug/../../../../etc/passwd',
  '/raw/synth.debug/proposed-bundle/../../../../../etc/passwd',
  '/raw/synth.debug/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/raw/synth.debug/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '/raw/synth.debug/proposed-bundle/%252e%252e/%252e%252e/etc/passwd',
  '/raw/synth.debug/..%5c..%5c..%5cetc%5cpasswd',
  '/raw/%2e%2e/%2e%2e/etc/passwd',
  '/raw/../etc/passwd',
  '/raw/synth.debug//etc/passwd',
  '/raw/synth.debug/%2fetc%2fpasswd',
  '/raw/synth.debug/proposed-bundle/./src/demo-app/README.md',
  '/raw/synth.debug/proposed-bundle/src/demo-app/README.md%00.png',
  '/raw/synth.debug/proposed-bundle/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/raw/synth.debug/proposed-bundle/%E0%80%AE%E0%80%AE/etc/passwd',
  '/raw/synth.debug/proposed-bundle/leak.txt',
  '/raw/synth.debug/proposed-bundle/leak-dir/secret.txt',
  '/raw/synth.leak/secret.txt',
  '/api/tree/synth.leak/..%2f..%2f.json',
  '/api/tree/%2e%2e/synth.json',
  '/api/diff/synth.debug/existing-bundle/..%2f..%2f..%2f/etc/passwd',
  '/api/diff/synth.debug/proposed-bundle/proposed-bundle/leak.txt',
  '/blueprint/src/leak.txt',
  '/blueprint/../../../etc/passwd',
  '/blueprint/%2e%2e/%2e%2e/etc/passwd',
  '/blueprint//etc/passwd',
  '/assets/../../package.json',
  '/assets/%2e%2e%2fserver.js',
];

test.each(ATTEMPTS)('%s is refused with a 4xx and none of the file', async attempt => {
  const response = await get(attempt);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.body).not.toContain(SECRET);
  expect(response.body).not.toContain('root:');
});

test('a request naming another host or origin is refused (DNS rebinding, cross-site writes)', async () => {
  expect((await get('/api/state.json', { Host: 'attacker.example:80' })).status).toBe(403);
  expect((await get('/api/state.json', { Origin: 'http://attacker.example' })).status).toBe(403);
});

test('saving a configuration: plain names only, never over an existing file without overwrite', async () => {
  const wizard = path.join(blueprint, 'src', 'wizard-configurations');
  for (const name of ['../escape', 'a/b', '/tmp/x', '..', '.hidden', 'x\u0000y', '']) {
    const response = await post('/api/save', { name, options: { level: 'warn' } });
    expect(response.status).toBe(400);
  }
  expect(fs.existsSync(path.join(blueprint, 'src', 'escape.json'))).toBe(false);
  const exists = await post('/api/save', { name: 'debug', options: { level: 'warn' } });
  expect(exists.status).toBe(409);
  expect(fs.readFileSync(path.join(wizard, 'debug.json'), 'utf8')).toContain('"debug"');
  const saved = await post('/api/save', { name: 'warn-level', options: { appName: 'demo-app', level: 'warn' } });
  expect(saved.status).toBe(200);
  expect(JSON.parse(fs.readFileSync(path.join(wizard, 'warn-level.json'), 'utf8'))).toEqual({ level: 'warn' });
  const overwritten = await post('/api/save', { name: 'warn-level', options: { level: 'debug' }, overwrite: true });
  expect(overwritten.status).toBe(200);
  expect(JSON.parse(fs.readFileSync(path.join(wizard, 'warn-level.json'), 'utf8'))).toEqual({ level: 'debug' });
});

test('decodeRequestPath refuses what a second decoder or a normalizer would turn into a climb', () => {
  for (const bad of ['..', 'a/../b', '%2e%2e', 'a/%2e%2e/b', '%252e%252e', 'a\\b', '/etc', 'C:/x', 'a//b', 'a/./b', 'a%00b', '%E0%A4%A']) {
    expect(() => decodeRequestPath(bad)).toThrow(PathRefusedError);
  }
  expect(decodeRequestPath('src/a%20b/c.txt')).toBe('src/a b/c.txt');
});

test('a saved configuration keeps only what differs from the defaults', () => {
  expect(difference({ a: 1, b: { c: 2, d: [1] }, e: 'x' }, { a: 1, b: { c: 2, d: [1, 2] }, e: 'y' })).toEqual({ b: { d: [1] }, e: 'x' });
  expect(difference({ a: 1 }, { a: 1 })).toBeUndefined();
});
