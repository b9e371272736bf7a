import { BundleFile, FileMap } from '../../src/bundle/file-map';
import {
  ContextFile,
  MergeStrategies,
  resynthesize,
  ResynthesizeOptions,
  StrategyFunction,
  StrategyOptions,
  summarize,
  UnknownStrategyError,
} from '../../src/resynth';

type Spec = Record<string, string | { text: string; mode: number }>;
const bundle = (spec: Spec): FileMap =>
  new Map(
    Object.entries(spec).map(([p, v]): [string, BundleFile] =>
      typeof v === 'string' ? [p, { buffer: Buffer.from(v) }] : [p, { buffer: Buffer.from(v.text), mode: v.mode }],
    ),
  );
const OWNER = { name: '@acme/web-app', version: '2.0.0' };
const run = (a: Spec, e: Spec, p: Spec, options: Partial<ResynthesizeOptions> = {}) =>
  resynthesize({ ancestor: bundle(a), existing: bundle(e), proposed: bundle(p), owner: OWNER, ...options });
const texts = (files: FileMap) => Object.fromEntries([...files].map(([p, f]) => [p, f.buffer.toString()]));
const outcomes = (result: ReturnType<typeof run>) => Object.fromEntries(result.report.files.map(f => [f.path, f.outcome]));

const BASE = 'one\ntwo\nthree\nfour\nfive\n';

