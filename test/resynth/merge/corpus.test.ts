import * as fs from 'fs';
import * as path from 'path';
import { mergeText } from '../../../src/resynth/merge';

const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'merge-corpus');
/** git's exit status is the conflict count, capped. */
const MAX_STATUS = 127;

const cases = fs.readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function read(name: string, file: string): Buffer {
  return fs.readFileSync(path.join(CORPUS, name, file));
}

function expectedStatus(name: string): Record<string, number> {
  const status: Record<string, number> = {};
  for (const line of read(name, 'expected-status').toString('utf8').trim().split('\n')) {
    const [style, count] = line.split(' ');
    status[style] = Number(count);
  }
  return status;
}

describe('merge corpus (expected output from git merge-file 2.39.5)', () => {
  test('has cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  describe.each(cases)('%s', (name) => {
    const ancestor = read(name, 'ancestor');
    const existing = read(name, 'existing');
    const proposed = read(name, 'proposed');
    const status = expectedStatus(name);

    test.each(['merge', 'diff3'] as const)('%s style matches git', (style) => {
      const result = mergeText(ancestor, existing, proposed, { style });
      expect(result.buffer.toString('latin1')).toEqual(read(name, `expected-${style}`).toString('latin1'));
      expect(Math.min(result.conflicts.length, MAX_STATUS)).toBe(status[style]);
    });
  });
});
