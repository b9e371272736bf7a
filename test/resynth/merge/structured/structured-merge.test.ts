import { mergeText } from '../../../../src/resynth/merge';
import {
  mergeStructured, PACKAGE_POLICIES, packagePolicy, parseStructured, regeneratePolicy, StructuredFormat, StructuredMergeResult,
} from '../../../../src/resynth/merge/structured';

const B = (text: string) => Buffer.from(text, 'utf8');

function merge(format: StructuredFormat, ancestor: string, existing: string, proposed: string, options: Partial<Parameters<typeof mergeStructured>[3]> = {}): StructuredMergeResult {
  return mergeStructured(B(ancestor), B(existing), B(proposed), { format, ...options });
}

/** Runs a merge in both orders: the value of a clean result and the conflicting paths must not depend on which side is which. */
function bothOrders(format: StructuredFormat, ancestor: string, existing: string, proposed: string, options: Partial<Parameters<typeof mergeStructured>[3]> = {}) {
  const forward = merge(format, ancestor, existing, proposed, options);
  const backward = merge(format, ancestor, proposed, existing, options);
  expect(backward.conflicts.length === 0).toBe(forward.conflicts.length === 0);
  expect([...backward.conflictPaths].sort()).toEqual([...forward.conflictPaths].sort());
  if (forward.conflicts.length === 0) {
    expect(parseStructured(format, backward.buffer.toString())).toEqual(parseStructured(format, forward.buffer.toString()));
  }
  return { forward, backward };
}

const PACKAGE = `{
  "name": "web",
  "version": "1.0.0",
  "scripts": {
    "build": "tsc"
  },
  "dependencies": {
    "express": "^4.18.0",
    "lodash": "^4.17.20"
  }
}
`;

