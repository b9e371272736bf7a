import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** A blueprint whose file name holds terminal commands: set the window's title, ring, clear the screen. */
const ESCAPING_NAME = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export interface Options { name?: string; shout?: boolean; warn?: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    if (options.name) new SourceFile(repo, options.name, 'x\\n');
    if (options.warn) console.log('warning: \\u001b]0;PWNED\\u0007 \\u001b[1mbold\\u001b[0m');
    if (options.shout) {
      console.log('\\u001b[1mbold\\u001b[0m then \\u001b]52;c;cHduZWQ=\\u0007');
      throw new Error('\\u001b]0;PWNED\\u0007\\u001b[2J');
    }
  }
}
`;

const GIT_ENV = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

describe('a file name the blueprint chose, printed by the CLI', () => {
  test('reaches the terminal with its control characters escaped, as git quotes such paths', () => {
    const dir = makeBlueprint(tempDir(), ESCAPING_NAME);
    const project = path.join(tempDir(), 'project');
    expect(runCli(['create', '--blueprint', dir, '--runner', 'sandbox', project], { env: GIT_ENV }).code).toBe(0);
    const name = 'x\u001b]0;PWNED\u0007\u001b[2J\u009b31m.txt';
    const result = runCli(['update', '--runner', 'sandbox', '--set', `name=${name}`], { cwd: path.join(project, 'app'), env: GIT_ENV });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('added      "x\\u001b]0;PWNED\\u0007\\u001b[2J\\u009b31m.txt" (preferProposed)');
    expect(result.output).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  test.each(['synth', 'create'])('what it printed and the error it threw reach the terminal escaped, but for colours (%s)', command => {
    const dir = makeBlueprint(tempDir(), ESCAPING_NAME, { 'src/defaults.json': JSON.stringify({ shout: true }) });
    const args = command === 'synth' ? ['synth', '--options', 'src/defaults.json', '--outdir', 'out'] : ['create', '--blueprint', dir, path.join(tempDir(), 'project')];
    const result = runCli([...args, '--runner', 'sandbox'], { cwd: dir, env: GIT_ENV });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Error: \\u001b]0;PWNED\\u0007\\u001b[2J');
    // a colour stays a colour; anything else that starts with ESC or rings the bell does not reach the terminal
    expect(result.output.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u001b\u0007]/);
  });

  test('the warning it printed in a job that succeeded reaches the terminal escaped, but for colours (create, update, check)', () => {
    const dir = makeBlueprint(tempDir(), ESCAPING_NAME, { 'src/defaults.json': JSON.stringify({ warn: true }) });
    const project = path.join(tempDir(), 'project');
    const repo = path.join(project, 'app');
    const results = [
      runCli(['create', '--blueprint', dir, '--runner', 'sandbox', project], { env: GIT_ENV }),
      runCli(['update', '--runner', 'sandbox', '--set', 'name=x.txt'], { cwd: repo, env: GIT_ENV }),
      runCli(['check', '--runner', 'sandbox'], { cwd: repo, env: GIT_ENV }),
    ];
    for (const result of results) {
      expect(result.output).toContain('\\u001b]0;PWNED\\u0007 \u001b[1mbold\u001b[0m');
      expect(result.output.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u001b\u0007]/);
    }
    expect(results.map(result => result.code)).toEqual([0, 0, 0]);
  });
});
