import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { greetingBlueprint } from '../project/git-fixtures';
import { CLI, tempDir } from '../util';

/**
 * An options file that is a pipe (`--options /dev/stdin`, a shell's `<(...)`) gives its text once; a run reads
 * its options file more than once (merged, then validated, then recorded), and the later reads found it empty:
 * "invalid JSON: value expected" at 1:1 for valid JSON.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-options-pipe-');
// With an Options interface, so that validation runs and names the file each value came from.
const blueprint = greetingBlueprint(path.join(work, 'greeting'), 'greeting');

/**
 * Runs the CLI as a child process with `input` piped to its stdin through a shell, as a user does: Node's own
 * `input` option makes stdin a socket, which /dev/stdin cannot be opened on.
 */
function runWithStdin(args: string[], input: string, cwd = work) {
  const command = `printf '%s' "$INPUT" | ${[process.execPath, CLI, ...args].map(arg => JSON.stringify(arg)).join(' ')}`;
  const result = spawnSync('bash', ['-c', command], { cwd, env: { ...process.env, INPUT: input }, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr, output: result.stdout + result.stderr };
}

test('synth --options /dev/stdin runs the JSON piped in', () => {
  const result = runWithStdin(['synth', '--blueprint', blueprint, '--options', '/dev/stdin', '--outdir', 'out-stdin'], '{"greeting": "piped"}');
  expect(result.output).not.toContain('invalid JSON');
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(work, 'out-stdin/synth.stdin/proposed-bundle/src/greeting/hello.txt'), 'utf8')).toBe('piped\n');
});

test('a value the schema refuses is blamed on the pipe, which was read only once', () => {
  const result = runWithStdin(['synth', '--blueprint', blueprint, '--options', '/dev/stdin', '--outdir', 'out-invalid'], '{"greeting": 3}');
  expect(result.stderr).toContain('error: /dev/stdin: $.greeting: type: must be string, got number 3');
  expect(result.code).toBe(1);
});

test("a shell's process substitution <(...) works as an options file", () => {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} synth --blueprint ${JSON.stringify(blueprint)} --options <(echo '{"greeting": "substituted"}') --outdir out-substituted`;
  const result = spawnSync('bash', ['-c', command], { cwd: work, encoding: 'utf8' });
  expect(result.stderr).not.toContain('invalid JSON');
  expect(result.status).toBe(0);
  const [job] = fs.readdirSync(path.join(work, 'out-substituted')).filter(name => name.startsWith('synth.'));
  expect(fs.readFileSync(path.join(work, 'out-substituted', job, 'proposed-bundle/src/greeting/hello.txt'), 'utf8')).toBe('substituted\n');
});

test('create --options /dev/stdin records the values piped in', () => {
  const project = path.join(work, 'project');
  const result = runWithStdin(['create', '--blueprint', blueprint, '--options', '/dev/stdin', project], '{"greeting": "created"}');
  expect(result.output).not.toContain('invalid JSON');
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(project, 'greeting/hello.txt'), 'utf8')).toBe('created\n');
});
