import { BundleFile, FileMap } from '../../../src/bundle/file-map';
import { loadOwnershipRules, OwnershipFileSyntaxError, resynthesize, ResynthesizeOptions, StrategyRegistry } from '../../../src/resynth';

/**
 * Ownership files as a platform team writes them for real repositories: where an entry gives files another
 * strategy than it evidently means, the merge keeps the SDK's reading and says so, naming the line and the way on;
 * an entry that cannot mean anything is refused, naming its line.
 */

const OWNER = { name: 'platform-bp', version: '1.0.0' };
const bundle = (spec: Record<string, string>): FileMap => new Map(Object.entries(spec).map(([p, text]): [string, BundleFile] => [p, { buffer: Buffer.from(text) }]));
const ANCESTOR = { 'src/app/app.yaml': 'replicas: 1\n', 'src/app/k8s/all.yaml': 'kind: Deployment\nreplicas: 1\nimage: app:1\n', 'src/app/README.md': '# app\n' };
const PROPOSED = { 'src/app/app.yaml': 'replicas: 2\n', 'src/app/k8s/all.yaml': 'kind: Deployment\nreplicas: 2\nimage: app:1\n', 'src/app/README.md': '# app\n\nmore\n' };
/** The project changed the replicas in k8s/all.yaml too: the blueprint's change conflicts with it. */
const EXISTING = { 'src/app/app.yaml': 'replicas: 1\n', 'src/app/k8s/all.yaml': 'kind: Deployment\nreplicas: 3\nimage: app:1\n', 'src/app/README.md': '# our app\n' };

const omitApp = (spec: Record<string, string>) => Object.fromEntries(Object.entries(spec).filter(([p]) => p !== 'src/app/app.yaml'));

/** Merges with `ownership` as the project's `src/app/.ownership-file` (and `more` files of the project's); returns the result and the warnings. */
function merge(ownership: string, more: Record<string, string> = {}, options: Partial<ResynthesizeOptions> = {}) {
  const warnings: string[] = [];
  const existing = bundle({ ...EXISTING, 'src/app/.ownership-file': ownership, ...more });
  const result = resynthesize({ ancestor: bundle(ANCESTOR), existing, proposed: bundle(PROPOSED), owner: OWNER, warn: w => warnings.push(w), ...options });
  expect(result.report.warnings).toEqual(warnings);
  return { warnings, report: (p: string) => result.report.files.find(f => f.path === p)!, text: (p: string) => result.files.get(p)?.buffer.toString() };
}

describe('a glob written for every folder that matches in its own only', () => {
  test('\'*.yaml\' with no YAML file beside it: the warning names its line, the files left to the fallback and \'**/*.yaml\'', () => {
    // The project keeps its manifests in k8s/ only.
    const noTopLevel = { ancestor: bundle(omitApp(ANCESTOR)), proposed: bundle(omitApp(PROPOSED)), owner: OWNER };
    const existing = (ownership: string) => bundle({ ...omitApp(EXISTING), 'src/app/.ownership-file': ownership });
    const result = resynthesize({ ...noTopLevel, existing: existing('# every YAML file, merged by value\n[structuredMerge] platform-bp\n*.yaml   \n') });
    expect(result.report.warnings).toEqual([
      'src/app/.ownership-file:3: \'*.yaml\' matches no file here: \'*\' is one folder level, as in the SDK, and a glob is matched against the whole path ' +
        'from its file\'s folder, so src/app/k8s/all.yaml is merged with preferProposed (the fallback), not structuredMerge; to match it, write \'**/*.yaml\'',
    ]);
    // The SDK's reading stands: the fallback took the blueprint's replicas.
    expect(result.files.get('src/app/k8s/all.yaml')!.buffer.toString()).toBe('kind: Deployment\nreplicas: 2\nimage: app:1\n');

    const fixed = resynthesize({ ...noTopLevel, existing: existing('[structuredMerge] platform-bp\n**/*.yaml\n') });
    expect(fixed.report.warnings).toEqual([]);
    expect(fixed.report.files.find(f => f.path === 'src/app/k8s/all.yaml')).toMatchObject({ strategy: 'structuredMerge', outcome: 'conflict' });
  });

  test('\'*.yaml\' that matches a file beside it: said only where the fallback dropped the project\'s lines of a file \'**/*.yaml\' would match', () => {
    const { warnings, report } = merge('[structuredMerge] platform-bp\n*.yaml\n');
    expect(report('src/app/k8s/all.yaml')).toMatchObject({ chosenBy: 'fallback', outcome: 'overridden' });
    expect(warnings).toEqual([
      'src/app/k8s/all.yaml: no entry matches it, so preferProposed (the fallback) dropped 1 hunk of the project\'s; \'*.yaml\' (src/app/.ownership-file:2) ' +
        'matches files in its own folder only: \'*\' is one folder level, as in the SDK, and a glob is matched against the whole path from its file\'s folder; ' +
        'to match this one too, write \'**/*.yaml\'',
    ]);
    // Where nothing of the project's is lost, a top-level-only entry is taken as meant; '/*.yaml' says so outright.
    expect(merge('[structuredMerge] platform-bp\n*.yaml\n', {}, { fallback: 'threeWayMerge' }).warnings).toEqual([]);
    expect(merge('[structuredMerge] platform-bp\n/*.yaml\n').warnings).toEqual([]);
    // Nor where the entry would have dropped them as well.
    expect(merge('[alwaysUpdate] platform-bp\n*.yaml\n').warnings).toEqual([]);
  });

  test('no warning for an entry whose files do not exist yet, a glob with a folder, an exclusion, another owner\'s entry, or files a nearer entry decides alike', () => {
    expect(merge('[neverUpdate] platform-bp\nCHANGELOG.md\ndocs/**\n').warnings).toEqual([]);
    expect(merge('[structuredMerge] platform-bp\nk8s/*.yaml\n*.yaml\n!k8s/generated/**\n').warnings).toEqual([]);
    expect(merge('[structuredMerge] @other/blueprint\n*.json\n').warnings).toEqual([]);
    // A '\' before the first name escapes a wildcard on purpose: a file named '*.md', not every Markdown file.
    expect(merge('[neverUpdate] platform-bp\n\\*.md\n').warnings).toEqual([]);
    expect(merge('[structuredMerge] platform-bp\n*.json\n', { 'src/app/k8s/.ownership-file': '[structuredMerge] platform-bp\n*.json\n', 'src/app/k8s/x.json': '{}\n' }).warnings).toEqual([]);
  });

  test('a Windows path with a \\ before a wildcard (k8s\\*.yaml) matches nothing: the warning gives the path with /', () => {
    expect(merge('[structuredMerge] platform-bp\nk8s\\*.yaml\n').warnings).toEqual([
      'src/app/.ownership-file:2: \'k8s\\*.yaml\' matches no file here: a \'\\\' escapes the character after it, and paths are written with \'/\', as in the SDK, ' +
        'so src/app/k8s/all.yaml is merged with preferProposed (the fallback), not structuredMerge; to match it, write \'k8s/*.yaml\'',
    ]);
  });
});

