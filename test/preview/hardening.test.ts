import * as fs from 'fs';
import * as path from 'path';
import type { PreviewState } from '../../src/preview/state';
import { runCli } from '../util';
import { allOk, copyFixture, RunningPreview, startPreview, waitForState } from './preview-util';

/** Issue 15 item 13, through `blueprint preview` run as a child process and plain HTTP requests. */
describe('issue 15 item 13: preview', () => {
  let blueprint: string;
  let preview: RunningPreview;
  const wizard = () => path.join(blueprint, 'src', 'wizard-configurations');
  const job = (state: PreviewState, name: string) => state.jobs.find(j => j.name === name);

  beforeAll(async () => {
    blueprint = copyFixture();
    fs.rmSync(path.join(wizard(), 'large.json')); // 2,000 files: not what these tests are about
    fs.mkdirSync(path.join(blueprint, '.git'));
    fs.writeFileSync(path.join(blueprint, '.git', 'config'), '[remote "origin"] url = secret\n');
    fs.mkdirSync(path.join(blueprint, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(blueprint, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
    fs.symlinkSync('../.git/config', path.join(blueprint, 'src', 'leak'));
    preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    await waitForState(preview.url, allOk, 90_000);
  }, 120_000);

  afterAll(async () => preview?.stop());

  test('saving a configuration validates it first: an invalid one is refused, naming the option, and not written', async () => {
    const defaults = JSON.parse(fs.readFileSync(path.join(blueprint, 'src', 'defaults.json'), 'utf8'));
    const save = (name: string, options: unknown) =>
      fetch(`${preview.url}api/save`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, options }) });
    const refused = await save('shouty', { ...defaults, appName: 'Not Valid' });
    expect(refused.status).toBe(400);
    const message = await refused.text();
    expect(message).toMatch(/^not saved: the options do not match/);
    expect(message).toContain('$.appName');
    expect(message).toContain('Lower-case letters, digits and dashes, starting with a letter.');
    expect(fs.existsSync(path.join(wizard(), 'shouty.json'))).toBe(false);

    const saved = await save('quiet', { ...defaults, level: 'warn' });
    expect(saved.status).toBe(200);
    expect(JSON.parse(fs.readFileSync(path.join(wizard(), 'quiet.json'), 'utf8'))).toEqual({ level: 'warn' });
    await waitForState(preview.url, state => job(state, 'synth.quiet')?.status === 'ok');
  }, 60_000);

  test.each([
    ['does not parse', '{ "level": \n'],
    ['does not validate', JSON.stringify({ appName: 'Not Valid' })],
  ])('a configuration that %s fails only itself; deleting it recovers', async (_what, text) => {
    fs.writeFileSync(path.join(wizard(), 'bad.json'), text);
    const failed = await waitForState(preview.url, state => !state.busy && job(state, 'synth.bad')?.status === 'failed');
    expect(job(failed, 'synth.bad')!.error!.message).toContain('bad.json');
    expect(failed.jobs.filter(j => j.name !== 'synth.bad').map(j => [j.name, j.status])).toEqual(
      failed.jobs.filter(j => j.name !== 'synth.bad').map(j => [j.name, 'ok']),
    );
    // A change elsewhere re-runs everything: still only the bad one fails.
    const before = job(failed, 'synth.debug')!.generation;
    fs.appendFileSync(path.join(blueprint, 'static-assets', 'run.sh'), '# touched\n');
    const again = await waitForState(preview.url, state => !state.busy && job(state, 'synth.debug')!.generation > before);
    expect(again.jobs.filter(j => j.status === 'failed').map(j => j.name)).toEqual(['synth.bad']);

    fs.rmSync(path.join(wizard(), 'bad.json'));
    const recovered = await waitForState(preview.url, state => !state.busy && !job(state, 'synth.bad'));
    expect(recovered.jobs.every(j => j.status === 'ok')).toBe(true);
    expect(JSON.stringify(recovered)).not.toContain('bad.json');
  }, 90_000);

  test('/blueprint/ serves the blueprint\'s sources and static assets, nothing else of its folder', async () => {
    const get = async (relative: string) => {
      const response = await fetch(`${preview.url}blueprint/${relative}`);
      return { status: response.status, text: await response.text() };
    };
    expect(await get('src/blueprint.ts')).toMatchObject({ status: 200, text: expect.stringContaining('class Blueprint') });
    expect((await get('static-assets/run.sh')).status).toBe(200);
    for (const refused of ['.git/config', 'node_modules/dep/index.js', 'package.json', 'src/node_modules/x.js', 'static-assets/.git/config']) {
      const { status, text } = await get(refused);
      expect([refused, status]).toEqual([refused, 404]);
      expect(text).toContain('not a source or static asset of the blueprint');
    }
    const leak = await get('src/leak');
    expect(leak.status).toBe(403);
    expect(leak.text).not.toContain('secret');
  });

  test('a second preview on the same port says the port is in use and how to pick another', () => {
    const port = new URL(preview.url).port;
    const second = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth2'), '--port', port]);
    expect(second.stderr).toContain(`blueprint preview: port ${port} on 127.0.0.1 is already in use (another preview?): pick another with --port N, or --port 0 for any free port`);
    expect(second.stderr).not.toContain('EADDRINUSE');
    expect(second.code).toBe(2);
  });
});