describe('structured merge of JSON', () => {
  test('a clean line merge is git\'s result, byte for byte, and the structure never runs', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.0.1"');
    const proposed = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.21"');
    const result = merge('json', PACKAGE, existing, proposed);
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(PACKAGE), B(existing), B(proposed)).buffer)).toBe(true);
  });

  test('a clean line merge that holds a key both sides added at different places stays git\'s bytes, and says so', () => {
    const ancestor = '{\n  "dependencies": {\n    "axios": "^1.0.0",\n    "react": "^18.0.0",\n    "zod": "^3.0.0"\n  }\n}\n';
    // The team appended the dependency; the blueprint's next version added it in order.
    const existing = ancestor.replace('"zod": "^3.0.0"', '"zod": "^3.0.0",\n    "dayjs": "^1.11.0"');
    const proposed = ancestor.replace('"axios": "^1.0.0",', '"axios": "^1.0.0",\n    "dayjs": "^1.11.0",');
    const git = mergeText(B(ancestor), B(existing), B(proposed));
    expect(git.conflicts).toEqual([]);
    const result = merge('json', ancestor, existing, proposed);
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(git.buffer)).toBe(true);
    expect(result.notes).toEqual(['git\'s clean merge holds a duplicate key "dayjs" at line 7, column 5, which both sides added at different places: keep one']);

    const yamlAncestor = 'dependencies:\n  axios: 1.0.0\n  react: 18.0.0\n  zod: 3.0.0\n';
    const yaml = merge('yaml', yamlAncestor, yamlAncestor + '  dayjs: 1.11.0\n', yamlAncestor.replace('  react', '  dayjs: 1.11.0\n  react'));
    expect(yaml.buffer.equals(mergeText(B(yamlAncestor), B(yamlAncestor + '  dayjs: 1.11.0\n'), B(yamlAncestor.replace('  react', '  dayjs: 1.11.0\n  react'))).buffer)).toBe(true);
    expect(yaml.notes).toEqual([expect.stringMatching(/^git's clean merge holds a duplicate key "dayjs" at line \d+, column \d+, which both sides added/)]);
    // A key one side already held twice is that side's own doing: nothing to say.
    const twiceAlready = existing.replace('"axios": "^1.0.0",', '"axios": "^1.0.0",\n    "axios": "^1.0.0",');
    expect(merge('json', ancestor, twiceAlready, proposed).notes).toBeUndefined();
    // Nor where the merge holds no key twice.
    expect(merge('json', ancestor, existing, ancestor.replace('^18.0.0', '^18.3.0')).notes).toBeUndefined();
  });

  test('two dependencies added at the end of the same object: both, in the existing text', () => {
    const existing = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "zod": "^3.0.0"');
    const proposed = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0"');
    expect(mergeText(B(PACKAGE), B(existing), B(proposed)).conflicts).toHaveLength(1);
    const { forward } = bothOrders('json', PACKAGE, existing, proposed);
    expect(forward.stage).toBe('structure');
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toBe(PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0",\n    "zod": "^3.0.0"'));
  });

  test('a version bump on one side and a script added next to it on the other', () => {
    const ancestor = '{\n  "version": "1.0.0",\n  "scripts": {}\n}\n';
    const existing = '{\n  "version": "1.1.0",\n  "scripts": {}\n}\n';
    const proposed = '{\n  "version": "1.0.0",\n  "scripts": { "test": "jest" }\n}\n';
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.buffer.toString()).toBe('{\n  "version": "1.1.0",\n  "scripts": { "test": "jest" }\n}\n');
  });

  test('JSONC: comments, trailing commas and the existing indentation stay; an inserted value keeps the proposed text', () => {
    const ancestor = '{\n\t// compiler\n\t"compilerOptions": {\n\t\t"strict": true,\n\t},\n\t"include": ["src"],\n}\n';
    const existing = '{\n\t// compiler\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"target": "ES2022", // node 18\n\t},\n\t"include": ["src"],\n}\n';
    const proposed = '{\n\t// compiler\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"paths": {\n\t\t\t"@/*": [ "./src/*" ]\n\t\t},\n\t},\n\t"include": ["src"],\n}\n';
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toBe('{\n\t// compiler\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"target": "ES2022", // node 18\n\t\t"paths": {\n\t\t\t"@/*": [ "./src/*" ]\n\t\t},\n\t},\n\t"include": ["src"],\n}\n');
  });

  test('both changed one value: markers around that member\'s line only, reported by JSON path', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.1.0"').replace('"build": "tsc"', '"build": "tsc -b"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": "2.0.0"').replace('"express": "^4.18.0",', '"express": "^4.18.0",\n    "cors": "^2.8.5",');
    const { forward } = bothOrders('json', PACKAGE, existing, proposed);
    expect(forward.conflictPaths).toEqual(['$.version']);
    expect(forward.buffer.toString()).toBe([
      '{',
      '  "name": "web",',
      '<<<<<<< existing',
      '  "version": "1.1.0",',
      '=======',
      '  "version": "2.0.0",',
      '>>>>>>> proposed',
      '  "scripts": {',
      '    "build": "tsc -b"',
      '  },',
      '  "dependencies": {',
      '    "express": "^4.18.0",',
      '    "cors": "^2.8.5",',
      '    "lodash": "^4.17.20"',
      '  }',
      '}',
      '',
    ].join('\n'));
  });

  test('with favor, only the conflicts of values left take that side', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.1.0"').replace('"build": "tsc"', '"build": "tsc -b"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": "2.0.0"').replace('"build": "tsc"', '"build": "tsc",\n    "lint": "eslint ."');
    for (const favor of ['existing', 'proposed'] as const) {
      const result = merge('json', PACKAGE, existing, proposed, { favor });
      expect(result.conflicts).toEqual([]);
      expect(result.favored).toHaveLength(1);
      expect(result.conflictPaths).toEqual(['$.version']);
      const value = parseStructured('json', result.buffer.toString()) as any;
      expect(value.version).toBe(favor === 'existing' ? '1.1.0' : '2.0.0');
      expect(value.scripts).toEqual({ build: 'tsc -b', lint: 'eslint .' });
    }
  });

  test('one side deleted a member the other changed: a conflict', () => {
    const existing = PACKAGE.replace('"express": "^4.18.0",\n', '');
    const proposed = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.19.0"').replace('"version": "1.0.0"', '"version": "1.0.1"');
    const { forward } = bothOrders('json', PACKAGE, existing, proposed);
    expect(forward.conflictPaths).toEqual(['$.dependencies.express']);
    expect(forward.conflicts.length).toBeGreaterThan(0);
    expect(forward.buffer.toString()).toContain('"version": "1.0.1"');
  });

  test('one side renamed a member (removed it, added another beside it), the other changed the old one: the conflict is marked around that member\'s line, not left as git\'s', () => {
    // jupyterlab 3ab85b75ea2f392f042ac9e4d3e67567bb10915e, examples/federated/core_package/package.json (journey 70): the
    // first parent renamed @jupyterlab/mathjax2-extension to mathjax-extension, the second bumped every range. The
    // ancestor's version of the removed member was put back at another place than the proposed side's, so the marking
    // line merge took the bump cleanly, the check caught it, and git's 45-line conflict stood.
    const ancestor = '{\n  "resolutions": {\n    "b": "~1.15",\n    "mathjax2-extension": "~1.18",\n    "notebook": "^1.15",\n    "z": "~1.18"\n  },\n  "dependencies": {\n    "a": "^1.18",\n    "mathjax2-extension": "^1.18",\n    "z": "^1.18"\n  }\n}\n';
    const existing = ancestor.replace(/mathjax2-extension/g, 'mathjax-extension');
    const proposed = ancestor.replace(/1\.18/g, '1.19');
    const result = merge('json', ancestor, existing, proposed);
    expect(result.stage).toBe('structure');
    expect(result.conflictPaths).toEqual(['$.resolutions.mathjax2-extension', '$.dependencies.mathjax2-extension']);
    expect(result.buffer.toString()).toBe('{\n  "resolutions": {\n    "b": "~1.15",\n    "mathjax-extension": "~1.18",\n<<<<<<< existing\n=======\n'
      + '    "mathjax2-extension": "~1.19",\n>>>>>>> proposed\n    "notebook": "^1.15",\n    "z": "~1.19"\n  },\n  "dependencies": {\n    "a": "^1.19",\n'
      + '    "mathjax-extension": "^1.18",\n<<<<<<< existing\n=======\n    "mathjax2-extension": "^1.19",\n>>>>>>> proposed\n    "z": "^1.19"\n  }\n}\n');
  });

  test('both sides added the file with no member in common: git\'s result, and --explain says why (not that the root cannot be deleted)', () => {
    // babel 432495752d200406908a4714c33e80bc55cb5c7b, experimental/babel-preset-env/test/debug-fixtures/versions-decimals/options.json
    // (journey 70): both branches added the fixture, one with `"useBuiltIns": "entry"` in its preset's options.
    const existing = '{\n  "presets": [\n    ["../../lib", {\n      "useBuiltIns": "entry",\n      "debug": true\n    }]\n  ]\n}\n';
    const proposed = existing.replace('      "useBuiltIns": "entry",\n', '');
    const result = merge('json', '', existing, proposed);
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(''), B(existing), B(proposed)).buffer)).toBe(true);
    expect(result.decisions.find(decision => decision.stage === 'fallback')?.detail)
      .toBe('the whole document is one conflict of values (both sides added the file, with no member in common): the line merge\'s result stands');
  });

  test('arrays: diff3 over elements, replaced elements of the same shape merged inside', () => {
    const ancestor = '{\n  "steps": [\n    { "name": "a", "run": "x" },\n    { "name": "b", "run": "y" }\n  ]\n}\n';
    const existing = '{\n  "steps": [\n    { "name": "a", "run": "x2" },\n    { "name": "b", "run": "y" }\n  ]\n}\n';
    const proposed = '{\n  "steps": [\n    { "name": "a", "run": "x", "if": "ok" },\n    { "name": "b", "run": "y" },\n    { "name": "c" }\n  ]\n}\n';
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(parseStructured('json', forward.buffer.toString())).toEqual({
      steps: [{ name: 'a', run: 'x2', if: 'ok' }, { name: 'b', run: 'y' }, { name: 'c' }],
    });
  });

  test('both appended different elements: a conflict at that element', () => {
    const ancestor = '{\n  "files": [\n    "lib"\n  ],\n  "x": 1\n}\n';
    const existing = '{\n  "files": [\n    "lib",\n    "bin"\n  ],\n  "x": 1\n}\n';
    const proposed = '{\n  "files": [\n    "lib",\n    "types"\n  ],\n  "x": 2\n}\n';
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflictPaths).toEqual(['$.files[1]']);
    expect(forward.buffer.toString()).toContain('"x": 2');
  });

  test('a side that does not parse leaves git\'s result', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.1.0"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": 2.0.0');
    const result = merge('json', PACKAGE, existing, proposed);
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(PACKAGE), B(existing), B(proposed)).buffer)).toBe(true);
    expect(result.decisions.map(d => d.stage)).toEqual(['line', 'fallback']);
    // The decision names the side, so that the reader knows which file to fix.
    expect(result.decisions[1].detail).toMatch(/^the proposed side does not parse as JSON \(/);
    expect(merge('json', PACKAGE, proposed, existing).decisions[1].detail).toMatch(/^the existing side does not parse as JSON \(/);
  });

  test('a side nested deeper than the parser follows leaves git\'s result, said as such, not as a stack overflow', () => {
    const deep = (a: number, b: number) => `{\n  "a": ${a},\n  "b": ${b},\n  "deep": ${'['.repeat(5000)}1${']'.repeat(5000)}\n}\n`;
    const result = merge('json', deep(1, 2), deep(10, 2), deep(1, 20));
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(deep(1, 2)), B(deep(10, 2)), B(deep(1, 20))).buffer)).toBe(true);
    expect(result.decisions[1].detail).toBe('the ancestor side nests its values deeper than the structured merge follows: the line merge\'s result stands');
  });

  test('conflict paths are in the existing text\'s order, for objects (merged in the proposed side\'s key order) and arrays (merged from the last element)', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.1.0"').replace('"build": "tsc"', '"build": "tsc -b"').replace('"^4.18.0"', '"^4.19.0"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": "2.0.0"').replace('"build": "tsc"', '"build": "tsc -p ."').replace('"^4.18.0"', '"^5.0.0"');
    expect(merge('json', PACKAGE, existing, proposed).conflictPaths).toEqual(['$.version', '$.scripts.build', '$.dependencies.express']);
    const steps = (values: string[]) => `steps:\n${values.map(value => `  - run: ${value}\n`).join('')}`;
    // Each side rewrote the step's only member: a step replaced on both sides, a conflict of the step.
    expect(merge('yaml', steps(['a', 'b', 'c']), steps(['a1', 'b', 'c1']), steps(['a2', 'b', 'c2'])).conflictPaths).toEqual(['$.steps[0]', '$.steps[2]']);
  });

  test('a key that looks like an integer goes where the proposed side wrote it (a JavaScript object lists such keys first)', () => {
    const api = (version: string, responses: string) => `{\n  "version": "${version}",\n  "responses": {\n${responses}\n  }\n}\n`;
    const ancestor = api('1.0.0', '    "200": "ok",\n    "default": "error"');
    const existing = api('1.1.0', '    "200": "ok",\n    "default": "error"');
    const proposed = api('2.0.0', '    "200": "ok",\n    "default": "error",\n    "503": "unavailable"');
    const result = merge('json', ancestor, existing, proposed);
    expect(result.conflictPaths).toEqual(['$.version']);
    expect(result.buffer.toString()).toContain('    "200": "ok",\n    "default": "error",\n    "503": "unavailable"\n');
    const yaml = (version: string, responses: string) => `version: ${version}\nresponses:\n${responses}`;
    const yamlResult = merge('yaml', yaml('1.0.0', '  "200": ok\n  default: error\n'), yaml('1.1.0', '  "200": ok\n  default: error\n'), yaml('2.0.0', '  "200": ok\n  default: error\n  "503": unavailable\n'));
    expect(yamlResult.conflictPaths).toEqual(['$.version']);
    expect(yamlResult.buffer.toString()).toContain('  default: error\n  "503": unavailable\n');
  });

  test('--explain says a member the proposed side removed is removed, not that its version is taken', () => {
    // The project's change to the neighbouring line puts the removal in a hunk git conflicts on.
    const existing = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.19.0"');
    const proposed = PACKAGE.replace(',\n    "lodash": "^4.17.20"', '');
    const result = merge('json', PACKAGE, existing, proposed);
    expect(result.decisions).toContainEqual({ stage: 'structure', path: '$.dependencies.lodash', detail: 'only the proposed side removed it: it is removed' });
  });

  test('a byte order mark and CRLF line ends (a file saved on Windows) stay, and the values merge', () => {
    const windows = (text: string) => `\uFEFF${text.replace(/\n/g, '\r\n')}`;
    const existing = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "zod": "^3.0.0"');
    const proposed = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0"');
    const clean = bothOrders('json', windows(PACKAGE), windows(existing), windows(proposed)).forward;
    expect(clean.stage).toBe('structure');
    expect(clean.buffer.toString()).toBe(windows(PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0",\n    "zod": "^3.0.0"')));

    const conflicting = merge('json', windows(PACKAGE), windows(existing.replace('1.0.0', '1.1.0')), windows(proposed.replace('1.0.0', '2.0.0')));
    expect(conflicting.conflictPaths).toEqual(['$.version']);
    expect(conflicting.buffer.toString().startsWith('\uFEFF{\r\n')).toBe(true);
    expect(conflicting.buffer.toString()).toContain('<<<<<<< existing\r\n  "version": "1.1.0",\r\n=======\r\n  "version": "2.0.0",\r\n>>>>>>> proposed\r\n');

  });

  // Journey 76: an editor on Windows saved the project's package.json with a mark (and the project added a
  // dependency), and the blueprint's next version added one at the same place. The mark is a change of the first
  // line only that side made, as git would take it; it used to leave git's conflict, which the fallback
  // preferProposed then resolved by dropping the project's dependency.
  // Journey 76: a team wrote its cdk.json again with 4-space indentation (every array on several lines); the
  // blueprint added a context flag. git's diff pairs a `},` of one depth with one of another, so its result closes
  // the conflict inside `context` and writes `context` again after it; the structure cannot hold that clean hunk and
  // git's result stands. The fallback preferProposed took the proposed lines of the conflict, and the update
  // committed a cdk.json that does not parse, with no word of it.
  test('where taking one side of git\'s conflicts leaves a file that does not parse, the values are merged into the existing text; else a note says so', () => {
    const ancestor = [
      '{',
      '  "app": "npx ts-node bin/app.ts",',
      '  "watch": {',
      '    "include": ["**"],',
      '    "exclude": ["README.md", "cdk*.json", "node_modules"]',
      '  },',
      '  "context": {',
      '    "stackName": "App-",',
      '    "groups": ["admins"],',
      '    "selfSignUp": false,',
      '    "ranges": ["0.0.0.0/1", "128.0.0.0/1"],',
      '    "schedules": {',
      '      "stop": {},',
      '      "start": {}',
      '    },',
      '    "@aws-cdk/core:checkSecretUsage": true',
      '  }',
      '}',
      '',
    ].join('\n');
    const existing = `${JSON.stringify(JSON.parse(ancestor), null, 4)}\n`;
    const proposed = ancestor.replace('"selfSignUp": false,', '"selfSignUp": false,\n    "replicas": false,');
    // git's hunks pair lines of the two layouts across depths: taken from the proposed side, its result
    // holds "context" twice and never closes; the structure merges the new member into the project's layout.
    expect(() => JSON.parse(mergeText(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { favor: 'proposed' }).buffer.toString())).toThrow();
    const taken = merge('json', ancestor, existing, proposed, { favor: 'proposed' });
    expect(taken.stage).toBe('structure');
    const both = JSON.parse(existing);
    both.context = { ...both.context };
    const entries = Object.entries(both.context);
    entries.splice(entries.findIndex(([key]) => key === 'selfSignUp') + 1, 0, ['replicas', false]);
    both.context = Object.fromEntries(entries);
    expect(taken.buffer.toString()).toBe(`${JSON.stringify(both, null, 4)}\n`);
    expect(taken.notes).toBeUndefined();
    expect(taken.decisions.map(decision => decision.detail)).toContainEqual(expect.stringMatching(/^the existing text is edited, though .*: git's result with each conflict taken from the proposed side does not parse \(/));
    // Taken from the existing side it parses, and git's markers are no file to parse: nothing to say.
    expect(merge('json', ancestor, existing, proposed, { favor: 'existing' }).notes).toBeUndefined();
    expect(merge('json', ancestor, existing, proposed).notes).toBeUndefined();
  });

  test('a byte order mark only one side added or removed is that side\'s change, and the values still merge', () => {
    const marked = (text: string) => `\uFEFF${text}`;
    const existing = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "zod": "^3.0.0"');
    const proposed = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0"');
    const both = PACKAGE.replace('"lodash": "^4.17.20"', '"lodash": "^4.17.20",\n    "yaml": "^2.0.0",\n    "zod": "^3.0.0"');
    for (const [ancestor, e, p, expected] of [
      [PACKAGE, marked(existing), proposed, marked(both)], // the project's editor added it
      [PACKAGE, existing, marked(proposed), marked(both)], // the blueprint's new version writes it
      [marked(PACKAGE), existing, marked(proposed), both], // the project removed it
      [marked(PACKAGE), marked(existing), proposed, both], // the blueprint no longer writes it
    ]) {
      const { forward } = bothOrders('json', ancestor, e, p);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(expected);
    }
    // Both sides added the file: each wrote its mark or none, and the existing side's stands.
    const added = (name: string) => `{\n  "name": "web",\n  "${name}": 1\n}\n`;
    for (const [e, p] of [[added('a'), marked(added('b'))], [marked(added('a')), added('b')]]) {
      const result = merge('json', '', e, p);
      expect(result.conflictPaths).toEqual([]);
      expect(result.buffer.toString().startsWith('\uFEFF')).toBe(e.startsWith('\uFEFF'));
    }
    // A conflict of values left is marked below the mark, which stays at the start of the file.
    const conflicting = merge('json', PACKAGE, marked(existing.replace('1.0.0', '1.1.0')), proposed.replace('1.0.0', '2.0.0'));
    expect(conflicting.conflictPaths).toEqual(['$.version']);
    expect(conflicting.buffer.toString()).toMatch(/^\uFEFF\{\n {2}"name": "web",\n<<<<<<< existing\n {2}"version": "1.1.0",\n=======\n {2}"version": "2.0.0",\n>>>>>>> proposed\n/);
  });

  // Azure Pipelines' task.json (microsoft/azure-pipelines-tasks, merge 4689cf4): one branch took the task to a new
  // minor version, the other bumped the patch of the old one. Merged part by part that is 2.160.1, a version neither
  // branch made; the person merging kept 2.160.0.
  test('a version written as an object of its parts, both sides changed differently: one conflict, not a version neither side wrote', () => {
    const task = (minor: number, patch: number, extra = '') => `{
    "id": "5541a522-603c-47ad-91fc-a4b1d163081b",
    "name": "DotNetCoreCLI",
    "version": {
        "Major": 2,
        "Minor": ${minor},
        "Patch": ${patch}
    },
    "demands": []${extra}
}
`;
    const ancestor = task(158, 0);
    const existing = task(160, 0);
    const proposed = task(158, 1, ',\n    "minimumAgentVersion": "2.115.0"');
    expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts).toHaveLength(1);
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflictPaths).toEqual(['$.version']);
    // The other member the proposed side added is still merged.
    expect(forward.buffer.toString()).toContain('"minimumAgentVersion": "2.115.0"');

    // Only one side changed the version, the other the member after it (git's conflict): its version is taken, as before.
    const oneLine = (minor: number, patch: number, demands: string) => `{\n  "version": { "Major": 2, "Minor": ${minor}, "Patch": ${patch} },\n  "demands": [${demands}]\n}\n`;
    expect(mergeText(B(oneLine(160, 0, '')), B(oneLine(160, 0, '"npm"')), B(oneLine(160, 1, ''))).conflicts).toHaveLength(1);
    const clean = bothOrders('json', oneLine(160, 0, ''), oneLine(160, 0, '"npm"'), oneLine(160, 1, '')).forward;
    expect(clean.conflicts).toEqual([]);
    expect(parseStructured('json', clean.buffer.toString())).toEqual(parseStructured('json', oneLine(160, 1, '"npm"')));
  });
});

describe('arrays aligned by identity', () => {
  const doc = (list: unknown[]) => `${JSON.stringify({ name: 'x', list, version: 1 }, null, 2)}\n`;
  const valueOf = (result: StructuredMergeResult) => parseStructured('json', result.buffer.toString()) as { list: unknown[] };

  test('one side removes an element, the other changes its neighbour (git joins them into one conflict): both', () => {
    const ancestor = doc(['prettier --write', 'git add']);
    const existing = doc(['prettier --write']);
    const proposed = doc(['prettier --ignore-path x --write', 'git add']);
    expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts).toHaveLength(1);
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(valueOf(forward).list).toEqual(['prettier --ignore-path x --write']);
  });

  test('one side removes the last element, the other appends after it: both', () => {
    const ancestor = doc(['es2015', 'esnext', 'dom']);
    const { forward } = bothOrders('json', ancestor, doc(['es2015', 'esnext']), doc(['es2015', 'esnext', 'dom', 'ES2021.WeakRef']));
    expect(forward.conflicts).toEqual([]);
    expect(valueOf(forward).list).toEqual(['es2015', 'esnext', 'ES2021.WeakRef']);
  });

  test('a changed element keeps its place between the other side\'s insertions before and after it', () => {
    const ancestor = doc(['a', 'b', 'c']);
    const existing = doc(['a', 'B', 'c']);
    const proposed = doc(['a', 'before b', 'b', 'after b', 'c']);
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(valueOf(forward).list).toEqual(['a', 'before b', 'B', 'after b', 'c']);
  });

  test('named objects (steps by name): one side inserts a step and changes one member of a step, the other changes another member of it and inserts elsewhere', () => {
    const ancestor = [
      'steps:',
      '  - name: checkout',
      '    uses: actions/checkout@v4',
      '  - name: publish',
      '    run: npm publish',
      '  - name: notify',
      '    if: success()',
      '    with:',
      '      channel: C1',
      '',
    ].join('\n');
    const existing = ancestor.replace('    if: success()', '    if: steps.publish.outcome == \'success\'')
      .replace('  - name: notify', '  - name: echo\n    run: echo done\n  - name: notify');
    const proposed = ancestor.replace('  - name: notify', '  - name: notify\n    id: slack')
      .replace('  - name: publish', '  - name: version\n    run: npm version\n  - name: publish');
    expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts.length).toBeGreaterThan(0);
    const { forward } = bothOrders('yaml', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(parseStructured('yaml', forward.buffer.toString())).toEqual({
      steps: [
        { name: 'checkout', uses: 'actions/checkout@v4' },
        { name: 'version', run: 'npm version' },
        { name: 'publish', run: 'npm publish' },
        { name: 'echo', run: 'echo done' },
        { name: 'notify', id: 'slack', if: 'steps.publish.outcome == \'success\'', with: { channel: 'C1' } },
      ],
    });
    // The existing text stays: only the proposed side's step and member are added to it.
    expect(forward.buffer.toString()).toContain('  - name: echo\n    run: echo done\n');
  });

  test('both inserted the same element at one place: once', () => {
    const ancestor = doc(['a', 'b']);
    const { forward } = bothOrders('json', ancestor, doc(['a', 'new', 'b']).replace('"version": 1', '"version": 2'), doc(['a', 'new', 'b']).replace('"name": "x"', '"name": "y"'));
    expect(forward.conflicts).toEqual([]);
    expect(valueOf(forward).list).toEqual(['a', 'new', 'b']);
  });

  test('both inserted the same element at different places: a conflict', () => {
    const ancestor = doc(['a', 'b']);
    expect(mergeText(B(ancestor), B(doc(['a', 'new', 'b'])), B(doc(['a', 'b', 'new']))).conflicts.length).toBeGreaterThan(0);
    const { forward } = bothOrders('json', ancestor, doc(['a', 'new', 'b']), doc(['a', 'b', 'new']));
    expect(forward.conflicts.length).toBeGreaterThan(0);
    expect(forward.conflictPaths.length).toBeGreaterThan(0);
  });

  // azure-pipelines-tasks' make-options.json (merges 290633c, b89ca64): a list of task names kept sorted by hand, where
  // each branch added its own tasks at one place; the person merging kept both, in their sorted places.
  test('both inserted different strings at one place of a sorted list: both, each in its sorted place', () => {
    const ancestor = doc(['DownloadBuildArtifacts', 'InstallAppleCertificate', 'Kubernetes', 'NuGet', 'Xcode']);
    const existing = doc(['DownloadBuildArtifacts', 'InstallAppleCertificate', 'InstallSSHKey', 'Kubernetes', 'NuGet', 'Xcode']);
    const proposed = doc(['DownloadBuildArtifacts', 'InstallAppleCertificate', 'InstallAppleProvisioningProfile', 'InstallCertificate', 'Kubernetes', 'NuGet', 'Xcode']);
    expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts).toHaveLength(1);
    const { forward } = bothOrders('json', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toBe(doc([
      'DownloadBuildArtifacts', 'InstallAppleCertificate', 'InstallAppleProvisioningProfile', 'InstallCertificate', 'InstallSSHKey', 'Kubernetes', 'NuGet', 'Xcode',
    ]));
    // A list sorted by hand, with a slip (PackerBuild before PackageDownloader) in ten: still sorted where both inserted.
    const byHand = ['Ant', 'Bash', 'CMake', 'Docker', 'Gradle', 'Kubernetes', 'Maven', 'PackerBuild', 'PackageDownloader', 'Xcode', 'Zip'];
    const withAt = (list: string[], at: number, ...items: string[]) => doc([...list.slice(0, at), ...items, ...list.slice(at)]);
    expect(bothOrders('json', doc(byHand), withAt(byHand, 5, 'InvokeRestApi'), withAt(byHand, 5, 'Helm', 'InstallSSHKey')).forward.buffer.toString())
      .toBe(withAt(byHand, 5, 'Helm', 'InstallSSHKey', 'InvokeRestApi'));
    // Not sorted where they inserted, not sorted as a whole, or too short to say: a conflict, as before.
    expect(bothOrders('json', doc(byHand), withAt(byHand, 5, 'InvokeRestApi'), withAt(byHand, 5, 'Zookeeper')).forward.conflicts).not.toEqual([]);
    const unsorted = ['Xcode', 'NuGet', 'Kubernetes', 'Docker', 'Ant'];
    expect(bothOrders('json', doc(unsorted), withAt(unsorted, 2, 'M'), withAt(unsorted, 2, 'L')).forward.conflicts).not.toEqual([]);
    expect(bothOrders('json', doc(['a', 'b', 'c', 'd']), doc(['a', 'b', 'c', 'd', 'e']), doc(['a', 'b', 'c', 'd', 'f'])).forward.conflicts).not.toEqual([]);
  });

  test('an element one side removed and the other changed: a conflict', () => {
    const ancestor = doc([{ name: 'a', run: '1' }, { name: 'b', run: '2' }]);
    const { forward } = bothOrders('json', ancestor, doc([{ name: 'a', run: '1' }]), doc([{ name: 'a', run: '1' }, { name: 'b', run: '3' }]));
    expect(forward.conflicts.length).toBeGreaterThan(0);
  });

  test('an element one side replaced (renamed, or an unnamed step rewritten whole) and the other changed: a conflict, not the change grafted onto the replacement', () => {
    const cases: [string, string, string][] = [
      [
        'env:\n  - name: REGISTRY\n    value: https://registry.npmjs.org/\n  - name: TOKEN\n    value: x\n',
        'env:\n  - name: LEGACY_REGISTRY\n    value: https://registry.npmjs.org/\n  - name: TOKEN\n    value: x\n',
        'env:\n  - name: REGISTRY\n    value: https://npm.internal.example.com/\n  - name: TOKEN\n    value: x\n',
      ],
      [
        'Steps:\n  - Run: npm ci\n  - Run: npx projen compile\n',
        'Steps:\n  - Run: pnpm install --frozen-lockfile\n  - Run: npx projen compile\n',
        'Steps:\n  - Run: npm ci\n    Env:\n      NPM_CONFIG_IGNORE_SCRIPTS: "true"\n  - Run: npx projen compile\n',
      ],
    ];
    for (const [ancestor, existing, proposed] of cases) {
      const { forward, backward } = bothOrders('yaml', ancestor, existing, proposed);
      for (const result of [forward, backward]) {
        expect(result.conflicts).toHaveLength(1);
        expect(result.buffer.toString()).not.toMatch(/LEGACY_REGISTRY\n\s+value: https:\/\/npm.internal|pnpm install --frozen-lockfile\n\s+Env:/);
      }
    }
    // Unnamed objects both sides edited in place, each keeping members of the ancestor's: merged member by member.
    const ancestor = 'steps:\n  - uses: actions/checkout@v3\n    with:\n      depth: 1\n  - run: make\n';
    const { forward } = bothOrders('yaml', ancestor, ancestor.replace('checkout@v3', 'checkout@v4').replace('- run: make', '- run: make all'), ancestor.replace('depth: 1', 'depth: 0').replace('- run: make', '- run: make test'));
    expect(forward.conflicts).toHaveLength(1);
    expect(forward.buffer.toString()).toContain('  - uses: actions/checkout@v4\n    with:\n      depth: 0\n');
  });

  test('an item one side replaced and the other removed: a conflict (as in git, and in diff3 over the elements), resolved to the favored side', () => {
    const eslint = (items: string[]) => `{\n  "root": true,\n  "extends": [\n${items.map(item => `    "${item}"`).join(',\n')}\n  ]\n}\n`;
    const env = (names: string[]) => `env:\n${names.map(name => `  - name: ${name}\n    value: https://registry.npmjs.org/\n`).join('')}`;
    const cases: [StructuredFormat, string, string, string][] = [
      ['json', eslint(['eslint:recommended', 'plugin:react/recommended', 'prettier']), eslint(['eslint:recommended', 'plugin:react/jsx-runtime', 'prettier']), eslint(['eslint:recommended', 'prettier'])],
      ['yaml', env(['REGISTRY', 'TOKEN']), env(['LEGACY_REGISTRY', 'TOKEN']), env(['TOKEN'])],
    ];
    for (const [format, ancestor, existing, proposed] of cases) {
      const { forward, backward } = bothOrders(format, ancestor, existing, proposed);
      expect(forward.conflicts).toHaveLength(1);
      expect(backward.conflicts).toHaveLength(1);
      for (const favor of ['existing', 'proposed'] as const) {
        const result = merge(format, ancestor, existing, proposed, { favor });
        expect(result.favored).toHaveLength(1);
        expect(parseStructured(format, result.buffer.toString())).toEqual(parseStructured(format, favor === 'existing' ? existing : proposed));
      }
    }
  });

  test('a moved element is moved; moved on one side and changed on the other, a conflict', () => {
    const ancestor = doc(['a', 'b', 'c', 'd']);
    const moved = bothOrders('json', ancestor, doc(['b', 'c', 'a', 'd']), doc(['a', 'b', 'c', 'd', 'e']));
    expect(moved.forward.conflicts).toEqual([]);
    expect(valueOf(moved.forward).list).toEqual(['b', 'c', 'a', 'd', 'e']);
    const named = (run: string) => ({ name: 'a', run });
    const ancestorNamed = doc([named('1'), 'b', 'c']);
    const { forward } = bothOrders('json', ancestorNamed, doc(['b', 'c', named('1')]), doc([named('2'), 'b', 'c']));
    expect(forward.conflicts.length).toBeGreaterThan(0);
  });

  test('repeated strings are aligned one to one', () => {
    const ancestor = doc(['x', 'y', 'x', 'z']);
    const { forward } = bothOrders('json', ancestor, doc(['x', 'y', 'z']), doc(['x', 'y', 'x', 'z', 'w']));
    expect(forward.conflicts).toEqual([]);
    expect(valueOf(forward).list).toEqual(['x', 'y', 'z', 'w']);
  });

  test('YAML: the only item of a block sequence replaced on one side, the file changed elsewhere on the other: the item is swapped in place', () => {
    const ancestor = 'jobs:\n  lint:\n    docker:\n      - image: node:20.6\n    steps:\n      - checkout\nworkflows:\n  main: [lint]\n';
    const existing = ancestor.replace('workflows:\n  main: [lint]\n', '  test:\n    steps:\n      - checkout\nworkflows:\n  main: [lint, test]\n');
    const proposed = ancestor.replace('node:20.6', 'node:20.8').replace('workflows:\n  main: [lint]\n', 'orbs:\n  x: y\nworkflows:\n  main: [lint]\n');
    const { forward } = bothOrders('yaml', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toContain('    docker:\n      - image: node:20.8\n');
  });
});

describe('what the merge of values cannot see', () => {
  test('one side commented out lines whose values the other side changed: git\'s conflict stands', () => {
    const ancestor = 'services:\n  db:\n    image: postgres\n';
    const existing = 'services:\n  db:\n    image: postgres\n  # cache:\n  #   image: redis:6\n';
    const proposed = 'services:\n  db:\n    image: postgres\n  cache:\n    image: redis:7\n';
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const result = merge('yaml', ancestor, e, p);
      expect(result.stage).toBe('line');
      expect(result.buffer.equals(mergeText(B(ancestor), B(e), B(p)).buffer)).toBe(true);
      expect(result.decisions.find(d => d.stage === 'fallback')?.detail).toContain('only comments');
    }
  });

  test('a comment beside values the other side did not touch is kept, and the values merged', () => {
    const ancestor = 'a: 1\nb: 2\nc: 3\n';
    const existing = 'a: 1\nb: 2\n# c is the count\nc: 3\nd: 4\n';
    const proposed = 'a: 1\nb: 2\nc: 3\ne: 5\n';
    const { forward } = bothOrders('yaml', ancestor, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toContain('# c is the count\n');
  });

  test('both sides added a member under one key: merged when the two share a member, a conflict when they share nothing', () => {
    const ancestor = '{\n  "a": 1\n}\n';
    const shared = bothOrders('json', ancestor, '{\n  "a": 1,\n  "opts": { "type": "x", "min": 1 }\n}\n', '{\n  "a": 1,\n  "opts": { "type": "x", "max": 2 }\n}\n');
    expect(shared.forward.conflicts).toEqual([]);
    expect(parseStructured('json', shared.forward.buffer.toString())).toEqual({ a: 1, opts: { type: 'x', min: 1, max: 2 } });
    const disjoint = bothOrders('json', ancestor, '{\n  "a": 1,\n  "opts": { "anyOf": [1] }\n}\n', '{\n  "a": 1,\n  "opts": { "type": "x" }\n}\n');
    expect(disjoint.forward.conflictPaths).toEqual(['$.opts']);
  });
});

describe('package.json policies', () => {
  const policies = PACKAGE_POLICIES.map(packagePolicy);

  test('newerRange: both bumped a range differently: the higher one', () => {
    const existing = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.19.2"');
    const proposed = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.21.0"');
    expect(merge('json', PACKAGE, existing, proposed).conflictPaths).toEqual(['$.dependencies.express']);
    const { forward, backward } = bothOrders('json', PACKAGE, existing, proposed, { policies });
    for (const result of [forward, backward]) {
      expect(result.conflicts).toEqual([]);
      expect((parseStructured('json', result.buffer.toString()) as any).dependencies.express).toBe('^4.21.0');
      expect(result.decisions.find(d => d.stage === 'policy')?.detail).toMatch(/^newerRange: /);
    }
  });

  test('removalWins: removed on one side, only bumped on the other: removed', () => {
    const existing = PACKAGE.replace('    "express": "^4.18.0",\n', '');
    const proposed = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.21.0"');
    const { forward, backward } = bothOrders('json', PACKAGE, existing, proposed, { policies });
    for (const result of [forward, backward]) {
      expect(result.conflicts).toEqual([]);
      expect((parseStructured('json', result.buffer.toString()) as any).dependencies).toEqual({ lodash: '^4.17.20' });
    }
  });

  test('removalWins: a dependency moved to another field is not removed: the other side\'s bump stays a conflict', () => {
    // journey 4, finding 8: the project moved typescript to devDependencies, the blueprint bumped it.
    const ancestor = '{\n  "dependencies": {\n    "express": "^4.18.0",\n    "typescript": "^5.3.0"\n  },\n  "devDependencies": {\n    "jest": "^29.0.0"\n  }\n}\n';
    const existing = '{\n  "dependencies": {\n    "express": "^4.18.0"\n  },\n  "devDependencies": {\n    "jest": "^29.0.0",\n    "typescript": "^5.3.0"\n  }\n}\n';
    const proposed = '{\n  "dependencies": {\n    "express": "^4.18.0",\n    "typescript": "^5.6.0"\n  },\n  "devDependencies": {\n    "jest": "^29.7.0"\n  }\n}\n';
    const { forward, backward } = bothOrders('json', ancestor, existing, proposed, { policies: [packagePolicy('removalWins')] });
    for (const result of [forward, backward]) {
      expect(result.conflictPaths).toEqual(['$.dependencies.typescript']);
      expect(result.decisions.filter(d => d.stage === 'policy')).toEqual([]);
    }
    // A dependency removed from every field is still removed.
    const gone = existing.replace(',\n    "typescript": "^5.3.0"', '');
    const removed = merge('json', ancestor, gone, proposed, { policies: [packagePolicy('removalWins')] });
    expect(removed.conflicts).toEqual([]);
    expect(parseStructured('json', removed.buffer.toString())).toEqual({ dependencies: { express: '^4.18.0' }, devDependencies: { jest: '^29.7.0' } });
  });

  test('off by default, and only for dependency fields and the package\'s version', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.1.0"').replace('"build": "tsc"', '"build": "tsc -b"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": "1.2.0"').replace('"build": "tsc"', '"build": "tsc -p ."');
    expect([...merge('json', PACKAGE, existing, proposed).conflictPaths].sort()).toEqual(['$.scripts.build', '$.version']);
    expect(merge('json', PACKAGE, existing, proposed, { policies }).conflictPaths).toEqual(['$.scripts.build']);
  });

  test('newerVersion: both bumped the package\'s version: the higher one', () => {
    const existing = PACKAGE.replace('"version": "1.0.0"', '"version": "1.10.0"');
    const proposed = PACKAGE.replace('"version": "1.0.0"', '"version": "1.9.3"').replace('"build": "tsc"', '"build": "tsc",\n    "test": "jest"');
    const { forward } = bothOrders('json', PACKAGE, existing, proposed, { policies: [packagePolicy('newerVersion')] });
    expect(forward.conflicts).toEqual([]);
    expect(parseStructured('json', forward.buffer.toString())).toMatchObject({ version: '1.10.0', scripts: { build: 'tsc', test: 'jest' } });
  });

  test('regenerate: a generated field both changed takes the proposed value, and says so', () => {
    const ancestor = '{\n  "integrity": "sha512-a",\n  "n": 1\n}\n';
    const existing = '{\n  "integrity": "sha512-b",\n  "n": 1\n}\n';
    const proposed = '{\n  "integrity": "sha512-c",\n  "n": 1\n}\n';
    const result = merge('json', ancestor, existing, proposed, { policies: [regeneratePolicy(['integrity'])] });
    expect(result.buffer.toString()).toBe(proposed);
    expect(result.decisions.find(d => d.stage === 'policy')?.detail).toMatch(/^regenerate: /);
  });
});

