import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * A folder resynthesis (`resynth`, the SDK's model: no history, so no renames followed) where the blueprint
 * renames `README.md` to `readme.md` and the project edited `README.md`: the report says the edited file is gone.
 */
jest.setTimeout(120_000);

test('resynth says a project-edited README.md the blueprint renamed to readme.md is deleted, not that its lines were replaced', () => {
  const work = tempDir('bluesynth-paths-resynth-case-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { variant: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), options.variant === 'v2' ? 'readme.md' : 'README.md', 'one\\ntwo\\nthree\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ variant: 'v1' }) });
  fs.writeFileSync(path.join(work, 'prior.json'), JSON.stringify({ variant: 'v1' }));
  fs.writeFileSync(path.join(work, 'new.json'), JSON.stringify({ variant: 'v2' }));
  fs.mkdirSync(path.join(work, 'existing', 'src', 'app'), { recursive: true });
  fs.writeFileSync(path.join(work, 'existing', 'src', 'app', 'README.md'), 'one\nTWO\nthree\n');

  const resynth = runCli(['resynth', '--blueprint', blueprint, '--options', 'new.json', '--prior-options', 'prior.json', '--existing-bundle', 'existing', '--outdir', 'out'], { cwd: work });
  expect(resynth.code).toBe(0);
  expect(resynth.stdout).toContain("overridden: src/app/README.md (deleted with the project's edits, as the blueprint no longer generates it)");
  expect(fs.readdirSync(path.join(work, 'out', 'resynth.new', 'resolved-bundle', 'src', 'app'))).toEqual(['readme.md']);
});
