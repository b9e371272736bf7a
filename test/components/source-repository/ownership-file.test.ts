import * as fs from 'fs';
import * as path from 'path';
import { BlueprintOwnershipFile, MergeStrategies, SourceRepository } from '../../../src';
import { synthInProcess } from '../../synth-util';
import { runCli, tempDir, writeTree } from '../../util';

describe('BlueprintOwnershipFile refuses entries the file cannot express', () => {
  const entry = { identifier: 'docs', strategy: MergeStrategies.neverUpdate, globs: ['docs/**'] };

  test.each([
    ['a misspelt MergeStrategies member (undefined)', { ...entry, strategy: undefined }, /strategy 'docs': strategy is undefined, not a function/],
    ['a strategy given by name', { ...entry, strategy: 'neverUpdate' }, /strategy 'docs': strategy is string, not a function/],
    ['a glob given as a string', { ...entry, globs: 'docs/**' }, /strategy 'docs': globs must be a list of globs/],
    ['a glob with a line break', { ...entry, globs: ['docs/**\nREADME.md'] }, /globs must be a list of globs/],
    ['an identifier with a bracket', { ...entry, identifier: 'a]b' }, /identifier "a\]b" must be text on one line/],
    ['an empty identifier', { ...entry, identifier: ' ' }, /identifier " " must be text on one line/],
    ['an owner with a blank', { ...entry, owner: 'my blueprint' }, /owner "my blueprint" must be a package name/],
  ])('%s', (_, strategy, message) => {
    expect(() => synthInProcess(bp => {
      new BlueprintOwnershipFile(new SourceRepository(bp, { title: 'service' }), { resynthesis: { strategies: [strategy as any] } });
    })).toThrow(message);
  });

  test('a good entry is written as before, a nameless function as custom', () => {
    const { tree } = synthInProcess(bp => {
      new BlueprintOwnershipFile(new SourceRepository(bp, { title: 'service' }), {
        resynthesis: { strategies: [{ ...entry, owner: 'me' }, { identifier: 'mine', owner: 'me', strategy: [(a: any) => a][0], globs: ['src/**'] }] },
      });
    });
    expect(tree['src/service/.ownership-file']).toBe('[docs] me\n# Internal merge strategy: neverUpdate\ndocs/**\n\n[mine] me\n# Internal merge strategy: custom\nsrc/**\n');
  });

  test('the CLI fails the job, naming the file and the entry, and writes no bundle', () => {
    const dir = tempDir();
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'typo-blueprint', version: '1.0.0' }),
      'src/defaults.json': '{}',
      'src/index.ts': [
        "import { Blueprint as ParentBlueprint, Options as ParentOptions, BlueprintOwnershipFile, MergeStrategies, SourceRepository } from 'bluesynth';",
        'export interface Options extends ParentOptions {}',
        'export class Blueprint extends ParentBlueprint {',
        '  constructor(options: Options) {',
        '    super(options);',
        "    const repository = new SourceRepository(this, { title: 'service' });",
        "    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [{ identifier: 'docs', strategy: (MergeStrategies as any).nevrUpdate, globs: ['docs/**'] }] } });",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'src', 'defaults.json'), '--outdir', path.join(dir, 'synth')]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("BlueprintOwnershipFile '.ownership-file': strategy 'docs': strategy is undefined, not a function");
    expect(result.output).toContain('src/index.ts:7');
    expect(fs.existsSync(path.join(dir, 'synth', 'synth.defaults', 'proposed-bundle'))).toBe(false);
  });
});
