import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * Calls Node 20's permission model does not check, each of which writes a file the sandbox never granted: a
 * V8 flag that makes V8 write the source of the functions it optimises into any file, and a trace that Node
 * writes into the working directory (the blueprint folder).
 */
const ATTEMPTS = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    if (options.attempt === 'v8-flags') {
      const v8 = require('v8');
      v8.setFlagsFromString('--redirect-code-traces-to=' + options.outside);
      v8.setFlagsFromString('--redirect-code-traces');
      v8.setFlagsFromString('--print-opt-source');
      // The source of every function V8 optimises lands in the file: a payload for a shell that reads it.
      const payload = (x: { a: number }) => /*
echo planted by the blueprint
*/ x.a + 1;
      let sum = 0;
      for (let i = 0; i < 3e6; i++) sum += payload({ a: i });
      new SourceFile(repo, 'sum.txt', String(sum));
    }
    if (options.attempt === 'addon') process.dlopen({ exports: {} } as any, require('path').join(process.cwd(), 'addon.node'));
    if (options.attempt === 'wasi') new (require('wasi').WASI)({ version: 'preview1' });
    if (options.attempt === 'inspector') require('inspector').open(0);
    if (options.attempt === 'binding') (process as any).binding('spawn_sync');
    if (options.attempt === 'trace') {
      const tracing = require('trace_events').createTracing({ categories: ['node.perf'] });
      tracing.enable();
      tracing.disable();
    }
  }
}
`;

function synth(dir: string, options: Record<string, unknown>) {
  fs.writeFileSync(path.join(dir, 'attempt.json'), JSON.stringify(options));
  return runCli(['synth', '--options', 'attempt.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: dir });
}

describe('a sandboxed blueprint and the calls the permission model does not check', () => {
  test('v8.setFlagsFromString is refused: V8 would write the blueprint\'s text into a file outside the sandbox', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const outside = path.join(tempDir(), 'profile.sh');
    const result = synth(dir, { attempt: 'v8-flags', outside });
    expect(result.output).toContain('SandboxError: the sandbox refused the call (v8.setFlagsFromString() is refused in the sandbox');
    expect(result.output).toContain('at src/index.ts:');
    expect(result.code).toBe(1);
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.attempt'))).toBe(false);
  });

  test('trace_events.createTracing is refused: Node would write its trace into the blueprint folder', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const before = fs.readdirSync(dir).sort();
    const result = synth(dir, { attempt: 'trace' });
    expect(result.output).toContain('SandboxError: the sandbox refused the call (trace_events.createTracing() is refused in the sandbox');
    expect(result.code).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([...before, 'attempt.json', 'out'].sort());
  });

  test.each([
    ['addon', 'loading a native add-on'],
    ['wasi', 'starting a WASI instance'],
    ['inspector', 'opening the inspector'],
    ['binding', 'the call (process.binding)'],
  ])('%s is refused, and said as the sandbox\'s refusal', (attempt, words) => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS, { 'addon.node': 'not an add-on' });
    const result = synth(dir, { attempt });
    expect(result.output).toContain(`SandboxError: the sandbox refused ${words}`);
    expect(result.output).toContain('at src/index.ts:');
    expect(result.code).toBe(1);
  });
});
