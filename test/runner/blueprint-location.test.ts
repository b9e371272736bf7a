import * as fs from 'fs';
import * as path from 'path';
import { blueprintLocation } from '../../src/runner/blueprint-job';
import { tempDir } from '../util';

/**
 * A failure is shown at the blueprint's own line, its dependencies' frames skipped. A package installed from a
 * registry lives inside node_modules itself (the cache's install folder): its frames were all taken for a
 * dependency's, and its failures were shown at no line.
 */

/** The stack of an error thrown by `lib/blueprint.js` of a package at `dir`, called from a dependency of it. */
function stackFrom(dir: string): string {
  fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', 'helper'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'helper', 'index.js'), 'exports.call = (f) => f();\n');
  fs.writeFileSync(path.join(dir, 'lib', 'blueprint.js'), [
    "const helper = require('../node_modules/helper');",
    'exports.run = () => helper.call(() => {',
    '  const options = {};',
    '  return options.code.alarmEmail;',
    '});',
    '',
  ].join('\n'));
  try {
    require(path.join(dir, 'lib', 'blueprint.js')).run();
  } catch (error) {
    return (error as Error).stack!;
  }
  throw new Error('the blueprint did not throw');
}

test('a blueprint folder inside node_modules (an installed package) is located at its own line', () => {
  const dir = path.join(tempDir('bluesynth-location-'), 'node_modules', '@amazon-codecatalyst', 'blueprints.x');
  expect(blueprintLocation(stackFrom(dir), dir)).toBe(path.join('lib', 'blueprint.js') + ':4:23');
});

test('a frame in the blueprint\'s own dependencies is still skipped', () => {
  const dir = path.join(tempDir('bluesynth-location-'), 'bp');
  const stack = stackFrom(dir);
  const helperFrame = stack.split('\n').find(line => line.includes(`${path.sep}helper${path.sep}index.js`));
  expect(helperFrame).toBeDefined();
  // Only the dependency's frame: no location.
  expect(blueprintLocation(`Error: x\n${helperFrame}`, dir)).toBeUndefined();
  expect(blueprintLocation(stack, dir)).toBe(path.join('lib', 'blueprint.js') + ':4:23');
});

describe('a frame in a file with a linked source map (FILE.map)', () => {
  /** `lib/index.js` of a blueprint at `dir`, its line 1 mapped (VLQ `AAGA`) to line 4, column 1 of `source`. */
  function mapped(source: string): { dir: string; stack: string } {
    const dir = path.join(tempDir('bluesynth-location-map-'), 'bp');
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'index.js'), 'throw new Error("x");\n//# sourceMappingURL=index.js.map\n');
    fs.writeFileSync(path.join(dir, 'lib', 'index.js.map'), JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAGA' }));
    return { dir, stack: `Error: x\n    at Object.<anonymous> (${path.join(dir, 'lib', 'index.js')}:1:1)` };
  }

  test('is shown where the map leads, in the blueprint\'s own source (a --cache build)', () => {
    const { dir, stack } = mapped('../src/index.ts');
    expect(blueprintLocation(stack, dir)).toBe('src/index.ts:4:1');
  });

  test('is shown as it is when the map leads out of the blueprint folder (sources a package did not ship)', () => {
    const { dir, stack } = mapped('../../../elsewhere/src/index.ts');
    expect(blueprintLocation(stack, dir)).toBe('lib/index.js:1:1');
  });
});
