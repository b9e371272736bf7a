import { execFileSync } from 'child_process';
import * as path from 'path';
import { ROOT } from '../util';

/** The packages (under node_modules/) that loading the built module `file` loads, by name. */
function packagesLoadedBy(file: string): string[] {
  const script = `require(${JSON.stringify(file)});
    const files = Object.keys(require.cache).filter(f => f.includes('/node_modules/'));
    console.log(JSON.stringify([...new Set(files.map(f => f.split('/node_modules/').pop().split('/')[0]))]));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

// Every update and create pays for what its command loads before it starts: what only one kind of blueprint source
// (or file) needs waits until that source is asked (or the file is there).
test.each(['update', 'create'])('the %s command loads semver and yaml only when a source needs them', command => {
  const loaded = packagesLoadedBy(path.join(ROOT, 'lib', 'cli', 'commands', `${command}.js`));
  expect(loaded).toContain('picomatch'); // packages are seen loaded, so the check below means something
  expect(loaded).not.toContain('semver');
  // Only a pnpm monorepo's git source reads YAML (pnpm-workspace.yaml), and create only the workflows it made.
  expect(loaded).not.toContain('yaml');
});
