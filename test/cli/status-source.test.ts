import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

const SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'notes.txt', 'intro\\n');
  }
}
`;

test('status names a folder source once: its revision is the folder itself, not repeated in parentheses', () => {
  const work = tempDir('bluesynth-status-source-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const status = runCli(['status'], { cwd: path.join(work, 'project', 'app') });
  expect(status.code).toBe(0);
  const line = status.stdout.split('\n').find(text => text.trimStart().startsWith('source'));
  expect(line?.trim()).toBe(`source    ${blueprint}`);
});
