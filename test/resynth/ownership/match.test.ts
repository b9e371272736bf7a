import {
  codeRule,
  compileGlobs,
  compileOwnerPattern,
  LocalStrategyRefusedError,
  loadOwnershipRules,
  MergeStrategies,
  OwnershipLoadOptions,
  ResynthInputError,
  StrategyMatcher,
  StrategyRegistry,
} from '../../../src/resynth';
import { FileMap } from '../../../src/bundle/file-map';

describe('globs', () => {
  test('* stays within one level, ** crosses levels, dot files are included', () => {
    const star = compileGlobs(['*.ts']);
    expect(star('index.ts')).toBe(true);
    expect(star('src/index.ts')).toBe(false);
    expect(star('.hidden.ts')).toBe(true);
    const deep = compileGlobs(['**/*.ts']);
    expect(deep('index.ts')).toBe(true);
    expect(deep('a/b/.c/index.ts')).toBe(true);
    expect(compileGlobs(['*'])('.ownership-file')).toBe(true);
    expect(compileGlobs(['docs/**'])('docs/.config/x.yml')).toBe(true);
  });

  test('! excludes what earlier globs included; the last matching glob decides', () => {
    const test = compileGlobs(['**/*.ts', '!generated/**', 'generated/keep.ts']);
    expect(test('src/a.ts')).toBe(true);
    expect(test('generated/b.ts')).toBe(false);
    expect(test('generated/keep.ts')).toBe(true);
    expect(test('readme.md')).toBe(false);
    // A negation with nothing before it includes nothing.
    expect(compileGlobs(['!*.md'])('a.ts')).toBe(false);
    expect(compileGlobs([])('a.ts')).toBe(false);
  });

  test('a leading / or ./ anchors at the folder; a trailing / means everything below', () => {
    expect(compileGlobs(['/README.md'])('README.md')).toBe(true);
    expect(compileGlobs(['./README.md'])('README.md')).toBe(true);
    expect(compileGlobs(['docs/'])('docs/a/b.md')).toBe(true);
    expect(compileGlobs(['docs/'])('docs')).toBe(false);
  });

  test('!(...) is an extglob, not a negation', () => {
    const test = compileGlobs(['!(*.md)']);
    expect(test('a.ts')).toBe(true);
    expect(test('a.md')).toBe(false);
  });
});

describe('owners', () => {
  const pkg = { name: '@acme/web-app', version: '1.4.2' };
  test.each([
    ['@acme/web-app', true],
    ['@acme/*', true],
    ['*', true],
    ['@acme/web-app@1.*.*', true],
    ['@acme/web-app@1.4.2', true],
    ['@acme/web-app@2.*.*', false],
    ['@acme/other', false],
    ['@acme/web', false],
    ['@acme/web.app', false], // '.' is literal
    ['@acme/web-ap?', false], // so is '?'
  ])('%s matches: %s', (pattern, expected) => {
    expect(compileOwnerPattern(pattern)(pkg)).toBe(expected);
  });

  test('without a package name nothing matches; without a version only name patterns do', () => {
    expect(compileOwnerPattern('*')({})).toBe(false);
    expect(compileOwnerPattern('@acme/web-app@*')({ name: '@acme/web-app' })).toBe(false);
    expect(compileOwnerPattern('@acme/web-app')({ name: '@acme/web-app' })).toBe(true);
  });
});

describe('StrategyMatcher', () => {
  const rule = (folder: string, id: string, globs: string[], source: 'code' | 'ownership-file' = 'code') => ({
    ...codeRule(folder, { identifier: id, strategy: MergeStrategies.neverUpdate, globs }),
    source,
  });

  test('the nearest folder with a match wins, then the last matching entry there', () => {
    const matcher = new StrategyMatcher().add(
      rule('src/web', 'repo-all', ['**']),
      rule('src/web', 'repo-md', ['**/*.md']),
      rule('src/web/docs', 'docs-yml', ['*.yml']),
    );
    expect(matcher.match('src/web/docs/guide.md')?.id).toBe('repo-md'); // docs/ has entries, none matches
    expect(matcher.match('src/web/docs/site.yml')?.id).toBe('docs-yml');
    expect(matcher.match('src/web/index.ts')?.id).toBe('repo-all');
    expect(matcher.match('src/api/index.ts')).toBeUndefined();
  });

  test('entries added later in a folder (the ownership file\'s) beat earlier ones (the code\'s)', () => {
    const matcher = new StrategyMatcher().add(rule('src/web', 'from-code', ['*']), rule('src/web', 'from-file', ['*'], 'ownership-file'));
    expect(matcher.match('src/web/a.txt')?.id).toBe('from-file');
    expect(matcher.match('src/web/sub/a.txt')).toBeUndefined(); // '*' is one level
  });

  test('globs are relative to the folder; the bundle root is folder ""', () => {
    const matcher = new StrategyMatcher().add(rule('', 'root', ['src/*/README.md']));
    expect(matcher.match('src/web/README.md')?.id).toBe('root');
    expect(matcher.match('src/web/docs/README.md')).toBeUndefined();
  });
});

