import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { read } from './git-fixtures';

/**
 * Journey 91: a project of three repositories changed an option (`--set owner.team=commerce`) with an update in one
 * of them. The others' records kept the old team, and so did their files (the shared library's README named the old
 * team beside the web repository's new one), while the update said nothing of them and check in each said "up to
 * date". Each repository records its own options: the update now says so, naming the repositories that keep theirs.
 */
jest.setTimeout(300_000);

const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { team: string; port: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'web' }), 'README.md', 'Team: ' + options.team + '\\n');
    new SourceFile(new SourceRepository(this, { title: 'lib' }), 'README.md', 'Owned by ' + options.team + '\\n');
    new SourceFile(new SourceRepository(this, { title: 'api' }), 'port.txt', options.port + '\\n');
  }
}
`;

test('an update given new options names the repositories of the project that keep the old ones', () => {
  const work = tempDir('bluesynth-options-elsewhere-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source, { 'src/defaults.json': JSON.stringify({ team: 'retail', port: 8080 }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const web = path.join(work, 'project', 'web');

  const update = runCli(['update', '--set', 'team=commerce', '--json'], { cwd: web });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).warnings).toContain("the options this update changes (team) are recorded in 'web' only: the blueprint's repositories " +
    "'api', 'lib' keep the old values, and are generated from them, until the same update (with the same --set and --options) runs in each");
  expect(read(web, 'README.md')).toBe('Team: commerce\n');
  expect(read(path.join(work, 'project', 'lib'), 'README.md')).toBe('Owned by retail\n');

  // Given the same value again, or no option at all, the update changes no option: nothing to say.
  for (const args of [['--set', 'team=commerce'], []]) {
    const again = runCli(['update', ...args, '--dry-run', '--json'], { cwd: web });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).warnings.filter((w: string) => w.includes('are recorded in'))).toEqual([]);
  }
});