describe('a wizard configuration that does not parse when the preview starts', () => {
  test('fails only its own job, with its file and line, and the preview serves the others (as when it breaks later)', async () => {
    const blueprint = copyFixture();
    const wizard = path.join(blueprint, 'src', 'wizard-configurations');
    fs.rmSync(path.join(wizard, 'large.json'));
    fs.writeFileSync(path.join(wizard, 'broken.json'), '{\n  "level": "warn",\n');
    const preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    try {
      const state = await waitForState(preview.url, s => !s.busy && s.jobs.every(j => j.status === 'ok' || j.status === 'failed'), 90_000);
      expect(state.jobs.map(j => [j.name, j.status])).toEqual([['synth.broken', 'failed'], ['synth.debug', 'ok']]);
      expect(state.jobs[0].error!.message).toBe(`${path.join(wizard, 'broken.json')}:3:1: invalid JSON: property name expected`);
      // Fixed, it runs.
      fs.writeFileSync(path.join(wizard, 'broken.json'), '{ "level": "warn" }\n');
      await waitForState(preview.url, allOk, 60_000);
    } finally {
      await preview.stop();
    }
  }, 150_000);
});

describe('a syntax error in the blueprint\'s TypeScript, while the preview runs', () => {
  test('fails every job naming the file, line and column, and fixed, they run again', async () => {
    const blueprint = copyFixture();
    fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
    const source = path.join(blueprint, 'src', 'blueprint.ts');
    const good = fs.readFileSync(source, 'utf8');
    const preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    try {
      await waitForState(preview.url, allOk, 90_000);
      const lines = good.split('\n');
      lines.splice(2, 0, 'const = 3;');
      fs.writeFileSync(source, lines.join('\n'));
      const state = await waitForState(preview.url, s => !s.busy && s.jobs.every(j => j.status === 'failed'), 60_000);
      for (const job of state.jobs) {
        expect(job.error).toMatchObject({ name: 'SyntaxError', location: 'src/blueprint.ts:3:7' });
        expect(job.error!.message).toBe(`${source}:3:7: Unexpected token`);
        expect(job.stale).toBe(true);
        expect(job.ms).toBe(0); // no job ran: not the time of the good run before
      }
      fs.writeFileSync(source, good);
      await waitForState(preview.url, allOk, 60_000);
    } finally {
      await preview.stop();
    }
  }, 200_000);
});

describe('a blueprint that never returns, while the preview runs', () => {
  test('an edit cuts its jobs short and runs them again: fixed, the page shows the new result', async () => {
    const blueprint = copyFixture();
    fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
    const source = path.join(blueprint, 'src', 'blueprint.ts');
    const good = fs.readFileSync(source, 'utf8');
    const preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    try {
      const first = await waitForState(preview.url, allOk, 90_000);
      fs.writeFileSync(source, good.replace(/super\((\w+)\);/, 'super($1);\n    while ($1) { /* never returns */ }'));
      expect(fs.readFileSync(source, 'utf8')).toContain('never returns');
      await waitForState(preview.url, s => s.jobs.every(j => j.status === 'running'), 30_000);
      await new Promise(resolve => setTimeout(resolve, 1_000)); // the jobs are in the loop
      fs.writeFileSync(source, good + '\n// fixed\n');
      const state = await waitForState(preview.url, s => allOk(s) && s.jobs.every(j => j.generation > first.jobs.find(f => f.name === j.name)!.generation), 60_000);
      expect(state.jobs.map(j => j.stale)).toEqual(state.jobs.map(() => false));
      expect(preview.output()).not.toMatch(/FAIL/);
    } finally {
      await preview.stop();
    }
  }, 200_000);
});