describe('loadOwnershipRules', () => {
  const OWNER = { name: '@acme/web-app', version: '1.4.2' };
  const bundle = (files: Record<string, string>): FileMap => new Map(Object.entries(files).map(([p, t]) => [p, { buffer: Buffer.from(t) }]));
  const load = (files: Record<string, string>, options: Partial<OwnershipLoadOptions> = {}) => {
    const warnings: string[] = [];
    const rules = loadOwnershipRules(bundle(files), { registry: StrategyRegistry.create(), owner: OWNER, warn: w => warnings.push(w), ...options });
    return { rules: rules.map(r => ({ id: r.id, folder: r.folder, declaredAt: r.declaredAt, globs: r.globs })), warnings, functions: rules.map(r => r.strategy) };
  };

  test('reads every .ownership-file under src/, in path order, keeping the entries of this blueprint\'s owners', () => {
    const { rules, warnings } = load({
      'src/web/.ownership-file': '[neverUpdate] @acme/*\nREADME.md\n\n[alwaysUpdate] someone-else\n*\n',
      'src/web/docs/.ownership-file': '[onlyAdd] @acme/web-app@1.*.*\n*.md\n',
      'src/web/not.ownership-file': '[neverUpdate] @acme/web-app\n*\n',
      'environments/.ownership-file': '[neverUpdate] @acme/web-app\n*\n',
    });
    expect(rules).toEqual([
      { id: 'neverUpdate', folder: 'src/web', declaredAt: 'src/web/.ownership-file:1', globs: ['README.md'] },
      { id: 'onlyAdd', folder: 'src/web/docs', declaredAt: 'src/web/docs/.ownership-file:1', globs: ['*.md'] },
    ]);
    expect(warnings).toEqual([]);
  });

  test('an ownership file that is a symbolic link is refused by name (its blob, the target, is no entry)', () => {
    const files: FileMap = new Map([['src/web/.ownership-file', { buffer: Buffer.from('../shared/ownership'), mode: 0o120000 }]]);
    expect(() => loadOwnershipRules(files, { registry: StrategyRegistry.create(), owner: OWNER, warn: () => undefined })).toThrow(
      new ResynthInputError("src/web/.ownership-file: a symbolic link (to '../shared/ownership'); an ownership file must be a regular file"),
    );
  });

  test('an unknown id under this blueprint\'s owner is a warning naming file and line; under another owner it is silent', () => {
    const { rules, warnings } = load({
      'src/web/.ownership-file': '[neverUpdate] @acme/web-app\n*\n\n[mystery] @acme/web-app\n*.md\n[mystery] other\n*\n',
    });
    expect(rules.map(r => r.id)).toEqual(['neverUpdate', 'threeWayMerge']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^src\/web\/\.ownership-file:4: unknown merge strategy 'mystery' for owner '@acme\/web-app'; its files are merged with threeWayMerge instead/);
  });

  test('ids registered in code work; an unknown id whose comment names a built-in uses that built-in', () => {
    const custom = () => undefined;
    const registry = StrategyRegistry.create({ 'src/web': [{ identifier: 'keep_docs', strategy: custom, globs: [] }] });
    const { rules, functions, warnings } = load(
      { 'src/web/.ownership-file': '[keep_docs] @acme/web-app\ndocs/**\n[never_update] @acme/web-app\n# Internal merge strategy: neverUpdate\n*\n' },
      { registry },
    );
    expect(rules.map(r => r.id)).toEqual(['keep_docs', 'never_update']);
    expect(functions).toEqual([custom, MergeStrategies.neverUpdate]);
    expect(warnings).toEqual([]);
  });

  test('without a package name, entries are ignored with one warning', () => {
    const { rules, warnings } = load({ 'src/web/.ownership-file': '[neverUpdate] @acme/web-app\n*\n' }, { owner: {} });
    expect(rules).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/1 ownership-file entries ignored: no blueprint package name/)]);
  });

  test('a malformed file is an error naming it and the line', () => {
    expect(() => load({ 'src/web/docs/.ownership-file': '\n*.md\n' })).toThrow(/^src\/web\/docs\/\.ownership-file:2: glob '\*\.md' comes before/);
  });

  test('[local] entries are refused unless allowed, naming the file and line; how to allow them is the caller\'s to say', () => {
    const files = { 'src/web/.ownership-file': '[neverUpdate] @acme/web-app\n*\n[local] ./merge.sh %A %O %B\n*.json\n' };
    const refusal = (options: Partial<OwnershipLoadOptions>) => {
      try {
        load(files, options);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const error = refusal({});
    expect(error).toBeInstanceOf(LocalStrategyRefusedError);
    expect((error as Error).message).toMatch(/^src\/web\/\.ownership-file:3: refused to run the local merge command '\.\/merge\.sh %A %O %B': .*was not allowed$/);
    // this layer knows no command line: the CLI's words come in as an option, and end the message
    expect((error as Error).message).not.toContain('--');
    expect((refusal({ howToAllowLocal: 'pass --allow-local-strategies-run-commands' }) as Error).message).toMatch(/was not allowed; pass --allow-local-strategies-run-commands$/);
    expect(load(files, { allowLocal: true }).rules.map(r => r.id)).toEqual(['neverUpdate', 'local']);
  });

  test('a [local] command of the wrong shape is rejected even when allowed', () => {
    expect(() => load({ 'src/web/.ownership-file': '[local] $(rm -rf ~) %A\n*\n' }, { allowLocal: true })).toThrow(ResynthInputError);
    expect(() => load({ 'src/web/.ownership-file': '[local] $(rm -rf ~) %A\n*\n' }, { allowLocal: true })).toThrow(/:1: rejected unsafe local merge command/);
  });
});
