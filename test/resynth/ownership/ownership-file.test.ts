import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { BlueprintOwnershipFile } from '../../../src/components/source-repository/ownership-file';
import {
  MergeStrategies,
  Ownership,
  OwnershipEntry,
  OwnershipFileSyntaxError,
  parseOwnershipFile,
  parseOwnershipFileWithLines,
  serializeOwnershipFile,
  serializeStrategies,
  Strategy,
} from '../../../src/resynth';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'ownership');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const OWNER = '@acme-blueprints/web-app';

describe('parsing', () => {
  test('a file in the SDK layout', () => {
    expect(parseOwnershipFileWithLines(fixture('multiple.ownership'))).toEqual([
      { line: 1, globLines: [3, 4], entry: { identifier: 'keep_mine', owner: OWNER, implementation: 'neverUpdate', globs: ['*', '*.md'] } },
      {
        line: 6,
        globLines: [9],
        entry: { identifier: 'refresh', owner: OWNER, description: 'Files the blueprint owns outright', implementation: 'alwaysUpdate', globs: ['*.lock'] },
      },
    ]);
  });

  test('comments, blank lines, CRLF, a BOM and surrounding blanks are ignored', () => {
    const text = '\uFEFF# header comment\r\n\r\n  [a] x  \r\n\t*.ts \r\n# between globs: ignored\r\n\r\n*.js\r\n';
    expect(parseOwnershipFile(text)).toEqual([{ identifier: 'a', owner: 'x', globs: ['*.ts', '*.js'] }]);
  });

  test('a bracket line that reads as a character class is a glob', () => {
    expect(parseOwnershipFile('[a] o\n[ab]*.txt\n[0-9]/**\n')).toEqual([{ identifier: 'a', owner: 'o', globs: ['[ab]*.txt', '[0-9]/**'] }]);
  });

  test('an owner may contain blanks (a [local] entry\'s command)', () => {
    expect(parseOwnershipFile('[local] ./merge.sh %A %O %B\n*.json\n')).toEqual([
      { identifier: 'local', owner: './merge.sh %A %O %B', globs: ['*.json'] },
    ]);
  });

  test('an entry without globs is kept (it matches nothing)', () => {
    expect(parseOwnershipFile('[a] o\n[b] o\n*\n')).toEqual([
      { identifier: 'a', owner: 'o', globs: [] },
      { identifier: 'b', owner: 'o', globs: ['*'] },
    ]);
  });

  test.each([
    ['missing-owner.ownership', 1, /strategy header '\[keep_mine\]' has no owner/],
    ['missing-owner-later.ownership', 3, /strategy header '\[threeWayMerge\]' has no owner/],
    ['unclosed-bracket.ownership', 1, /unclosed '\['/],
    ['glob-before-header.ownership', 3, /glob 'README.md' comes before any/],
    ['empty-id.ownership', 3, /empty strategy id/],
    ['owner-with-comment.ownership', 2, /the owner 'my-blueprint # keep ours' holds a blank: .* a '#' comment needs a line of its own/],
  ])('invalid/%s: an error naming the file and line %d', (name, line, message) => {
    const file = `src/web/${name}`;
    let error: unknown;
    try {
      parseOwnershipFile(fixture(`invalid/${name}`), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OwnershipFileSyntaxError);
    expect((error as Error).message).toMatch(new RegExp(`^src/web/${name.replace('.', '\\.')}:${line}: `));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).name).toBe('InputError');
  });
});

describe('serializing', () => {
  test('the SDK layout, byte for byte: header, description, implementation comment, globs, blank line between entries', () => {
    const strategies: Strategy[] = [
      { identifier: 'keep_mine', globs: ['*', '*.md'], strategy: MergeStrategies.neverUpdate },
      { identifier: 'refresh', description: 'Files the blueprint owns outright', globs: ['*.lock'], strategy: MergeStrategies.alwaysUpdate },
    ];
    expect(serializeStrategies(strategies, OWNER)).toBe(fixture('multiple.ownership'));
    expect(serializeStrategies(strategies.slice(0, 1).map(s => ({ ...s, globs: ['*'] })), OWNER)).toBe(fixture('single.ownership'));
  });

  test('an explicit owner wins over the default; a function without a name is "custom"', () => {
    const anonymous = [() => undefined][0];
    expect(serializeStrategies([{ identifier: 'x', owner: 'other@1.*.*', globs: ['a'], strategy: anonymous }], OWNER)).toBe(
      '[x] other@1.*.*\n# Internal merge strategy: custom\na\n',
    );
  });

  test('no owner and no package name is an error naming the strategy', () => {
    expect(() => serializeStrategies([{ identifier: 'x', globs: [], strategy: MergeStrategies.onlyAdd }], undefined)).toThrow(/'x'.*PACKAGE_NAME/);
  });

  test('no strategies: a lone newline, as the SDK writes', () => {
    expect(serializeStrategies([], OWNER)).toBe('\n');
    expect(parseOwnershipFile('\n')).toEqual([]);
  });

  test('refuses what could not be read back', () => {
    const entry = (patch: Partial<OwnershipEntry>): OwnershipEntry => ({ identifier: 'a', owner: 'o', globs: [], ...patch });
    expect(() => serializeOwnershipFile([entry({ identifier: 'a]b' })])).toThrow(/strategy id/);
    expect(() => serializeOwnershipFile([entry({ owner: '' })])).toThrow(/owner/);
    expect(() => serializeOwnershipFile([entry({ owner: 'my-blueprint # ours' })])).toThrow(/without blanks/);
    expect(() => serializeOwnershipFile([entry({ globs: ['# not a glob'] })])).toThrow(/cannot be written/);
    expect(() => serializeOwnershipFile([entry({ globs: ['[x] y'] })])).toThrow(/cannot be written/);
    expect(() => serializeOwnershipFile([entry({ globs: ['a\nb'] })])).toThrow(/cannot be written/);
    expect(() => serializeOwnershipFile([entry({ globs: [' padded'] })])).toThrow(/cannot be written/);
  });
});

