import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** A blueprint that takes what it can: memory without end, or a stack without end. */
const GREEDY = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
    if (options.attempt === 'memory') {
      const kept: number[][] = [];
      for (;;) kept.push(new Array(1e5).fill(kept.length));
    }
    if (options.attempt === 'huge-file') {
      // A sparse file: 3 GiB long, and no bytes on disk, until something copies it.
      const file = require('path').join(this.outdir, 'huge.bin');
      require('fs').mkdirSync(this.outdir, { recursive: true });
      require('fs').writeFileSync(file, '');
      require('fs').truncateSync(file, 3 * 2 ** 30);
    }
    if (options.attempt === 'recursion') {
      const deeper = (depth: number): number => deeper(depth + 1) + 1;
      deeper(0);
    }
  }
}
`;

function synth(dir: string, attempt: string, runner: string) {
  fs.writeFileSync(path.join(dir, 'attempt.json'), JSON.stringify({ attempt }));
  // A small heap, so that running out of it takes a moment: the job process's (in the command's own process, the
  // blueprint's memory would be the command's).
  return runCli(['synth', '--options', 'attempt.json', '--outdir', 'out', '--runner', runner, '--isolation', 'process'], { cwd: dir, env: { BLUESYNTH_JOB_NODE_ARGS: '--max-old-space-size=48' } });
}

describe('a blueprint that exhausts its process', () => {
  test.each(['sandbox', 'fast'])('out of memory (--runner %s): the job fails saying so, and leaves no bundle', runner => {
    const dir = makeBlueprint(tempDir(), GREEDY);
    const result = synth(dir, 'memory', runner);
    expect(result.output).toContain('JobError: the blueprint ran out of memory: its JavaScript heap reached the limit of its process');
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.attempt'))).toBe(false);
  });

  test('without end in recursion: the job fails at the blueprint\'s line, and leaves no bundle', () => {
    const dir = makeBlueprint(tempDir(), GREEDY);
    const result = synth(dir, 'recursion', 'sandbox');
    expect(result.output).toContain('RangeError: Maximum call stack size exceeded');
    expect(result.output).toContain('at src/index.ts:');
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.attempt'))).toBe(false);
  });

  test.each(['sandbox', 'fast'])('a file larger than the framework reads (--runner %s): the job fails naming it, and no bundle is left (nor copied into a resynthesis)', runner => {
    const dir = makeBlueprint(tempDir(), GREEDY);
    fs.writeFileSync(path.join(dir, 'attempt.json'), JSON.stringify({ attempt: 'huge-file' }));
    const result = runCli(['resynth', '--options', 'attempt.json', '--outdir', 'out', '--runner', runner], { cwd: dir });
    expect(result.output).toContain("JobError: the blueprint wrote files larger than a bundle file may be (2147483647 bytes, the most the framework reads whole): 'huge.bin' (3.0 GiB)");
    expect(result.code).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'out', 'resynth.attempt')).filter(name => name.endsWith('-bundle'))).toEqual([]);
  });
});
