import * as fs from 'fs';
import * as path from 'path';
import { openBrowser } from '../../src/preview/serve';
import { tempDir } from '../util';

/**
 * `preview --open` on a machine with no desktop: xdg-open is installed but finds no browser and exits 3. The
 * preview said nothing then (only an opener that could not be started was reported), so the user waited for a
 * page that never came. Each case puts a stand-in `xdg-open` first on PATH.
 */
const linux = process.platform === 'linux' ? describe : describe.skip;

linux('openBrowser', () => {
  const savedPath = process.env.PATH;
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    jest.restoreAllMocks();
  });

  function opener(exitCode: number): void {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nexit ${exitCode}\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
  }

  test('an opener that finds no browser is reported, with the address to open', async () => {
    opener(3);
    expect(await openBrowser('http://127.0.0.1:4700/')).toBe(false);
    expect(errors).toEqual(['could not open a browser (xdg-open exited with 3): open http://127.0.0.1:4700/ yourself']);
  });

  test('an opener that hands the page on says nothing', async () => {
    opener(0);
    expect(await openBrowser('http://127.0.0.1:4700/')).toBe(true);
    expect(errors).toEqual([]);
  });

  test('no opener at all is reported', async () => {
    process.env.PATH = tempDir();
    expect(await openBrowser('http://127.0.0.1:4700/')).toBe(false);
    expect(errors).toEqual(['could not open a browser (xdg-open did not run): open http://127.0.0.1:4700/ yourself']);
  });
});
