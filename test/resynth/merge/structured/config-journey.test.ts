import * as fs from 'fs';
import * as path from 'path';
import { mergeStructured } from '../../../../src/resynth/merge/structured';
import { GitMergeWorkspace } from '../git-merge-file';

/**
 * Real configuration files through a blueprint update: v1 and v2 of a generated file from a public
 * repository's history, and the project's hand edits (test/fixtures/config-journey/README.md).
 */
const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'config-journey');

function triple(folder: string, extension: string) {
  const read = (role: string) => fs.readFileSync(path.join(FIXTURES, folder, `${role}.${extension}`));
  return { ancestor: read('ancestor'), existing: read('existing'), proposed: read('proposed') };
}

const B = (text: string) => Buffer.from(text, 'utf8');

let git: GitMergeWorkspace;
beforeAll(() => {
  git = new GitMergeWorkspace();
});
afterAll(() => git.dispose());

describe('a comment at the end of a value\'s line is about that value', () => {
  test('v2 bumped a pinned action (`@<sha> # v6.4.0`), the project added a key to its step: the new sha comes with its own comment', () => {
    const { ancestor, existing, proposed } = triple('webpack-test-yml-pinned-action', 'yml');
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.conflicts).toEqual([]);
    const text = result.buffer.toString('utf8');
    expect(text).toContain('        uses: actions/setup-node@48b55a011bda9f5d6aeb4c2d9c7362e8dae4041e # v6.4.0\n        id: node\n');
    expect(text).not.toContain('# v6.3.0');
    // Otherwise the proposed file with the project's one line.
    expect(text).toBe(proposed.toString('utf8').replace('# v6.4.0\n', '# v6.4.0\n        id: node\n'));
  });

  test('v2 also put a step before it (the bumped action\'s path names another step in v1): the new sha still comes with its own comment', () => {
    const { ancestor, existing, proposed: bumped } = triple('webpack-test-yml-pinned-action', 'yml');
    const proposed = Buffer.from(bumped.toString('utf8').replace('    steps:\n      - uses: actions/checkout', '    steps:\n      - name: Harden runner\n        uses: step-security/harden-runner@v2\n\n      - uses: actions/checkout'));
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.conflicts).toEqual([]);
    expect(result.buffer.toString('utf8')).toBe(proposed.toString('utf8').replace('# v6.4.0\n', '# v6.4.0\n        id: node\n'));
  });

  test('both sides bumped the pinned action, each with its comment: a conflict at its path, each side\'s line as that side wrote it', () => {
    const { ancestor, existing, proposed } = triple('webpack-test-yml-both-bumped', 'yml');
    for (const [ours, theirs] of [[existing, proposed], [proposed, existing]]) {
      const reference = git.run(ancestor, ours, theirs);
      expect(reference.status).toBe(1);
      const result = mergeStructured(ancestor, ours, theirs, { format: 'yaml' });
      // git's markers, around the same line: neither side's line has the other's comment.
      expect(result.buffer.toString('utf8')).toBe(reference.buffer.toString('utf8'));
      expect(result.conflictPaths).toEqual(['$.jobs.lint.steps[1].uses']);
    }
  });

  test('both sides bumped the pinned action, under preferProposed (the fallback) and preferExisting: each side\'s line whole, its sha with its own comment', () => {
    const { ancestor, existing, proposed } = triple('webpack-test-yml-both-bumped', 'yml');
    const lines = (favor: 'existing' | 'proposed') => mergeStructured(ancestor, existing, proposed, { format: 'yaml', favor })
      .buffer.toString('utf8').split('\n').filter(line => line.includes('actions/setup-node@'));
    expect(lines('proposed')).toEqual(['        uses: actions/setup-node@48b55a011bda9f5d6aeb4c2d9c7362e8dae4041e # v6.4.0']);
    expect(lines('existing')).toEqual(['        uses: actions/setup-node@aaaabbbbccccddddeeeeffff0000111122223333 # v6.3.1']);
  });

  test('multi-document manifests: the project scaled replicas with a comment saying why, v2 changed them too: the proposed side of the conflict is v2\'s line', () => {
    const { ancestor, existing, proposed } = triple('codecatalyst-eks-manifests-replicas', 'yaml');
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.conflictPaths).toEqual(['$[0].spec.replicas']);
    const text = result.buffer.toString('utf8');
    expect(text).toContain('spec:\n<<<<<<< existing\n  replicas: 4  # scaled for launch\n=======\n  replicas: 3\n>>>>>>> proposed\n  selector:\n');
    // Everything else merged: v2's image and service affinity, the project's resources and service type.
    expect(text).toContain('sample_app_001:v2\n');
    expect(text).toContain('            limits: {cpu: 500m, memory: 256Mi}\n---\n');
    expect(text.endsWith('  type: NodePort\n  sessionAffinity: ClientIP\n')).toBe(true);
  });


  test('JSONC: v2 moved the devcontainer\'s image to Node.js 24 (`// Node.js 24, as in CI`), the project added runArgs below it: the image comes with its comment', () => {
    const { ancestor, existing, proposed } = triple('serverless-devcontainer-image-comment', 'json');
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'json' });
    expect(result.conflicts).toEqual([]);
    expect(result.buffer.toString('utf8')).toBe(proposed.toString('utf8').replace('as in CI\n', 'as in CI\n  "runArgs": ["--network=host"],\n'));
  });

  test('JSONC: v2 put an element before one it changed with its comment, the project added one after it: a conflict, each comment on its own element', () => {
    const ancestor = '{\n  "extends": [\n    "eslint:recommended",\n    "plugin:acme/base@1" // acme rules v1\n  ],\n  "root": true\n}\n';
    const proposed = ancestor.replace('    "eslint:recommended",\n', '    "eslint:recommended",\n    "prettier",\n').replace('"plugin:acme/base@1" // acme rules v1', '"plugin:acme/base@2" // acme rules v2');
    const existing = ancestor.replace('"plugin:acme/base@1" // acme rules v1\n', '"plugin:acme/base@1", // acme rules v1\n    "plugin:team/extra"\n');
    const reference = git.run(B(ancestor), B(existing), B(proposed));
    expect(reference.status).toBe(1);
    // By value, v2 replaced "plugin:acme/base@1" with two elements and the project appended one right after it:
    // whether "prettier" went before or after the rewritten element, the alignment cannot tell, so the order of the
    // two sides' new elements would be a guess (as in a Travis CI list that v2 rewrote from numbers to strings and
    // extended where the project had extended it: commander.js e00c4ca, which a guess merged with each version twice).
    // It stays git's conflict, each comment beside its own element.
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'json' });
    expect(result.conflicts.length).toBe(1);
    expect(result.buffer.toString('utf8')).toBe(reference.buffer.toString('utf8'));
  });

  test('YAML: both sides extended a list whose elements one of them rewrote (numbers to strings): a conflict, never each new element twice', () => {
    // commander.js, merge e00c4ca: .travis.yml's node_js, written as strings on one side and extended on both.
    const ancestor = 'language: node_js\nnode_js:\n  - 0.4\n  - 0.6\n';
    const existing = 'language: node_js\nnode_js:\n  - 0.4\n  - 0.6\n  - 0.8\n  - 0.10\n';
    const proposed = 'language: node_js\nnode_js:\n  - "0.6"\n  - "0.8"\n  - "0.10"\n';
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'yaml' });
    expect(result.conflicts.length).toBe(1);
    expect(result.buffer.toString('utf8')).toBe('language: node_js\nnode_js:\n<<<<<<< existing\n  - 0.4\n  - 0.6\n  - 0.8\n  - 0.10\n=======\n  - "0.6"\n  - "0.8"\n  - "0.10"\n>>>>>>> proposed\n');
  });

  test('JSONC: a tsconfig member v2 added with a comment after it (`// arr[i] may be undefined`) comes with its comment, as a YAML entry does', () => {
    const ancestor = '{\n  "compilerOptions": {\n    "strict": true,\n    "outDir": "lib"\n  }\n}\n';
    const proposed = ancestor.replace('"strict": true,\n', '"strict": true,\n    "noUncheckedIndexedAccess": true, // arr[i] may be undefined\n');
    const existing = ancestor.replace('"strict": true,\n', '"strict": true,\n    "skipLibCheck": true,\n').replace('"lib"', '"dist"');
    for (const [ours, theirs] of [[existing, proposed], [proposed, existing]]) {
      expect(git.run(B(ancestor), B(ours), B(theirs)).status).toBeGreaterThan(0);
      const result = mergeStructured(B(ancestor), B(ours), B(theirs), { format: 'json' });
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString('utf8')).toContain('    "noUncheckedIndexedAccess": true, // arr[i] may be undefined\n');
    }
  });

  test('JSONC: a `tsc --init` block comment after a value changed with it, a comma after the value and none after the comment', () => {
    const ancestor = '{\n  "compilerOptions": {\n    "target": "es2016",  /* ES2016: Node.js 8 */\n    "strict": true\n  }\n}\n';
    const proposed = ancestor.replace('"es2016",  /* ES2016: Node.js 8 */', '"es2022",  /* ES2022: Node.js 16 */');
    const existing = ancestor.replace('Node.js 8 */\n', 'Node.js 8 */\n    "outDir": "lib",\n');
    for (const [ours, theirs, want] of [
      [existing, proposed, proposed.replace('16 */\n', '16 */\n    "outDir": "lib",\n')],
      [proposed, existing, proposed.replace('16 */\n', '16 */\n    "outDir": "lib",\n')],
    ]) {
      expect(git.run(B(ancestor), B(ours), B(theirs)).status).toBeGreaterThan(0);
      const result = mergeStructured(B(ancestor), B(ours), B(theirs), { format: 'json' });
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString('utf8')).toBe(want);
    }
  });
});

