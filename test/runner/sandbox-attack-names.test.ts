import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** A blueprint that names a file longer than any file system takes (NAME_MAX, 255 bytes). */
const LONG_NAME = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    new SourceFile(repo, 'docs/' + 'é'.repeat(130) + '.md', 'x');
  }
}
`;

/** A blueprint that names a file whose path, 20 folders of 250 bytes, is longer than any path Linux takes (PATH_MAX). */
const LONG_PATH = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    new SourceFile(repo, Array.from({ length: 20 }, (_, i) => String(i).padEnd(250, 'x')).join('/') + '/f.txt', 'x');
  }
}
`;

describe('a file name longer than a file system takes', () => {
  test.each(['sandbox', 'fast'])('fails the job (--runner %s) at the component that named it, in a message of a few lines; no bundle is left', runner => {
    const dir = makeBlueprint(tempDir(), LONG_NAME);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', runner], { cwd: dir });
    expect(result.output).toContain(`InputError: SourceFile in repository 'app': path "docs/${'é'.repeat(35)}...${'é'.repeat(9)}.md" holds a name of 263 bytes`);
    expect(result.output).toContain('at src/index.ts:8:');
    expect(result.output.length).toBeLessThan(1000);
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults'))).toBe(false);
  });

  test('a path longer than Linux takes (PATH_MAX) fails the job at the component that named it; no bundle is left', () => {
    const dir = makeBlueprint(tempDir(), LONG_PATH);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.output).toContain(`InputError: SourceFile in repository 'app': path "0${'x'.repeat(39)}...${'x'.repeat(6)}/f.txt" is 5025 bytes long, longer than the 4095 bytes a path may have`);
    expect(result.output).not.toContain('ENAMETOOLONG');
    expect(result.output.length).toBeLessThan(1000);
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults'))).toBe(false);
  });
});