describe('resynthesize', () => {
  test('outside src/ the proposed bundle is taken; an issue the ancestor had is not created again', () => {
    const result = run(
      { 'issues/1.json': '{"a":1}', 'options.json': '{}' },
      { 'environments/old.yaml': 'x', 'issues/1.json': '{"a":1}' },
      { 'issues/1.json': '{"a":1}', 'issues/2.json': '{"b":2}', 'environments/dev.yaml': 'env', 'options.json': '{"v":2}' },
    );
    expect(texts(result.files)).toEqual({ 'environments/dev.yaml': 'env', 'issues/2.json': '{"b":2}', 'options.json': '{"v":2}' });
    expect(outcomes(result)).toEqual({
      'environments/dev.yaml': 'added',
      'environments/old.yaml': 'deleted',
      'issues/1.json': 'unchanged', // created before: left out of the bundle, not deleted from the project
      'issues/2.json': 'added',
      'options.json': 'added',
    });
    expect(result.report.files.find(f => f.path === 'issues/2.json')).toMatchObject({ strategy: 'newIssuesOnly', chosenBy: 'bundle' });
  });

  test('reports every path once, in byte order, with its outcome relative to existing, and totals', () => {
    const result = run(
      { 'src/web/same.txt': BASE, 'src/web/gone.txt': BASE, 'src/web/clash.txt': BASE, 'src/web/both.txt': BASE, 'src/web/dropped.txt': BASE },
      { 'src/web/same.txt': BASE, 'src/web/gone.txt': BASE, 'src/web/clash.txt': BASE.replace('two', 'mine'), 'src/web/both.txt': BASE.replace('one', 'ONE'), 'src/web/mine.txt': 'mine\n' },
      { 'src/web/same.txt': BASE, 'src/web/clash.txt': BASE.replace('two', 'theirs'), 'src/web/both.txt': BASE.replace('five', 'FIVE'), 'src/web/new.txt': 'new\n', 'src/web/dropped.txt': BASE },
      { fallback: 'threeWayMerge' },
    );
    expect(result.report.files.map(f => f.path)).toEqual([
      'src/web/both.txt', 'src/web/clash.txt', 'src/web/dropped.txt', 'src/web/gone.txt', 'src/web/mine.txt', 'src/web/new.txt', 'src/web/same.txt',
    ]);
    expect(outcomes(result)).toEqual({
      'src/web/both.txt': 'updated',
      'src/web/clash.txt': 'conflict',
      'src/web/dropped.txt': 'notAdded', // the user deleted it and the blueprint did not change it: stays deleted, and is named
      'src/web/gone.txt': 'deleted',
      'src/web/mine.txt': 'unchanged',
      'src/web/new.txt': 'added',
      'src/web/same.txt': 'unchanged',
    });
    expect(result.report.files.find(f => f.path === 'src/web/dropped.txt')).toMatchObject({ present: false });
    expect(result.report.files.find(f => f.path === 'src/web/clash.txt')).toMatchObject({ conflicts: 1, conflictLines: [2], strategy: 'threeWayMerge', chosenBy: 'fallback' });
    expect(texts(result.files)['src/web/both.txt']).toBe('ONE\ntwo\nthree\nfour\nFIVE\n');
    expect(result.report.totals).toEqual({ files: 7, unchanged: 2, added: 1, updated: 1, overridden: 0, conflict: 1, deleted: 1, notAdded: 1, conflictHunks: 1, overriddenHunks: 0 });
    expect(summarize(result.report)).toBe('7 files: 2 unchanged, 1 added, 1 updated, 1 conflict (1 hunk), 1 deleted, 1 not added');
  });

  test('the fallback preferProposed counts every hunk it resolves against the existing side, with the dropped lines', () => {
    // Hunks closer than four lines apart are one hunk for git; these are further apart.
    const middle = 'm1\nm2\nm3\nm4\nm5\n';
    const result = run(
      { 'src/web/a.txt': `one\ntwo\n${middle}five\n` },
      { 'src/web/a.txt': `one\nmy two\nmy more\n${middle}my five\n` },
      { 'src/web/a.txt': `one\ntheir two\n${middle}their five\n` },
    );
    expect(texts(result.files)['src/web/a.txt']).toBe(`one\ntheir two\n${middle}their five\n`);
    expect(result.report.files[0]).toEqual({
      path: 'src/web/a.txt',
      strategy: 'preferProposed',
      chosenBy: 'fallback',
      outcome: 'overridden',
      present: true,
      conflicts: 0,
      overridden: 2,
      overriddenHunks: [
        { resultLine: 2, dropped: ['my two', 'my more'] },
        { resultLine: 8, dropped: ['my five'] },
      ],
    });
    expect(result.report.totals).toMatchObject({ overridden: 1, overriddenHunks: 2 });
    expect(summarize(result.report)).toBe('1 file: 1 overridden (2 hunks), 0 conflicts');
  });

  test('dropped lines are reported as text (UTF-8), and a replaced binary file is reported as such', () => {
    const result = run(
      { 'src/web/a.txt': 'x\n', 'src/web/b.bin': '\0a' },
      { 'src/web/a.txt': 'héllo\n', 'src/web/b.bin': '\0mine' },
      { 'src/web/a.txt': 'y\n', 'src/web/b.bin': '\0theirs' },
    );
    expect(result.report.files[0].overriddenHunks).toEqual([{ resultLine: 1, dropped: ['héllo'] }]);
    expect(result.report.files[1].overriddenHunks).toEqual([{ resultLine: 1, dropped: [], binary: true }]);
  });

  test('an unknown fallback or forced strategy is an error listing the known ids', () => {
    expect(() => run({}, {}, {}, { fallback: 'nope' })).toThrow(UnknownStrategyError);
    expect(() => run({}, {}, {}, { forceStrategy: 'nope' })).toThrow(/--strategy: unknown merge strategy 'nope' \(known: alwaysUpdate/);
  });

  test('forceStrategy applies to every file under src/, whatever the entries say', () => {
    const result = run(
      { 'src/web/a.txt': 'a\n' },
      { 'src/web/a.txt': 'mine\n', 'src/web/.ownership-file': '[alwaysUpdate] @acme/web-app\n*\n' },
      { 'src/web/a.txt': 'theirs\n' },
      { forceStrategy: 'neverUpdate' },
    );
    expect(texts(result.files)).toEqual({ 'src/web/a.txt': 'mine\n', 'src/web/.ownership-file': '[alwaysUpdate] @acme/web-app\n*\n' });
    expect(result.report.files.every(f => f.strategy === 'neverUpdate' && f.chosenBy === 'forced')).toBe(true);
  });

  test('strategies registered in code apply to their folder; the existing ownership file beats them there', () => {
    const strategies = {
      'src/web': [
        { identifier: 'keepAll', strategy: MergeStrategies.neverUpdate, globs: ['**'] },
        { identifier: 'docsFromBlueprint', strategy: MergeStrategies.alwaysUpdate, globs: ['docs/**'] },
      ],
    };
    const ancestor = { 'src/web/src/a.ts': 'a\n', 'src/web/docs/x.md': 'x\n', 'src/web/README.md': 'r\n' };
    const proposed = { 'src/web/src/a.ts': 'A\n', 'src/web/docs/x.md': 'X\n', 'src/web/README.md': 'R\n' };
    const existing = { 'src/web/src/a.ts': 'a!\n', 'src/web/docs/x.md': 'x!\n', 'src/web/README.md': 'r!\n' };
    const fromCode = run(ancestor, existing, proposed, { strategies });
    expect(texts(fromCode.files)).toEqual({ 'src/web/src/a.ts': 'a!\n', 'src/web/docs/x.md': 'X\n', 'src/web/README.md': 'r!\n' });
    expect(fromCode.report.files.find(f => f.path === 'src/web/docs/x.md')).toMatchObject({ strategy: 'docsFromBlueprint', chosenBy: 'code', declaredAt: 'src/web' });

    const ownership = '[alwaysUpdate] @acme/web-app\nREADME.md\n';
    const overridden = run(ancestor, { ...existing, 'src/web/.ownership-file': ownership }, proposed, { strategies });
    expect(texts(overridden.files)['src/web/README.md']).toBe('R\n');
    expect(overridden.report.files.find(f => f.path === 'src/web/README.md')).toMatchObject({
      strategy: 'alwaysUpdate',
      chosenBy: 'ownership-file',
      declaredAt: 'src/web/.ownership-file:1',
    });
    // A nearer folder's ownership file wins over the repository's code entries.
    const nested = run(ancestor, { ...existing, 'src/web/docs/.ownership-file': '[neverUpdate] @acme/*\n*.md\n' }, proposed, { strategies });
    expect(texts(nested.files)['src/web/docs/x.md']).toBe('x!\n');
  });

  test('an ownership file in the proposed bundle does not count, and is itself merged (entry by entry)', () => {
    const result = run(
      { 'src/web/a.txt': 'a\n' },
      { 'src/web/a.txt': 'mine\n' },
      { 'src/web/a.txt': 'theirs\n', 'src/web/.ownership-file': '[neverUpdate] @acme/web-app\n*\n' },
    );
    expect(texts(result.files)).toEqual({ 'src/web/a.txt': 'theirs\n', 'src/web/.ownership-file': '[neverUpdate] @acme/web-app\n*\n' });
    expect(result.report.files.map(f => [f.strategy, f.chosenBy])).toEqual([['ownershipFileMerge', 'framework'], ['preferProposed', 'fallback']]);
  });

  test('entries of another owner are ignored', () => {
    const result = run(
      { 'src/web/a.txt': 'a\n' },
      { 'src/web/a.txt': 'mine\n', 'src/web/.ownership-file': '[neverUpdate] @other/*\n*\n' },
      { 'src/web/a.txt': 'theirs\n' },
    );
    expect(texts(result.files)['src/web/a.txt']).toBe('theirs\n');
    expect(result.report.warnings).toEqual([]);
  });

  test('the resolved file keeps the existing file\'s mode; a new file keeps the proposed one\'s', () => {
    const result = run(
      { 'src/web/run.sh': 'echo 1\n' },
      { 'src/web/run.sh': { text: 'echo 1\n', mode: 0o755 } },
      { 'src/web/run.sh': { text: 'echo 2\n', mode: 0o644 }, 'src/web/new.sh': { text: 'echo new\n', mode: 0o755 } },
    );
    expect(result.files.get('src/web/run.sh')).toEqual({ buffer: Buffer.from('echo 2\n'), mode: 0o755 });
    expect(result.files.get('src/web/new.sh')?.mode).toBe(0o755);
    expect(outcomes(result)).toEqual({ 'src/web/new.sh': 'added', 'src/web/run.sh': 'updated' });
  });

  test('an SDK-style strategy (three arguments) calling a built-in still has its conflicts counted', () => {
    const sdkStyle: StrategyFunction = (a, e, p) => MergeStrategies.threeWayMerge(a, e, p);
    const result = run(
      { 'src/web/a.txt': '1\n' },
      { 'src/web/a.txt': 'mine\n' },
      { 'src/web/a.txt': 'theirs\n' },
      { strategies: { 'src/web': [{ identifier: 'sdkStyle', strategy: sdkStyle, globs: ['*'] }] } },
    );
    expect(result.report.files[0]).toMatchObject({ strategy: 'sdkStyle', outcome: 'conflict', conflicts: 1 });
  });

  test('strategies receive the SDK\'s context files, and the modes, path, style and recorder beside them', () => {
    const seen: unknown[] = [];
    const spy: StrategyFunction = (a, e, p, options?: StrategyOptions) => {
      seen.push({ a, e, p, options: { ...options, recorder: typeof options?.recorder } });
      return e;
    };
    run(
      { 'src/web/dir/a.txt': 'A' },
      { 'src/web/dir/a.txt': { text: 'E', mode: 0o600 } },
      {},
      { strategies: { 'src/web/': [{ identifier: 'spy', strategy: spy, globs: ['**'] }] }, style: 'diff3' },
    );
    expect(seen).toEqual([
      {
        a: { repositoryName: 'web', path: 'dir/a.txt', buffer: Buffer.from('A') },
        e: { repositoryName: 'web', path: 'dir/a.txt', buffer: Buffer.from('E') },
        p: undefined,
        options: {
          style: 'diff3',
          markerSize: undefined,
          modes: { ancestor: undefined, existing: 0o600, proposed: undefined },
          bundlePath: 'src/web/dir/a.txt',
          recorder: 'object',
        },
      },
    ]);
  });

  test('a strategy returning another path gets a warning and the file stays at its own path', () => {
    const rename: StrategyFunction = (_a, _e, p): ContextFile | undefined => p && { ...p, path: '../../escape.txt' };
    const result = run({}, {}, { 'src/web/a.txt': 'x' }, { strategies: { 'src/web': [{ identifier: 'rename', strategy: rename, globs: ['*'] }] } });
    expect([...result.files.keys()]).toEqual(['src/web/a.txt']);
    expect(result.report.warnings).toEqual([expect.stringMatching(/src\/web\/a\.txt: merge strategy 'rename' returned the path 'web\/\.\.\/\.\.\/escape\.txt'/)]);
  });

  test('a failing strategy fails the run, naming the strategy and the file', () => {
    const boom: StrategyFunction = () => {
      throw new Error('boom');
    };
    expect(() => run({}, {}, { 'src/web/a.txt': 'x' }, { strategies: { 'src/web': [{ identifier: 'boom', strategy: boom, globs: ['*'] }] } })).toThrow(
      "merge strategy 'boom' failed on 'src/web/a.txt': boom",
    );
  });

  test('conflict style and the inputs: diff3 markers on request; the input maps are left untouched', () => {
    const ancestor = bundle({ 'src/web/a.txt': '1\n2\n3\n' });
    const existing = bundle({ 'src/web/a.txt': '1\nE\n3\n' });
    const proposed = bundle({ 'src/web/a.txt': '1\nP\n3\n' });
    const before = [ancestor, existing, proposed].map(m => texts(m));
    const result = resynthesize({ ancestor, existing, proposed, owner: OWNER, fallback: 'threeWayMerge', style: 'diff3' });
    expect(texts(result.files)['src/web/a.txt']).toBe('1\n<<<<<<< existing\nE\n||||||| ancestor\n2\n=======\nP\n>>>>>>> proposed\n3\n');
    expect([ancestor, existing, proposed].map(m => texts(m))).toEqual(before);
  });

  test('unchanged files share the input\'s objects (no copies)', () => {
    const existing = bundle({ 'src/web/a.txt': 'same\n', 'src/web/b.txt': 'old\n' });
    const proposed = bundle({ 'src/web/a.txt': 'same\n', 'src/web/b.txt': 'new\n' });
    const result = resynthesize({ ancestor: bundle({ 'src/web/b.txt': 'old\n' }), existing, proposed, owner: OWNER });
    expect(result.files.get('src/web/a.txt')).toBe(existing.get('src/web/a.txt'));
    expect(result.files.get('src/web/b.txt')).toBe(proposed.get('src/web/b.txt'));
  });

  test('a file right under src/ belongs to no repository but is still resolved', () => {
    const result = run({}, { 'src/stray.txt': 'mine' }, {});
    expect(texts(result.files)).toEqual({ 'src/stray.txt': 'mine' });
  });
});

describe('issue 15 item 11: an ownership entry with an unknown strategy id', () => {
  test('its files are merged with threeWayMerge, never by the preferProposed fallback over the project\'s lines', () => {
    const warned: string[] = [];
    const result = run(
      { 'src/web/a.txt': 'a\nsame\n', 'src/web/b.txt': 'b\n' },
      { 'src/web/a.txt': 'mine\nsame\n', 'src/web/b.txt': 'b\n', 'src/web/.ownership-file': '[neverUpdate] @other/*\n*\n[frobnicate] @acme/web-app\na.txt\n' },
      { 'src/web/a.txt': 'theirs\nsame\n', 'src/web/b.txt': 'b2\n' },
      { warn: w => warned.push(w) },
    );
    // the project's line is not replaced: both sides are kept, marked as a conflict
    expect(texts(result.files)['src/web/a.txt']).toBe('<<<<<<< existing\nmine\n=======\ntheirs\n>>>>>>> proposed\nsame\n');
    expect(texts(result.files)['src/web/b.txt']).toBe('b2\n'); // not covered by the entry: the fallback
    expect(warned).toEqual([
      expect.stringMatching(/^src\/web\/\.ownership-file:3: unknown merge strategy 'frobnicate' for owner '@acme\/web-app'; its files are merged with threeWayMerge instead/),
    ]);
    expect(result.report.warnings).toEqual(warned);
    expect(result.report.files.find(f => f.path === 'src/web/a.txt')).toMatchObject({
      strategy: 'threeWayMerge', unknownStrategy: 'frobnicate', chosenBy: 'ownership-file', declaredAt: 'src/web/.ownership-file:3', outcome: 'conflict',
    });
  });
});

describe('issue 15 item 7: symbolic links are first-class in merges', () => {
  const LINK = 0o120000;
  const link = (target: string) => ({ text: target, mode: LINK });

  test('an existing link and a proposed regular file: the result is one of them whole, never a link to the file\'s content', () => {
    // the project replaced the blueprint's file with a link; the blueprint changed the file
    const result = run(
      { 'src/web/config': 'port = 1\n' },
      { 'src/web/config': link('shared/config'), 'src/web/shared/config': 'x\n' },
      { 'src/web/config': 'port = 2\n', 'src/web/shared/config': 'x\n' },
    );
    const config = result.files.get('src/web/config')!;
    // preferProposed: both changed, the blueprint's side wins whole; it is a regular file again, and reported
    expect(config).toEqual({ buffer: Buffer.from('port = 2\n') });
    expect(result.report.files.find(f => f.path === 'src/web/config')).toMatchObject({ outcome: 'overridden', typeChange: 'link-to-file' });

    const kept = run(
      { 'src/web/config': 'port = 1\n' },
      { 'src/web/config': link('shared/config') },
      { 'src/web/config': 'port = 2\n' },
      { fallback: 'preferExisting' },
    );
    expect(kept.files.get('src/web/config')).toEqual({ buffer: Buffer.from('shared/config'), mode: LINK });
    expect(kept.report.files[0].typeChange).toBeUndefined();
  });

  test('a link the project left alone follows the blueprint, kind and all, and the change of kind is reported', () => {
    const toFile = run({ 'src/web/a': link('b') }, { 'src/web/a': link('b') }, { 'src/web/a': 'b' });
    expect(toFile.files.get('src/web/a')!.mode).not.toBe(LINK);
    expect(toFile.report.files[0]).toMatchObject({ outcome: 'updated', typeChange: 'link-to-file' });

    const toLink = run({ 'src/web/a': 'b' }, { 'src/web/a': 'b' }, { 'src/web/a': link('b') });
    expect(toLink.files.get('src/web/a')).toEqual({ buffer: Buffer.from('b'), mode: LINK });
    expect(toLink.report.files[0]).toMatchObject({ outcome: 'updated', typeChange: 'file-to-link' });
  });

  test('two different link targets are never merged line by line', () => {
    const result = run({ 'src/web/a': link('x') }, { 'src/web/a': link('y') }, { 'src/web/a': link('z') }, { fallback: 'threeWayMerge' });
    expect(result.files.get('src/web/a')).toEqual({ buffer: Buffer.from('z'), mode: LINK });
    expect(result.report.files[0]).toMatchObject({ conflicts: 0, outcome: 'overridden' });
  });

  test('no link in a merged bundle points outside its repository', () => {
    for (const target of ['/etc', '../../other/x', '../../../etc/passwd', '']) {
      expect(() => run({}, {}, { 'src/web/a/link': link(target) })).toThrow(/src\/web\/a\/link: symbolic link to '.*' points outside its repository/);
    }
    expect(() => run({}, {}, { 'environments/l': link('../../x') })).toThrow(/points outside its bundle/);
    const inside = run({}, {}, { 'src/web/a/link': link('../b/c'), 'src/web/a/up': link('..') });
    expect(inside.files.get('src/web/a/link')).toEqual({ buffer: Buffer.from('../b/c'), mode: LINK });
  });

  test('a link of the project\'s own that leads out of the repository is kept as it is, as git merge keeps it', () => {
    // The team's links to /etc/hostname and to a sibling checkout: the blueprint never generated them, and an
    // update that only keeps them writes nothing new. The merge refused every update of the repository.
    const own = { 'src/web/host': link('/etc/hostname'), 'src/web/shared': link('../../shared/x'), 'src/web/README.md': 'ours\n' };
    const result = run({ 'src/web/README.md': 'one\n' }, own, { 'src/web/README.md': 'two\n' });
    expect(result.files.get('src/web/host')).toEqual({ buffer: Buffer.from('/etc/hostname'), mode: LINK });
    expect(result.files.get('src/web/shared')).toEqual({ buffer: Buffer.from('../../shared/x'), mode: LINK });
    expect(outcomes(result)).toMatchObject({ 'src/web/host': 'unchanged', 'src/web/shared': 'unchanged' });
    // A link the merge would write anew, over the project's own, is refused still.
    expect(() => run({ 'src/web/host': link('a') }, { 'src/web/host': link('/etc/hostname') }, { 'src/web/host': link('/etc/passwd') }))
      .toThrow(/src\/web\/host: symbolic link to '\/etc\/passwd' points outside its repository/);
  });
});

describe('an .ownership-file keeps the entries of both sides, whatever the fallback', () => {
  const SRC = '[src] @acme/web-app\n# Internal merge strategy: threeWayMerge\nsrc/**\n';
  const TEAM = '[keep_readme] @acme/web-app\n# Internal merge strategy: neverUpdate\nREADME.md\n';
  const DOCS = '[docs] @acme/web-app\n# Internal merge strategy: threeWayMerge\ndocs/**\n';
  const both = (existingEntries: string, proposedEntries: string, options: Partial<ResynthesizeOptions> = {}) => run(
    { 'src/web/.ownership-file': SRC, 'src/web/README.md': 'ours\n' },
    { 'src/web/.ownership-file': existingEntries, 'src/web/README.md': 'ours\n' },
    { 'src/web/.ownership-file': proposedEntries, 'src/web/README.md': 'ours\n' },
    options,
  );

  test.each(['preferProposed', 'preferExisting', 'threeWayMerge'])('an entry appended on each side: both kept, reported as merged, under the fallback %s', fallback => {
    // The line merge conflicts (both appended at the end): preferProposed dropped the project's entry.
    const result = both(`${SRC}\n${TEAM}`, `${SRC}\n${DOCS}`, { fallback });
    expect(texts(result.files)['src/web/.ownership-file']).toBe(`${SRC}\n${DOCS}\n${TEAM}`);
    expect(result.report.files.find(f => f.path === 'src/web/.ownership-file')).toEqual({
      path: 'src/web/.ownership-file', strategy: 'ownershipFileMerge', chosenBy: 'framework', outcome: 'updated', present: true, conflicts: 0, overridden: 0,
    });
    expect(result.report.warnings).toEqual([]);
  });

  test('an entry that matches it by a wildcard does not decide; one that names it does, and so does --strategy', () => {
    const wildcard = `${SRC}\n[all] @acme/web-app\n**\n`;
    const byWildcard = run(
      { 'src/web/.ownership-file': wildcard },
      { 'src/web/.ownership-file': `${wildcard}\n${TEAM}` },
      { 'src/web/.ownership-file': `${wildcard}\n${DOCS}` },
      { fallback: 'threeWayMerge' },
    );
    expect(texts(byWildcard.files)['src/web/.ownership-file']).toBe(`${wildcard}\n${DOCS}\n${TEAM}`);
    expect(byWildcard.report.files[0]).toMatchObject({ strategy: 'ownershipFileMerge', chosenBy: 'framework' });

    const named = `${SRC}\n[alwaysUpdate] @acme/web-app\n.ownership-file\n`;
    const byName = run(
      { 'src/web/.ownership-file': named },
      { 'src/web/.ownership-file': `${named}\n${TEAM}` },
      { 'src/web/.ownership-file': `${named}\n${DOCS}` },
    );
    expect(texts(byName.files)['src/web/.ownership-file']).toBe(`${named}\n${DOCS}`);
    expect(byName.report.files[0]).toMatchObject({ strategy: 'alwaysUpdate', chosenBy: 'ownership-file', declaredAt: 'src/web/.ownership-file:5' });

    const forced = both(`${SRC}\n${TEAM}`, `${SRC}\n${DOCS}`, { forceStrategy: 'preferProposed' });
    expect(texts(forced.files)['src/web/.ownership-file']).toBe(`${SRC}\n${DOCS}`);
    expect(forced.report.files[0]).toMatchObject({ strategy: 'preferProposed', chosenBy: 'forced', outcome: 'overridden' });
  });

  test('globs both sides added to one entry are both kept and counted; an entry one side removed and the other changed is a warning', () => {
    const result = both(`[src] @acme/web-app\nsrc/**\ntest/**\n\n${TEAM}`, `[src] @acme/web-app\nsrc/**\nlib/**\n`);
    expect(texts(result.files)['src/web/.ownership-file']).toBe(`[src] @acme/web-app\nsrc/**\ntest/**\nlib/**\n\n${TEAM}`);
    expect(result.report.files[0]).toMatchObject({ outcome: 'updated', overridden: 0, bothKept: 1 });

    const removed = run(
      { 'src/web/.ownership-file': `${SRC}\n${DOCS}` },
      { 'src/web/.ownership-file': `${SRC}\n${DOCS}docs/api/**\n` },
      { 'src/web/.ownership-file': `${SRC}\n${TEAM}` },
    );
    // The blueprint's new entry goes after the one it follows in its file.
    expect(texts(removed.files)['src/web/.ownership-file']).toBe(`${SRC}\n${TEAM}\n${DOCS}docs/api/**\n`);
    expect(removed.report.warnings).toEqual([
      "src/web/.ownership-file: the blueprint removed the entry '[docs] @acme/web-app', which the project changed: the project's entry is kept",
    ]);
  });
});