describe('what --explain tells of each stage', () => {
  test('a member only v2 has is told as added, not as changed (the project never had it)', () => {
    const { ancestor, existing, proposed } = triple('codecatalyst-eks-manifests-replicas', 'yaml');
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.decisions.filter(decision => decision.stage === 'structure' && decision.path !== '$').map(decision => `${decision.path}: ${decision.detail}`)).toEqual([
      '$[0].spec.replicas: both sides changed it differently: a conflict',
      '$[1].spec.sessionAffinity: only the proposed side added it: it is added',
    ]);
  });

  test('an element only v2 removed (Node.js 18 from a flow matrix) is told at its own path, not at the array\'s', () => {
    const ancestor = 'on:\n  push:\n    branches: [main]\njobs:\n  test:\n    strategy:\n      matrix:\n        node: [18, 20]\n    steps:\n      - run: npm test\n...\n';
    const existing = ancestor.replace('branches: [main]', 'branches: [main, "release/*"]').replace('node: [18, 20]', 'node: [18, 20, 21]');
    const proposed = ancestor.replace('branches: [main]', 'branches: [main, next]').replace('node: [18, 20]', 'node: [20, 22]');
    expect(git.run(B(ancestor), B(existing), B(proposed)).status).toBe(2);
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'yaml' });
    expect(result.conflictPaths).toEqual(['$.on.push.branches[1]', '$.jobs.test.strategy.matrix.node[2]']);
    expect(result.decisions.map(decision => `${decision.path}: ${decision.detail}`)).toContain('$.jobs.test.strategy.matrix.node[0]: only the proposed side removed it: it is removed');
    // The flow sequences stay flow, the document end marker stays.
    expect(result.buffer.toString('utf8')).toContain('<<<<<<< existing\n        node: [20, 21]\n=======\n        node: [20, 22]\n>>>>>>> proposed\n');
    expect(result.buffer.toString('utf8').endsWith('      - run: npm test\n...\n')).toBe(true);
  });
});