describe('a conflict of values the marking line merge joins without a marker', () => {
  // Both sides added "x" to the list, at different places, and changed "y" differently. The marking merge
  // joined the list's lines cleanly ("x" twice), marked only "y", and the list was still reported as a
  // conflict (with favor: as taken from the proposed side, which it was not) (journey 8).
  const list = (items: string[], y: number) => `{\n  "list": [\n${items.map(item => `    "${item}"`).join(',\n')}\n  ],\n  "y": ${y}\n}\n`;
  const [ancestor, existing, proposed] = [list(['a', 'b', 'c'], 1), list(['x', 'a', 'b', 'c'], 2), list(['a', 'b', 'c', 'x'], 3)];

  test.each([undefined, 'existing', 'proposed'] as const)('favor %s: git\'s result stands, and the decision names the path', favor => {
    const result = merge('json', ancestor, existing, proposed, { favor });
    expect(result.stage).toBe('line');
    expect(result.conflictPaths).toEqual([]);
    expect(result.buffer.equals(mergeText(B(ancestor), B(existing), B(proposed), { favor }).buffer)).toBe(true);
    expect(result.decisions[result.decisions.length - 1].detail).toContain('the line merge merged the conflicting values at $.list without marking them');
  });

  test('a marking merge whose result does not parse taken to one side leaves git\'s result, in both orders (a property test\'s counterexample)', () => {
    const print = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    const a = print({ a: null, g: [0], e: [] });
    const e = print({ a: [0], g: [], e: [] });
    const p = print({ a: {}, g: ['x'], e: [], b: [] });
    for (const [x, y] of [[e, p], [p, e]]) {
      const result = merge('json', a, x, y);
      expect(result.stage).toBe('line');
      expect(result.conflicts.length).toBeGreaterThan(0);
      for (const favor of ['existing', 'proposed'] as const) expect(merge('json', a, x, y, { favor }).conflicts).toEqual([]);
    }
  });

  test('each side adding a different element at the end still merges, marked', () => {
    const result = merge('json', ancestor, list(['a', 'b', 'c', 'x'], 2), list(['a', 'b', 'c', 'z'], 3));
    expect(result.stage).toBe('structure');
    expect(result.conflictPaths).toEqual(['$.list[3]', '$.y']);
  });
});

