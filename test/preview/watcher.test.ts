import * as fs from 'fs';
import * as path from 'path';
import { allOk, copyFixture, RunningPreview, startPreview, waitForState } from './preview-util';

/** What `blueprint preview` says as it follows the blueprint's files: a running preview, its files edited and deleted. */
describe('blueprint preview watching a blueprint', () => {
  let preview: RunningPreview | undefined;
  afterEach(async () => {
    await preview?.stop();
    preview = undefined;
  });

  test('a wizard configuration deleted leaves the list and is said to, not to be re-run; one edited is re-run', async () => {
    const blueprint = copyFixture();
    fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
    fs.writeFileSync(path.join(blueprint, 'src', 'wizard-configurations', 'extra.json'), '{}');
    preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    await waitForState(preview.url, state => allOk(state) && state.jobs.length === 2, 60_000);

    fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'extra.json'));
    await waitForState(preview.url, state => !state.busy && state.jobs.map(job => job.name).join() === 'synth.debug', 60_000);
    const removed = path.join('src', 'wizard-configurations', 'extra.json');
    expect(preview.output()).toContain(`  removed ${removed}: extra leaves the preview`);
    expect(preview.output()).not.toContain(`re-running extra`);

    const debug = path.join(blueprint, 'src', 'wizard-configurations', 'debug.json');
    fs.writeFileSync(debug, fs.readFileSync(debug, 'utf8').replace(/\s*$/, '\n'));
    const until = Date.now() + 30_000;
    while (!preview.output().includes('re-running debug') && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 100));
    expect(preview.output()).toContain(`  change ${path.join('src', 'wizard-configurations', 'debug.json')}: re-running debug`);
  }, 120_000);
});
