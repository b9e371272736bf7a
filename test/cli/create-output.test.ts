import { execFileSync } from 'child_process';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** What `blueprint create` says about the parts of a bundle it does not make repositories or branches of. */
describe('blueprint create, what it does not apply', () => {
  const blueprint = (body: string) => makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Difference, PullRequest, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const web = new SourceRepository(this, { title: 'web-app' });
    ${body}
  }
}`);

  test('a pull request the blueprint proposes: named, with where it went, and no branch made for it', () => {
    const dir = blueprint(`
    new SourceFile(web, 'README.md', 'web\\\\n');
    const license = new Difference(web, 'add-license');
    license.addPatch('LICENSE', 'diff --git a/LICENSE b/LICENSE\\\\n');
    new PullRequest(this, 'add-license', { title: 'Add a license', description: 'MIT', changes: [license] });`);
    const project = path.join(tempDir(), 'p');
    const result = runCli(['create', '--blueprint', dir, project]);
    expect(result.code === 0 ? '' : result.output).toBe('');
    expect(result.stdout).toContain(
      `${path.join(project, 'project-bundle', 'pull-request')}/  1 pull request the blueprint proposes (add-license), with its changes in src-diffs/: not applied, and no branch made for it`,
    );
    const branches = execFileSync('git', ['branch', '--format=%(refname:short)'], { cwd: path.join(project, 'web-app'), encoding: 'utf8' });
    expect(branches.trim().split('\n')).toHaveLength(1);
  });

  test('a repository the blueprint writes no file into: the refusal says why there is none', () => {
    const dir = blueprint('void web;');
    const project = path.join(tempDir(), 'p');
    const result = runCli(['create', '--blueprint', dir, project]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the blueprint generated no source repository (nothing under src/ of its bundle; a SourceRepository it writes no file into is not in the bundle: give it a file)');
  });
});