describe('structured merge of YAML', () => {
  const WORKFLOW = [
    'name: ci # runs on every push',
    'on:',
    '  push:',
    '    branches: [main]',
    'env: &defaults',
    '  NODE: "20"',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v3',
    '      - run: npm test',
    '',
  ].join('\n');

  test('block and flow collections, comments, quoting and anchors stay as the existing file has them', () => {
    const existing = WORKFLOW.replace('checkout@v3', 'checkout@v4').replace('      - run: npm test\n', '      - run: npm test\n      - run: npm run lint # style\n');
    const proposed = WORKFLOW.replace('branches: [main]', 'branches: [main, \'release/*\']').replace('      - run: npm test\n', '      - run: npm test\n    timeout-minutes: 10\n');
    expect(mergeText(B(WORKFLOW), B(existing), B(proposed)).conflicts.length).toBeGreaterThan(0);
    const { forward } = bothOrders('yaml', WORKFLOW, existing, proposed);
    expect(forward.conflicts).toEqual([]);
    expect(forward.buffer.toString()).toBe([
      'name: ci # runs on every push',
      'on:',
      '  push:',
      '    branches: [main, \'release/*\']',
      'env: &defaults',
      '  NODE: "20"',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: npm test',
      '      - run: npm run lint # style',
      '    timeout-minutes: 10',
      '',
    ].join('\n'));
  });

  test('steps the proposed side inserted are told at their place, not as the proposed version of the whole list (journey 18)', () => {
    const existing = `${WORKFLOW}    timeout-minutes: 10\n`;
    const one = merge('yaml', WORKFLOW, existing, `${WORKFLOW}      - run: npm run lint\n`);
    expect(one.conflicts).toEqual([]);
    expect(one.decisions).toContainEqual({ stage: 'structure', path: '$.jobs.build.steps[2]', detail: 'only the proposed side inserted it: it is inserted' });
    const two = merge('yaml', WORKFLOW, existing, `${WORKFLOW}      - run: npm run lint\n      - run: npm run e2e\n`);
    expect(two.decisions).toContainEqual({ stage: 'structure', path: '$.jobs.build.steps[2]', detail: 'only the proposed side inserted these 2 elements: they are inserted' });
    expect([...one.decisions, ...two.decisions].some(decision => decision.path === '$.jobs.build.steps')).toBe(false);
  });

  test('a conflict is marked around the item\'s lines and reported by path', () => {
    const existing = WORKFLOW.replace('checkout@v3', 'checkout@v4').replace('name: ci', 'name: CI');
    const proposed = WORKFLOW.replace('checkout@v3', 'checkout@v5').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-24.04');
    const { forward } = bothOrders('yaml', WORKFLOW, existing, proposed);
    // Each side rewrote the step's only member: two replacements of the step, a conflict of the element.
    expect(forward.conflictPaths).toEqual(['$.jobs.build.steps[0]']);
    const text = forward.buffer.toString();
    expect(text).toContain('name: CI # runs on every push\n');
    expect(text).toContain('    runs-on: ubuntu-24.04\n');
    expect(text).toContain('<<<<<<< existing\n      - uses: actions/checkout@v4\n=======\n      - uses: actions/checkout@v5\n>>>>>>> proposed\n');
  });

  describe('a block scalar both sides changed on different lines (a `run: |` script): merged by its lines, not reported as a conflict (journey 4, finding 11)', () => {
    const SCRIPT = [
      'steps:',
      '  - name: Test',
      '    run: |',
      '      npm ci',
      '      npm run lint',
      '      npm run build',
      '      npm test',
      '      npm run e2e',
      '      npm run coverage',
      'env:',
      '  A: 1',
      '',
    ].join('\n');
    const existingScript = SCRIPT.replace('      npm ci\n', '      npm ci --prefer-offline\n');
    const proposedScript = SCRIPT.replace('      npm run coverage\n', '      npm run coverage -- --ci\n');
    const bothEdits = 'npm ci --prefer-offline\nnpm run lint\nnpm run build\nnpm test\nnpm run e2e\nnpm run coverage -- --ci\n';

    test('beside a real conflict: only that one is reported, marked and favored; the script has both edits', () => {
      const existing = existingScript.replace('  A: 1', '  A: 2');
      const proposed = proposedScript.replace('  A: 1', '  A: 3');
      const { forward } = bothOrders('yaml', SCRIPT, existing, proposed);
      expect(forward.conflictPaths).toEqual(['$.env.A']);
      expect(forward.decisions).toContainEqual({ stage: 'structure', path: '$.steps[0].run', detail: 'both sides changed its lines, different ones: the line merge merged them' });
      expect(forward.decisions.some(d => d.path === '$.steps[0].run' && d.detail.includes('a conflict'))).toBe(false);
      // git's result holds the script as the line merge merged it: no sign of lines taken for another member's, so it is what is edited.
      expect(forward.decisions.some(d => d.detail.includes('the existing text is edited'))).toBe(false);
      const text = forward.buffer.toString();
      expect(text).toContain(`    run: |\n${bothEdits.replace(/^/gm, '      ').replace(/ +$/, '')}`);
      expect(text).toContain('<<<<<<< existing\n  A: 2\n=======\n  A: 3\n>>>>>>> proposed\n');
      for (const favor of ['existing', 'proposed'] as const) {
        const favored = merge('yaml', SCRIPT, existing, proposed, { favor });
        expect(favored.conflictPaths).toEqual(['$.env.A']);
        expect(parseStructured('yaml', favored.buffer.toString())).toEqual({ steps: [{ name: 'Test', run: bothEdits }], env: { A: favor === 'existing' ? 2 : 3 } });
      }
    });

    test('where it is the only conflict of values left: the merge is clean', () => {
      // Both append a member at the end of the file: git conflicts there, the structure merges both.
      const existing = `${existingScript}  B: 1\n`;
      const proposed = `${proposedScript}  C: 1\n`;
      expect(mergeText(B(SCRIPT), B(existing), B(proposed)).conflicts.length).toBeGreaterThan(0);
      const { forward } = bothOrders('yaml', SCRIPT, existing, proposed);
      expect(forward.conflicts).toEqual([]);
      expect(forward.conflictPaths).toEqual([]);
      expect(parseStructured('yaml', forward.buffer.toString())).toEqual({ steps: [{ name: 'Test', run: bothEdits }], env: { A: 1, B: 1, C: 1 } });
    });

    test('changed on the same line differently: still a conflict at its path', () => {
      const existing = SCRIPT.replace('      npm test\n', '      npm test -- --silent\n').replace('  A: 1', '  A: 2');
      const proposed = SCRIPT.replace('      npm test\n', '      npm test -- --ci\n').replace('  A: 1', '  A: 3');
      const { forward } = bothOrders('yaml', SCRIPT, existing, proposed);
      expect(forward.conflictPaths).toEqual(['$.steps[0].run', '$.env.A']);
    });
  });

  describe('tags on scalars (CloudFormation\'s `!Ref`, `!GetAtt`, `!Sub`) are part of their values (journey 18)', () => {
    const TEMPLATE = [
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      'Outputs:',
      '  BucketName:',
      '    Value: !Ref Bucket',
      '  Size: 1',
      '',
    ].join('\n');

    test('outputs both sides added at the end, each with its own tags: both, tags as written', () => {
      const existing = `${TEMPLATE}  BucketArn:\n    Value: !GetAtt Bucket.Arn\n`;
      const proposed = `${TEMPLATE}  Url:\n    Value: !Sub "https://\${Bucket}.s3.amazonaws.com"\n`;
      expect(mergeText(B(TEMPLATE), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward } = bothOrders('yaml', TEMPLATE, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(`${TEMPLATE}  BucketArn:\n    Value: !GetAtt Bucket.Arn\n  Url:\n    Value: !Sub "https://\${Bucket}.s3.amazonaws.com"\n`);
    });

    test('a tag the proposed side changed next to the existing side\'s change: taken with its tag', () => {
      for (const value of ['!GetAtt Bucket.Arn', '!GetAtt Bucket']) {
        const existing = TEMPLATE.replace('  Size: 1', '  Size: 2');
        const proposed = TEMPLATE.replace('!Ref Bucket', value);
        const { forward } = bothOrders('yaml', TEMPLATE, existing, proposed);
        expect(forward.stage).toBe('structure');
        expect(forward.buffer.toString()).toBe(existing.replace('!Ref Bucket', value));
      }
    });

    test('a tag both sides changed differently is a conflict at its value, marked on its line', () => {
      const existing = TEMPLATE.replace('!Ref Bucket', '!Sub Bucket');
      const proposed = TEMPLATE.replace('!Ref Bucket', '!GetAtt Bucket').replace('  Size: 1', '  Size: 2');
      const { forward } = bothOrders('yaml', TEMPLATE, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflictPaths).toEqual(['$.Outputs.BucketName.Value']);
      expect(forward.buffer.toString()).toBe(TEMPLATE.replace('    Value: !Ref Bucket\n', '<<<<<<< existing\n    Value: !Sub Bucket\n=======\n    Value: !GetAtt Bucket\n>>>>>>> proposed\n').replace('  Size: 1', '  Size: 2'));
    });
  });

  describe('anchors and aliases (docker-compose\'s `x-common: &common` and `<<: *common`): a change is made at the anchor, which its aliases read (journey 18)', () => {
    const COMPOSE = [
      'x-common: &common',
      '  restart: unless-stopped',
      '  logging:',
      '    driver: json-file',
      '',
      'services:',
      '  web:',
      '    <<: *common',
      '    image: nginx:1.25',
      '  api:',
      '    <<: *common',
      '    image: api:1.0',
      '',
    ].join('\n');

    test('one side changed a member of the anchored mapping, the other added one beside it: both, at the anchor', () => {
      const existing = COMPOSE.replace('  restart: unless-stopped\n', '  restart: on-failure\n');
      const proposed = COMPOSE.replace('  restart: unless-stopped\n', '  restart: unless-stopped\n  stop_grace_period: 30s\n');
      expect(mergeText(B(COMPOSE), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward } = bothOrders('yaml', COMPOSE, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(COMPOSE.replace('  restart: unless-stopped\n', '  restart: on-failure\n  stop_grace_period: 30s\n'));
      // Told once, where the text changes: not again under each alias.
      expect(forward.decisions.filter(decision => decision.stage === 'structure').map(decision => decision.path)).toEqual(['$.x-common.stop_grace_period', '$']);
    });

    test('both sides changed the same member of the anchored mapping: one conflict, marked and reported at the anchor', () => {
      const existing = COMPOSE.replace('  restart: unless-stopped\n', '  restart: on-failure\n');
      const proposed = COMPOSE.replace('  restart: unless-stopped\n', '  restart: always\n  stop_grace_period: 30s\n');
      const { forward } = bothOrders('yaml', COMPOSE, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflictPaths).toEqual(['$.x-common.restart']);
      expect(forward.buffer.toString()).toBe(COMPOSE.replace('  restart: unless-stopped\n', '<<<<<<< existing\n  restart: on-failure\n=======\n  restart: always\n>>>>>>> proposed\n  stop_grace_period: 30s\n'));
      const favored = merge('yaml', COMPOSE, existing, proposed, { favor: 'proposed' });
      expect(favored.conflictPaths).toEqual(['$.x-common.restart']);
      expect(favored.buffer.toString()).toBe(COMPOSE.replace('  restart: unless-stopped\n', '  restart: always\n  stop_grace_period: 30s\n'));
    });

    test('an anchored scalar both sides changed (`image: *node` reads it twice): one conflict, reported at the anchor', () => {
      const ancestor = 'node: &node node:18\nbuild:\n  image: *node\ntest:\n  image: *node\n';
      const existing = ancestor.replace('node:18', 'node:20');
      const proposed = ancestor.replace('node:18\n', 'node:22\nstages: [build, test]\n');
      const { forward } = bothOrders('yaml', ancestor, existing, proposed);
      expect(forward.conflictPaths).toEqual(['$.node']);
      expect(forward.decisions.filter(decision => decision.stage === 'structure').map(decision => decision.detail))
        .toEqual(['only the proposed side added it: it is added', 'both sides changed it differently: a conflict', '1 conflict of values left, marked (1 hunk)']);
      expect(forward.buffer.toString()).toBe('<<<<<<< existing\nnode: &node node:20\n=======\nnode: &node node:22\n>>>>>>> proposed\nstages: [build, test]\nbuild:\n  image: *node\ntest:\n  image: *node\n');
    });

    test('an element inserted into a list of the anchored mapping: once, at the anchor (the aliases read that very list)', () => {
      const ancestor = COMPOSE.replace('  logging:\n', '  volumes:\n    - ./logs:/logs\n  logging:\n');
      const existing = ancestor.replace('    - ./logs:/logs\n', '    - ./logs:/var/logs\n');
      const proposed = ancestor.replace('    - ./logs:/logs\n', '    - ./logs:/logs\n    - ./tmp:/tmp\n');
      expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward } = bothOrders('yaml', ancestor, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(existing.replace('    - ./logs:/var/logs\n', '    - ./logs:/var/logs\n    - ./tmp:/tmp\n'));
    });

    test('a side that wrote an alias\'s keys out where the other changed the anchor leaves git\'s result', () => {
      const existing = COMPOSE.replace('  restart: unless-stopped\n', '  restart: on-failure\n');
      const proposed = COMPOSE.replace('  restart: unless-stopped\n', '  restart: unless-stopped\n  stop_grace_period: 30s\n')
        .replace('  web:\n    <<: *common\n', '  web:\n    restart: unless-stopped\n');
      const result = merge('yaml', COMPOSE, existing, proposed);
      expect(result.stage).toBe('line');
      expect(result.conflicts).toHaveLength(1);
    });

    // cf-deployment (journey 63): an ops file's anchor was removed with its member by one side, which wrote the
    // value out where the alias was, and the next edit re-read a text with an alias and no anchor. The merge threw
    // the parser's ReferenceError (a crash of the update) instead of leaving git's result.
    test('an edit that removes the anchor an alias still reads leaves git\'s result', () => {
      const ancestor = 'a:\n  k: &x 1\n  m: 2\nb: *x\n';
      const existing = `${ancestor}c: 2\n`;
      const proposed = 'a:\n  m: 3\nb: 1\nd: 3\n';
      const git = mergeText(B(ancestor), B(existing), B(proposed));
      expect(git.conflicts).toHaveLength(1);
      const result = merge('yaml', ancestor, existing, proposed);
      expect(result.stage).toBe('line');
      expect(result.buffer.equals(git.buffer)).toBe(true);
      expect(result.decisions[result.decisions.length - 1].detail).toMatch(/Unresolved alias/);
      // The other way round the edits are made on the text without the anchor, and the merge resolves it.
      const backward = merge('yaml', ancestor, proposed, existing);
      expect(backward.conflicts).toEqual([]);
      expect(parseStructured('yaml', backward.buffer.toString())).toEqual({ a: { m: 3 }, b: 1, d: 3, c: 2 });
    });
  });

  describe('several documents in one file (Kubernetes manifests): merged document by document (journey 18)', () => {
    const MANIFESTS = [
      '---',
      '# the web deployment',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 2',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: web:1.0.0',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      'spec:',
      '  ports:',
      '  - port: 80',
      '',
    ].join('\n');

    test('a value changed beside a member added: both, in their documents', () => {
      const existing = MANIFESTS.replace('  replicas: 2\n', '  replicas: 3\n');
      const proposed = MANIFESTS.replace('  replicas: 2\n', '  replicas: 2\n  revisionHistoryLimit: 5\n').replace('  - port: 80\n', '  - port: 80\n    name: http\n');
      expect(mergeText(B(MANIFESTS), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward } = bothOrders('yaml', MANIFESTS, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(existing.replace('  replicas: 3\n', '  replicas: 3\n  revisionHistoryLimit: 5\n').replace('  - port: 80\n', '  - port: 80\n    name: http\n'));
    });

    test('a conflict is marked in its document and reported with the document\'s index', () => {
      const existing = MANIFESTS.replace('  replicas: 2\n', '  replicas: 3\n');
      const proposed = MANIFESTS.replace('  replicas: 2\n', '  replicas: 4\n  revisionHistoryLimit: 5\n');
      const { forward } = bothOrders('yaml', MANIFESTS, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.conflictPaths).toEqual(['$[0].spec.replicas']);
      expect(forward.buffer.toString()).toContain('spec:\n<<<<<<< existing\n  replicas: 3\n=======\n  replicas: 4\n>>>>>>> proposed\n  revisionHistoryLimit: 5\n');
    });

    test('comments that begin a document after its `---` are its header: they stay when its first key goes', () => {
      const existing = MANIFESTS.replace('---\napiVersion: v1\n', '---\n# the service\napiVersion: v1\n');
      const proposed = MANIFESTS.replace('---\napiVersion: v1\n', '---\n');
      expect(mergeText(B(MANIFESTS), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const result = merge('yaml', MANIFESTS, existing, proposed);
      expect(result.stage).toBe('structure');
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString()).toBe(MANIFESTS.replace('---\napiVersion: v1\n', '---\n# the service\n'));
    });

    test('a document only the proposed side changed, last in a file without a final line break, keeps it without', () => {
      const ancestor = MANIFESTS.slice(0, -1);
      const existing = ancestor.replace('---\napiVersion: v1\n', '---\n# the service\napiVersion: v1\n');
      const proposed = ancestor.replace('---\napiVersion: v1\n', '---\napiVersion: v2\n').replace('  - port: 80', '  - port: 81');
      const result = merge('yaml', ancestor, existing, proposed);
      expect(result.stage).toBe('structure');
      expect(result.buffer.toString()).toBe(existing.replace('apiVersion: v1\n', 'apiVersion: v2\n').replace('  - port: 80', '  - port: 81'));
    });

    // The project ran prettier over it (sequences indented under their key, single quotes); the blueprint changed values.
    const PRETTIER = MANIFESTS.replace('      - name: web\n        image: web:1.0.0\n', "        - name: web\n          image: 'web:1.0.0'\n").replace('  - port: 80\n', '    - port: 80\n');
    const NEXT = MANIFESTS.replace('  replicas: 2\n', '  replicas: 3\n').replace('image: web:1.0.0', 'image: web:2.0.0').replace('  - port: 80\n', '  - port: 80\n    name: http\n');
    const MERGED = PRETTIER.replace('  replicas: 2\n', '  replicas: 3\n').replace("image: 'web:1.0.0'", "image: 'web:2.0.0'").replace('    - port: 80\n', '    - port: 80\n      name: http\n');

    test('documents the project reformatted and the blueprint changed values in: the values change, the project\'s formatting stays (journey 50)', () => {
      expect(mergeText(B(MANIFESTS), B(PRETTIER), B(NEXT)).conflicts.length).toBeGreaterThan(0);
      const { forward } = bothOrders('yaml', MANIFESTS, PRETTIER, NEXT);
      expect(forward.stage).toBe('structure');
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(MERGED);
      expect(forward.decisions.map(decision => decision.path)).toContain('$[0].spec.template.spec.containers[0].image');
      // Only the first document changed, by both: the proposed side's change is made in the project's text of it.
      const next = MANIFESTS.replace('image: web:1.0.0', 'image: web:2.0.0');
      const prettier = PRETTIER.replace('    - port: 80\n', '  - port: 80\n');
      const result = merge('yaml', MANIFESTS, prettier, next);
      expect(result.stage).toBe('structure');
      expect(result.buffer.toString()).toBe(prettier.replace("image: 'web:1.0.0'", "image: 'web:2.0.0'"));
    });

    test('the same in CRLF line ends (a Windows editor), where every line of the file conflicts: the documents are edited, not replaced (journey 50)', () => {
      const crlf = (text: string) => text.replace(/\n/g, '\r\n');
      expect(mergeText(B(MANIFESTS), B(crlf(PRETTIER)), B(NEXT)).conflicts).toHaveLength(1);
      const result = merge('yaml', MANIFESTS, crlf(PRETTIER), NEXT);
      expect(result.stage).toBe('structure');
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString()).toBe(crlf(MERGED));
    });

    const configMap = (name: string) => `---\n# settings\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

    test('a document the proposed side appended, next to a line the existing side added at the end of the last one: both', () => {
      const existing = `${MANIFESTS}    protocol: TCP\n`;
      const proposed = MANIFESTS + configMap('web');
      expect(mergeText(B(MANIFESTS), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward } = bothOrders('yaml', MANIFESTS, existing, proposed);
      expect(forward.stage).toBe('structure');
      expect(forward.buffer.toString()).toBe(existing + configMap('web'));
      // In a file without a final line break, the document goes after one, and the file still ends without.
      const result = merge('yaml', MANIFESTS.slice(0, -1), existing.slice(0, -1), proposed.slice(0, -1));
      expect(result.stage).toBe('structure');
      expect(result.buffer.toString()).toBe((existing + configMap('web')).slice(0, -1));
    });

    test('a document the proposed side removed, next to the existing side\'s change at the end of the one before: removed with its marker and header', () => {
      const ancestor = MANIFESTS + configMap('web');
      const existing = ancestor.replace('  - port: 80\n', '  - port: 81\n');
      const result = merge('yaml', ancestor, existing, MANIFESTS);
      expect(result.stage).toBe('structure');
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString()).toBe(MANIFESTS.replace('  - port: 80\n', '  - port: 81\n'));
    });

    test('the last document changed by both, and a document one side appended after it: merged member by member, the new document kept', () => {
      // The two changes of the Service and the ConfigMap after it are one hunk of documents, with one more on one side:
      // the Service's three versions were a conflict of whole documents, as git's lines are.
      const existing = MANIFESTS.replace('  - port: 80\n', '  - port: 8080\n') + configMap('settings');
      const proposed = MANIFESTS.replace('  - port: 80\n', '  - port: 80\n  type: NodePort\n');
      expect(mergeText(B(MANIFESTS), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward, backward } = bothOrders('yaml', MANIFESTS, existing, proposed);
      expect(forward.conflicts).toEqual([]);
      expect(forward.buffer.toString()).toBe(MANIFESTS.replace('  - port: 80\n', '  - port: 8080\n  type: NodePort\n') + configMap('settings'));
      expect(backward.buffer.toString()).toBe(forward.buffer.toString());
      // The same with unnamed workflow steps: the step both changed, and one side's new step after it.
      const steps = 'steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@v3\n    with:\n      node-version: 18\n';
      const bumped = `${steps.replace('setup-node@v3', 'setup-node@v4')}  - run: npm ci\n`;
      const cached = steps.replace('node-version: 18\n', 'node-version: 18\n      cache: npm\n');
      const { forward: step } = bothOrders('yaml', steps, bumped, cached);
      expect(step.conflicts).toEqual([]);
      expect(step.buffer.toString()).toBe(`${cached.replace('setup-node@v3', 'setup-node@v4')}  - run: npm ci\n`);
    });

    test('one side\'s new document beside the one both changed, where it could be either (it keeps as much of it): still a conflict', () => {
      const existing = MANIFESTS.replace('  - port: 80\n', '  - port: 8080\n') + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ExternalName\n';
      const proposed = MANIFESTS.replace('  - port: 80\n', '  - port: 80\n  type: NodePort\n');
      const { forward } = bothOrders('yaml', MANIFESTS, existing, proposed);
      expect(forward.conflictPaths).toEqual(['$[1]']);
      // The element one side added keeps more of an object the other changed than the one it would be paired with:
      // the proposed side's change (d: 5) is not merged into the new element.
      const ancestor = 'l:\n  - a: 1\n    b: 1\n  - c: 1\n    d: 1\n    e: 1\n';
      const added = 'l:\n  - a: 2\n    b: 1\n  - c: 1\n    d: 1\n    e: 9\n  - c: 1\n    d: 1\n    e: 1\n    f: 2\n';
      const { forward: list } = bothOrders('yaml', ancestor, added, 'l:\n  - a: 1\n    b: 2\n  - c: 1\n    d: 5\n    e: 1\n');
      expect(list.conflicts).toHaveLength(1);
    });

    // Journey 76: a project changed its ConfigMap; the blueprint's next version changed it too and no longer
    // generates the Deployment after it. git's hunk held both, and so did the conflict of documents.
    test('a document both changed, and the one after it that one side removed and the other left: merged, and removed', () => {
      const ancestor = configMap('settings') + 'data:\n  LOG_LEVEL: info\n' + MANIFESTS;
      const existing = ancestor.replace('  LOG_LEVEL: info\n', '  LOG_LEVEL: debug\n  FEATURE_X: "on"\n');
      const withoutDeployment = ancestor.replace(MANIFESTS, MANIFESTS.slice(MANIFESTS.indexOf('---\napiVersion: v1\nkind: Service')));
      const proposed = withoutDeployment.replace('  LOG_LEVEL: info\n', '  LOG_LEVEL: info\n  TZ: UTC\n');
      expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts).toHaveLength(1);
      const { forward, backward } = bothOrders('yaml', ancestor, existing, proposed);
      expect(forward.conflicts).toEqual([]);
      const expected = withoutDeployment.replace('  LOG_LEVEL: info\n', '  LOG_LEVEL: debug\n  FEATURE_X: "on"\n  TZ: UTC\n');
      expect(forward.buffer.toString()).toBe(expected);
      expect(parseStructured('yaml', backward.buffer.toString())).toEqual(parseStructured('yaml', expected));
      // The side that kept the Deployment changed it too: the removal of a changed document stays a conflict.
      const { forward: changed } = bothOrders('yaml', ancestor, existing.replace('  replicas: 2\n', '  replicas: 3\n'), proposed);
      expect(changed.conflicts).toHaveLength(1);
    });

    test('documents both sides appended: a conflict of those documents, marked below the last `---`', () => {
      const result = merge('yaml', MANIFESTS, MANIFESTS + configMap('a'), MANIFESTS + configMap('b'));
      expect(result.stage).toBe('structure');
      expect(result.conflictPaths).toEqual(['$[2]']);
      expect(result.buffer.toString()).toContain('  - port: 80\n---\n# settings\napiVersion: v1\nkind: ConfigMap\nmetadata:\n<<<<<<< existing\n  name: a\n=======\n  name: b\n>>>>>>> proposed\n');
    });

    test('a side of one document where another has several leaves git\'s result', () => {
      const ancestor = 'a: 1\nb: 1\n';
      const result = merge('yaml', ancestor, 'a: 2\nb: 1\n', 'a: 3\nb: 1\n---\nc: 1\n');
      expect(result.stage).toBe('line');
      expect(result.conflicts).toHaveLength(1);
      expect(result.decisions[1].detail).toBe('some sides are one YAML document and some are several: the line merge\'s result stands');
    });
  });

  test.each([
    ['a key written twice', 'a: 1\nb: 1\nb: 2\n', '"b" at line 3, column 1'],
    ['a key written twice in a flow mapping', 'a: 1\nm: {x: 1, x: 2}\n', '"x" at line 2, column 11'],
    ['a key twice in a mapping inside a sequence', 'a: 1\nl:\n  - x: 1\n    x: 2\n', '"x" at line 4, column 5'],
    ['1 and "1", which become one key of the parsed value', 'a: 1\n1: one\n"1": other\n', '"1" at line 3, column 1'],
  ])('%s leaves git\'s result, and the decision names the key', (_, ancestor, key) => {
    const result = merge('yaml', ancestor, ancestor.replace('a: 1', 'a: 2'), ancestor.replace('a: 1', 'a: 3\nc: 1'));
    expect(result.stage).toBe('line');
    expect(result.conflicts).toHaveLength(1);
    expect(result.decisions[1].detail).toContain(`the ancestor side does not parse as YAML (duplicate key ${key})`);
  });

  test('a key that is a mapping (a template\'s {{ include }}) leaves git\'s result, and the decision says where', () => {
    // The yaml package warned through process.emitWarning for each such key, which a merge driver printed into git merge's output.
    const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const ancestor = 'a: 1\nlabels:\n  {{ include "app.labels" . }}\n';
      const result = merge('yaml', ancestor, ancestor.replace('a: 1', 'a: 2'), ancestor.replace('a: 1', 'a: 3\nc: 1'));
      expect(result.stage).toBe('line');
      expect(result.conflicts).toHaveLength(1);
      expect(result.decisions[1].detail).toContain('the ancestor side does not parse as YAML (a key that is a mapping at line 3, column 4, as a template\'s {{ ... }} reads)');
      const sequence = 'a: 1\n? [x, y]\n: 1\n';
      expect(merge('yaml', sequence, sequence.replace('a: 1', 'a: 2'), sequence.replace('a: 1', 'a: 1\nc: 1')).decisions[1].detail)
        .toContain('(a key that is a sequence at line 2, column 3');
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  test('the same key in two mappings is no duplicate', () => {
    const ancestor = 'a: 1\nx:\n  a: 1\ny:\n  a: 1\n';
    const result = merge('yaml', ancestor, ancestor.replace('a: 1', 'a: 2'), ancestor.replace('a: 1', 'a: 2\nb: 1'));
    expect(result.stage).toBe('structure');
  });
});

describe('what git merged cleanly stays, byte for byte, where it conflicts elsewhere (issue 13)', () => {
  /** Merges in both orders and with each side favored: every result holds each of `lines` (the clean hunks' text). */
  function expectKept(format: StructuredFormat, ancestor: string, existing: string, proposed: string, lines: readonly string[]) {
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      expect(mergeText(B(ancestor), B(e), B(p)).conflicts.length).toBeGreaterThan(0);
      for (const favor of [undefined, 'existing', 'proposed'] as const) {
        const result = merge(format, ancestor, e, p, { favor });
        expect(result.stage).toBe('structure');
        for (const line of lines) expect(result.buffer.toString()).toContain(line);
      }
    }
  }

  test('a JSON integer beyond 2^53 the blueprint changed (its double is the same)', () => {
    const ancestor = '{\n  "accountId": 9007199254740993,\n  "retries": 1,\n  "pad1": 1,\n  "pad2": 2,\n  "features": {\n    "a": true\n  }\n}\n';
    const existing = ancestor.replace('"a": true', '"a": true,\n    "mine": true');
    const proposed = ancestor.replace('9007199254740993', '9007199254740992').replace('"a": true', '"a": true,\n    "theirs": true');
    expectKept('json', ancestor, existing, proposed, ['  "accountId": 9007199254740992,\n']);
  });

  test('a YAML tag the blueprint changed (!Ref to !GetAtt: the same string to a parser)', () => {
    const ancestor = 'Outputs:\n  Name:\n    Value: !Ref Bucket\n  Other:\n    Value: 1\nParameters:\n  Env:\n    Default: dev\n';
    const existing = ancestor.replace('Default: dev', 'Default: test');
    const proposed = ancestor.replace('!Ref Bucket', '!GetAtt Bucket').replace('Default: dev', 'Default: prod');
    const forward = merge('yaml', ancestor, existing, proposed, { favor: 'existing' });
    expect(forward.stage).toBe('structure');
    expect(forward.buffer.toString()).toBe(ancestor.replace('!Ref Bucket', '!GetAtt Bucket').replace('Default: dev', 'Default: test'));
    expect(merge('yaml', ancestor, proposed, existing, { favor: 'proposed' }).buffer.equals(forward.buffer)).toBe(true);
  });

  test('a comment rewritten and a string respelled in a clean hunk (JSONC)', () => {
    const ancestor = '{\n  // TODO: remove "legacyAuth" before 2.0\n  "legacyAuth": true,\n  "timeoutSeconds": 1.0,\n  "banner": "Caf\\u00e9 Ops",\n  "a": 1,\n  "b": 2,\n  "features": [\n    "search"\n  ]\n}\n';
    const existing = ancestor.replace('"search"', '"search",\n    "mine"');
    const proposed = ancestor.replace('// TODO: remove "legacyAuth" before 2.0', '// "legacyAuth": kept for v1 API clients, see ADR-12')
      .replace('1.0,', '1.00,').replace('Caf\\u00e9', 'Café').replace('"search"', '"search",\n    "theirs"');
    expectKept('json', ancestor, existing, proposed, ['{\n  // "legacyAuth": kept for v1 API clients, see ADR-12\n  "legacyAuth": true,\n  "timeoutSeconds": 1.00,\n  "banner": "Café Ops",\n']);
  });

  test('both sides changed a value to different numbers, or a collection to different tags, which the parsed values cannot tell apart: git\'s conflict stands', () => {
    const json = '{\n  "name": "x",\n  "accountId": 1,\n  "deps": {\n    "a": "1"\n  }\n}\n';
    const jsonExisting = json.replace('"accountId": 1', '"accountId": 9007199254740993').replace('"a": "1"', '"a": "1",\n    "b": "2"');
    const jsonProposed = json.replace('"accountId": 1', '"accountId": 9007199254740992').replace('"a": "1"', '"a": "1",\n    "c": "3"');
    const yaml = 'Value: !Join [a, b]\nList:\n  - a\n';
    const block = 'Value: !Join\n  - a\n  - b\nList:\n  - a\n';
    const cases: [StructuredFormat, string, string, string][] = [
      ['json', json, jsonExisting, jsonProposed],
      ['yaml', yaml, 'Value: !Sub [a, b]\nList:\n  - a\n  - b\n', 'Value: !Split [a, b]\nList:\n  - a\n  - c\n'],
      ['yaml', block, block.replace('!Join', '!Sub').replace('  - a\n', '  - a\n  - x\n'), block.replace('!Join', '!Split').replace('List:\n  - a\n', 'List:\n  - a\n  - c\n')],
    ];
    for (const [format, ancestor, existing, proposed] of cases) {
      for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
        const result = merge(format, ancestor, e, p);
        expect(result.stage).toBe('line');
        expect(result.buffer.equals(mergeText(B(ancestor), B(e), B(p)).buffer)).toBe(true);
      }
    }
  });
});