describe('round trip', () => {
  // Strings of characters from a set. (fc.stringMatching would say the same, but checking whether a value could
  // have come from it, which `chain` and `oneof` ask on every run, took the test a minute.)
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const of = (chars: string, minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });
  const word = of(`${ALNUM}_@/.*-`, 1, 12);
  const glob = of(`${ALNUM}_*?!./{},-`, 1, 16).filter(g => !g.startsWith('#'));
  const descriptionLine = of(`${ALNUM} ,.()'#-`, 0, 30).map(line => line.trimEnd());
  const command = fc.tuple(word, word).map(([a, b]) => `${a} ${b}`);
  // An owner is a package name; only a [local] entry's "owner" is a command, which may hold blanks.
  const entry: fc.Arbitrary<OwnershipEntry> = fc.oneof(fc.constant('local'), word).chain(identifier => fc.record(
    {
      identifier: fc.constant(identifier),
      owner: identifier === 'local' ? fc.oneof(word, command) : word,
      description: fc.array(descriptionLine, { minLength: 1, maxLength: 3 }).map(lines => lines.join('\n')).filter(d => d !== ''),
      implementation: of(`${ALNUM}_ `, 1, 12).map(s => s.trim()).filter(s => s !== ''),
      globs: fc.array(glob, { maxLength: 4 }),
    },
    { requiredKeys: ['identifier', 'owner', 'globs'] },
  ));

  test('parse(serialize(x)) equals x', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), entries => {
        expect(parseOwnershipFile(serializeOwnershipFile(entries))).toEqual(entries);
      }),
      { numRuns: 300 },
    );
  });

  test('serialize is a fixed point of parse for files in the SDK layout', () => {
    for (const name of ['single.ownership', 'multiple.ownership']) {
      expect(serializeOwnershipFile(parseOwnershipFile(fixture(name)))).toBe(fixture(name));
    }
  });
});

describe('the SDK\'s Ownership helper', () => {
  test('asString uses the blueprint\'s package name; asObject looks functions up by id', () => {
    const blueprint = { context: { package: { name: OWNER } } };
    const strategies: Strategy[] = [{ identifier: 'keep_mine', globs: ['*'], strategy: MergeStrategies.neverUpdate }];
    const text = Ownership.asString(blueprint, { resynthesis: { strategies } });
    expect(text).toBe(fixture('single.ownership'));
    expect(Ownership.asObject(text, { keep_mine: strategies[0] })).toEqual({
      resynthesis: { strategies: [{ identifier: 'keep_mine', owner: OWNER, strategy: MergeStrategies.neverUpdate, globs: ['*'] }] },
    });
    expect(Ownership.DEFAULT_FILE_NAME).toBe('.ownership-file');
  });

  test('asObject gives the SDK\'s entries, a description comment left out, in the SDK\'s key order', () => {
    // The SDK 0.3.159's asString and asObject of this entry, printed with JSON.stringify (node, its package).
    const strategies: Strategy[] = [{ identifier: 'merge', description: 'three way', strategy: MergeStrategies.threeWayMerge, globs: ['**/*.ts'], owner: '@acme/x' }];
    const text = Ownership.asString({ context: { package: { name: '@example/bp' } } }, { resynthesis: { strategies } });
    expect(text).toBe('[merge] @acme/x\n# three way\n# Internal merge strategy: threeWayMerge\n**/*.ts\n');
    expect(JSON.stringify(Ownership.asObject(text, { merge: strategies[0] }))).toBe(
      '{"resynthesis":{"strategies":[{"identifier":"merge","owner":"@acme/x","globs":["**/*.ts"]}]}}',
    );
  });
});

describe('BlueprintOwnershipFile', () => {
  const strategies: Strategy[] = [{ identifier: 'keep_mine', globs: ['*'], strategy: MergeStrategies.neverUpdate }];
  const repository = (name?: string) => {
    const files: Record<string, string> = {};
    return {
      files,
      blueprint: { context: { package: { name } } },
      addFile: (location: string, content: Buffer) => {
        files[location] = content.toString('utf8');
      },
    };
  };

  test('writes .ownership-file at the repository root with the blueprint\'s package name as owner', () => {
    const repo = repository(OWNER);
    new BlueprintOwnershipFile(repo, { resynthesis: { strategies } });
    expect(repo.files).toEqual({ '.ownership-file': fixture('single.ownership') });
  });

  test('falls back to PACKAGE_NAME, and can write into a sub-folder', () => {
    const previous = process.env.PACKAGE_NAME;
    process.env.PACKAGE_NAME = OWNER;
    try {
      const repo = repository(undefined);
      new BlueprintOwnershipFile(repo, { resynthesis: { strategies }, filePath: 'docs' });
      expect(repo.files).toEqual({ 'docs/.ownership-file': fixture('single.ownership') });
    } finally {
      if (previous === undefined) delete process.env.PACKAGE_NAME;
      else process.env.PACKAGE_NAME = previous;
    }
  });

  test('without any owner it fails at construction, naming the strategy', () => {
    const previous = process.env.PACKAGE_NAME;
    delete process.env.PACKAGE_NAME;
    try {
      expect(() => new BlueprintOwnershipFile(repository(undefined), { resynthesis: { strategies } })).toThrow(/keep_mine/);
    } finally {
      if (previous !== undefined) process.env.PACKAGE_NAME = previous;
    }
  });
});
