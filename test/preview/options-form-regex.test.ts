import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { copyFixture, RunningPreview, startPreview, waitForState } from './preview-util';

/**
 * The options form of a blueprint whose @validationRegex does not compile, in headless Chromium: json-editor
 * compiled the option's pattern on every change and threw 'Invalid regular expression', so the form never said
 * why nothing synthesized. It now leaves that pattern out, and the scratch synthesis says what validation says.
 */

const CHROMIUM = '/usr/bin/chromium';
const describeBrowser = fs.existsSync(CHROMIUM) ? describe : describe.skip;
const WAIT_MS = 90_000;

describeBrowser('the options form with a @validationRegex that does not compile', () => {
  let preview: RunningPreview;
  let browser: Browser;

  beforeAll(async () => {
    const blueprint = copyFixture();
    const source = path.join(blueprint, 'src', 'blueprint.ts');
    fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('@validationRegex /^[a-z][a-z0-9-]*$/', '@validationRegex /^[a-z][a-z0-9-*$/'));
    preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(path.dirname(blueprint), 'synth')]);
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    [browser] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] }),
      waitForState(preview.url, state => !state.busy && state.jobs.length > 0 && state.jobs.every(job => job.status === 'failed'), WAIT_MS),
    ]);
  }, 2 * WAIT_MS);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  test('a change runs the scratch synthesis, which names the broken regex; the page throws nothing', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(error.message));
    await page.goto(`${preview.url}#tab=options`);
    await page.waitForSelector('[name="root[greeting]"]');
    await page.fill('[name="root[greeting]"]', 'Hello.');
    await page.press('[name="root[greeting]"]', 'Tab');
    await page.waitForSelector('.run-state:has-text("the @validationRegex itself is invalid")', { timeout: WAIT_MS });
    expect(errors).toEqual([]);
  }, 2 * WAIT_MS);
});