describe('an entry that decides none of the files it matches', () => {
  test('a later entry of the same file takes them all: the warning names both lines, and where to put the entry', () => {
    // (With the fallback preferProposed, k8s/all.yaml's lost lines would be told too, as '**/*' would have kept them.)
    const { warnings, text } = merge('[neverUpdate] platform-bp\nREADME.md\ndocs/**\n\n[threeWayMerge] platform-bp\n*\n', {}, { fallback: 'threeWayMerge' });
    expect(warnings).toEqual([
      'src/app/.ownership-file:1: the entry (neverUpdate) decides none of the files it matches: src/app/README.md is merged with threeWayMerge ' +
        '(src/app/.ownership-file:5); the last entry that matches a file decides it: to give its files this entry\'s strategy, put this entry after that one',
    ]);
    expect(text('src/app/README.md')).toMatch(/^<<<<<<< /);
    // In the order meant, nothing to say.
    expect(merge('[threeWayMerge] platform-bp\n*\n\n[neverUpdate] platform-bp\nREADME.md\n', {}, { fallback: 'threeWayMerge' }).warnings).toEqual([]);
    // A later entry with the same strategy changes nothing.
    expect(merge('[threeWayMerge] platform-bp\nREADME.md\n\n[threeWayMerge] platform-bp\n*\n', {}, { fallback: 'threeWayMerge' }).warnings).toEqual([]);
  });

  test('a nearer folder\'s ownership file takes them all: the warning says that folder has its own', () => {
    const { warnings } = merge('[neverUpdate] platform-bp\nk8s/**\n', { 'src/app/k8s/.ownership-file': '[threeWayMerge] platform-bp\n*\n' });
    expect(warnings).toEqual([
      'src/app/.ownership-file:1: the entry (neverUpdate) decides none of the files it matches: src/app/k8s/all.yaml is merged with threeWayMerge ' +
        '(src/app/k8s/.ownership-file:1); the entries of the ownership file nearest to a file decide it, and k8s/ has its own',
    ]);
  });
});

describe('an entry that cannot mean anything is refused, naming its file and line', () => {
  const load = (text: string) => () => loadOwnershipRules(bundle({ 'src/app/docs/.ownership-file': text }), { registry: StrategyRegistry.create(), owner: OWNER, warn: () => {} });
  test.each([
    ['a Windows path', '[neverUpdate] platform-bp\n# ours\nREADME.md\nguides\\intro.md\n', 4, /'guides\\intro\.md': a '\\' escapes the character after it, .* write 'guides\/intro\.md'/],
    ['a folder above', '[neverUpdate] platform-bp\n../README.md\n', 2, /'\.\.\/README\.md' can match no file: globs are matched against the paths below the ownership file's folder/],
    ['a comment after a glob', '[neverUpdate] platform-bp\nREADME.md   # ours\n', 2, /'README\.md   # ours': a '#' comment needs a line of its own/],
    ['an exclusion with nothing to exclude', '[neverUpdate] platform-bp\n**\n[alwaysUpdate] platform-bp\n!README.md\n', 4, /'!README\.md' leaves out nothing: .* put it under the entry whose files it should leave out/],
  ])('%s', (_what, text, line, problem) => {
    expect(load(text)).toThrow(OwnershipFileSyntaxError);
    expect(load(text)).toThrow(new RegExp(`^src/app/docs/\\.ownership-file:${line}: ${problem.source}`));
  });

  test('what a \\ may escape, a name with a blank and a #, and an exclusion after what it excludes are taken as written', () => {
    expect(load('[neverUpdate] platform-bp\n\\*literal\\[x\\].md\nnotes[ ]#1.md\n**\n!generated/**\n')).not.toThrow();
  });
});