describe('a structured result reads as a person\'s edit', () => {
  test('a minified renovate.json on one line: an element v2 added to a one-element array is written without a blank, as the file writes its commas', () => {
    const ancestor = '{"extends":["config:recommended"],"schedule":["before 6am on monday"],"labels":["dependencies"],"rangeStrategy":"bump"}\n';
    const proposed = ancestor.replace('["config:recommended"]', '["config:recommended",":semanticCommits"]');
    const existing = ancestor.replace('["dependencies"]', '["dependencies","team-platform"]');
    for (const [ours, theirs] of [[existing, proposed], [proposed, existing]]) {
      expect(git.run(B(ancestor), B(ours), B(theirs)).status).toBe(1);
      const result = mergeStructured(B(ancestor), B(ours), B(theirs), { format: 'json' });
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString('utf8')).toBe('{"extends":["config:recommended",":semanticCommits"],"schedule":["before 6am on monday"],"labels":["dependencies","team-platform"],"rangeStrategy":"bump"}\n');
    }
  });
});

describe('--explain names what made the structure stand aside', () => {
  test('the project commented on replicas (`# HPA manages this`), v2 changed them: the fallback names that line', () => {
    const { ancestor, proposed } = triple('codecatalyst-eks-manifests-replicas', 'yaml');
    const existing = Buffer.from(ancestor.toString('utf8').replace('replicas: 2\n', 'replicas: 2  # HPA manages this\n'));
    const reference = git.run(ancestor, existing, proposed);
    expect(reference.status).toBe(1);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.buffer.equals(reference.buffer)).toBe(true);
    expect(result.decisions.find(decision => decision.stage === 'fallback')?.detail)
      .toBe('one side wrote a comment at the end of the value line \'replicas: 2  # HPA manages this\' (in git\'s conflict hunk at line 7), whose value the other side changed or removed (the comment is about that value): the line merge\'s result stands');
  });

  test('the project commented replicas out (the HPA scales them), v2 changed them: the fallback names the hunk', () => {
    const { ancestor, proposed } = triple('codecatalyst-eks-manifests-replicas', 'yaml');
    const existing = Buffer.from(ancestor.toString('utf8').replace('  replicas: 2\n', '  # replicas: 2  (the HPA scales it)\n'));
    const reference = git.run(ancestor, existing, proposed);
    expect(reference.status).toBe(1);
    const result = mergeStructured(ancestor, existing, proposed, { format: 'yaml' });
    expect(result.buffer.equals(reference.buffer)).toBe(true);
    expect(result.decisions.find(decision => decision.stage === 'fallback')?.detail)
      .toBe('one side changed only comments where the other changed values, in git\'s conflict hunk at line 7 (the comment may be about them): the line merge\'s result stands');
  });
});
