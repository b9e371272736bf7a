import { mergeStructured, parseStructured, StructuredFormat } from '../../../../src/resynth/merge/structured';
import { GitMergeWorkspace } from '../git-merge-file';

/**
 * Comments are not values: the merge of values cannot see them, so the text editors keep each comment line
 * with the member or item it precedes (it moves, goes and comes with it), and a comment line the project's
 * developers wrote is never dropped: where it would be, git's conflict stands. Each case is one git
 * conflicts on (checked with `git merge-file`), merged in both orders.
 */
const B = (text: string) => Buffer.from(text, 'utf8');

let git: GitMergeWorkspace;
beforeAll(() => {
  git = new GitMergeWorkspace();
});
afterAll(() => git.dispose());

/** What a merge should give: the text, resolved, or `git`: git's own result, conflict markers and all. */
type Expected = string | 'git';

/** The merge of three texts git conflicts on, in both orders (`backward`: the existing and proposed sides swapped). */
function expectMerge(format: StructuredFormat, ancestor: string, existing: string, proposed: string, forward: Expected, backward: Expected): void {
  for (const [e, p, want] of [[existing, proposed, forward], [proposed, existing, backward]]) {
    const reference = git.run(B(ancestor), B(e), B(p));
    expect(reference.status).toBeGreaterThan(0);
    const result = mergeStructured(B(ancestor), B(e), B(p), { format });
    if (want === 'git') {
      expect(result.stage).toBe('line');
      expect(result.buffer.toString()).toBe(reference.buffer.toString());
    } else {
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.toString()).toBe(want);
      parseStructured(format, want);
    }
  }
}

describe('YAML: a comment stays above the item or key it precedes', () => {
  test('the team edited the comment of a workflow step, the blueprint changed the step before: the comment stays on its step', () => {
    const ancestor = 'steps:\n  - uses: actions/setup-node@v4\n    with:\n      node-version: "20"\n  # install dependencies\n  - run: yarn install\n';
    const existing = ancestor.replace('# install dependencies', '# install deps (team: keep frozen lockfile!)');
    const proposed = ancestor.replace('"20"', '"22"');
    // Backward, the edit of the comment is the proposed side's alone, which the merge of values does not see:
    // the existing text stays as it is (as it always did; only the existing side's comments are guarded).
    expectMerge('yaml', ancestor, existing, proposed, existing.replace('"20"', '"22"'), proposed);
  });

  test('minimal: the item before a commented item changed on the other side', () => {
    const ancestor = '- a\n# about b\n- b\n- c\n';
    const existing = '- a\n# about b (team)\n- b\n- c\n';
    const proposed = '- a2\n# about b\n- b\n- c\n';
    expectMerge('yaml', ancestor, existing, proposed, '- a2\n# about b (team)\n- b\n- c\n', proposed);
  });

  test('an item inserted before a commented item goes above that comment, with the comment it has on its side', () => {
    const ancestor = 'list:\n  - a\n  # about b\n  - b\nn: 1\n';
    const existing = 'list:\n  - a1\n  # about b\n  - b\nn: 1\n';
    const proposed = 'list:\n  - a\n  # about x\n  - x\n  # about b\n  - b\nn: 1\n';
    const merged = 'list:\n  - a1\n  # about x\n  - x\n  # about b\n  - b\nn: 1\n';
    expectMerge('yaml', ancestor, existing, proposed, merged, merged);
  });

  test('an item inserted between a comment and the item it was about takes the comment over, as on its side', () => {
    const ancestor = 'list:\n  # the build\n  - a\n  - b\nn: 1\n';
    const existing = 'list:\n  # the build\n  - a1\n  - b\nn: 1\n';
    const proposed = 'list:\n  # the build\n  - x\n  - a\n  - b\nn: 1\n';
    const merged = 'list:\n  # the build\n  - x\n  - a1\n  - b\nn: 1\n';
    expectMerge('yaml', ancestor, existing, proposed, merged, merged);
  });

  test('a key the blueprint deleted goes with its comment, unless the team wrote that comment: then git\'s conflict stands', () => {
    const ancestor = 'a: 1\n# b is legacy\nb: 2\nc: 3\n';
    const proposed = 'a: 1\nc: 3\n';
    // The comment as it was: it goes with its key (each side also adds a key at the end, where git conflicts).
    const existing = 'a: 1\n# b is legacy\nb: 2\nc: 3\nd: 4\n';
    expectMerge('yaml', ancestor, existing, proposed + 'f: 6\n', 'a: 1\nc: 3\nd: 4\nf: 6\n', 'a: 1\nc: 3\nf: 6\nd: 4\n');
    // The team's own comment about the key: removing it with the key would lose what they wrote. (Backward, the
    // key is removed by the existing side, and the other side's comment about it goes with it.)
    const commented = existing.replace('# b is legacy', '# b is legacy (team: remove in Q3)');
    expectMerge('yaml', ancestor, commented, proposed, 'git', 'a: 1\nc: 3\nd: 4\n');
  });

  test('a heading above the first key under it stays where the side that removed the key kept it above the next (journey 90, kubespray)', () => {
    // kubernetes-sigs/kubespray 26bf719, roles/download/defaults/main.yml: one branch removed istioctl_download_url,
    // the first key under `# Download URLs`, keeping the heading; the other changed the URLs after it.
    const ancestor = 'version: 1\n\n# Download URLs\nistioctl_url: "i"\nkubeadm_url: "k/amd64"\nvault_url: "v"\n';
    const existing = ancestor.replace('"k/amd64"', '"k/{{ arch }}"');
    const proposed = 'version: 1\n\n# Download URLs\nkubeadm_url: "k/amd64"\nvault_url: "v"\n';
    const merged = 'version: 1\n\n# Download URLs\nkubeadm_url: "k/{{ arch }}"\nvault_url: "v"\n';
    expectMerge('yaml', ancestor, existing, proposed, merged, merged);
  });

  test('a comment at the top of the file is the file\'s, not its first key\'s', () => {
    const ancestor = '# generated by the blueprint\na: 1\nb: 2\n';
    const existing = '# generated by the blueprint\na: 1\nb: 3\n';
    const proposed = '# generated by the blueprint\nz: 0\nb: 2\n';
    const merged = '# generated by the blueprint\nz: 0\nb: 3\n';
    expectMerge('yaml', ancestor, existing, proposed, merged, merged);
  });

  test('a comment that ends a block (indented as its value) stays at its end: a key added after the block goes below it (journey 18)', () => {
    const ancestor = 'build:\n  steps:\n    - run: a\n    # TODO: add caching\n  env:\n    A: 1\n';
    const existing = ancestor.replace('  env:\n', '  if: true\n  env:\n');
    const proposed = ancestor.replace('  env:\n', '  needs: lint\n  env:\n');
    expectMerge('yaml', ancestor, existing, proposed,
      ancestor.replace('  env:\n', '  if: true\n  needs: lint\n  env:\n'),
      ancestor.replace('  env:\n', '  needs: lint\n  if: true\n  env:\n'));
  });

  test('a key removed takes the comment that ends its block along, not to the key after it (journey 18)', () => {
    const ancestor = 'a:\n  x: 1\n  # the end of a\nb: 1\nc: 1\n';
    const existing = ancestor.replace('b: 1', 'b: 2');
    const proposed = 'b: 1\nc: 1\n';
    expectMerge('yaml', ancestor, existing, proposed, 'b: 2\nc: 1\n', 'b: 2\nc: 1\n');
  });

  test('members added with a comment block of their own between them (blank lines around it) bring it along (journey 57, bitnami/charts)', () => {
    // The team re-indented the list; the blueprint gave its item two options, and between them a commented-out
    // third one set apart by blank lines: it is about no member, and was dropped with no trace.
    const ancestor = 'hosts:\n- name: a\n  path: /\nother: 1\n';
    const existing = 'hosts:\n  - name: a\n    path: /\nother: 1\n';
    const proposed = 'hosts:\n- name: a\n  path: /\n\n  ## enable TLS\n  tls: false\n\n  ## optional hosts\n  # tlsHosts:\n  # - www\n\n  ## the secret\n  tlsSecret: s\nother: 1\n';
    // (Not set apart from the member before: the team's list sets none of its members apart.)
    const merged = 'hosts:\n  - name: a\n    path: /\n    ## enable TLS\n    tls: false\n    ## optional hosts\n    # tlsHosts:\n    # - www\n\n    ## the secret\n    tlsSecret: s\nother: 1\n';
    // Backward, the indentation is the proposed side's change alone, which values do not see: the existing text stands.
    expectMerge('yaml', ancestor, existing, proposed, merged, proposed);
  });

  test('each side added its own commented-out option at one place: both are kept, the existing side\'s first, as the humans did (journey 57, bitnami/charts; serverless\' templates)', () => {
    const ancestor = 'resources: {}\n\n## Cluster parameters\ncluster:\n  name: cassandra\n';
    const team = '## Secret with the keystore\n# tlsEncryptionSecretName:\n\n';
    const blueprint = '## ConfigMap with custom configuration files\n# existingConfiguration:\n\n';
    const existing = ancestor.replace('## Cluster', `${team}## Cluster`);
    const proposed = ancestor.replace('## Cluster', `${blueprint}## Cluster`).replace('name: cassandra', 'name: cassandra\n  seedCount: 1');
    // git's union: the blank line both notes end with is one line both sides share, after them.
    const both = (first: string, second: string) => ancestor.replace('## Cluster', `${first.slice(0, -1)}${second}## Cluster`).replace('name: cassandra', 'name: cassandra\n  seedCount: 1');
    expectMerge('yaml', ancestor, existing, proposed, both(team, blueprint), both(blueprint, team));
    expectMerge('json', '{\n  "a": 1\n}\n', '{\n  // team note\n  "a": 1\n}\n', '{\n  // blueprint note\n  "a": 1\n}\n',
      '{\n  // team note\n  // blueprint note\n  "a": 1\n}\n', '{\n  // blueprint note\n  // team note\n  "a": 1\n}\n');
  });

  test('both sides changed the same note, or added lines that a block scalar holds as text: git\'s conflict stands', () => {
    // A note both rewrote: keeping both would say two things at once.
    const note = 'a: 1\n# the note\nb: 2\n';
    expectMerge('yaml', note, note.replace('the note', 'the team\'s note'), note.replace('the note', 'the blueprint\'s note'), 'git', 'git');
    // `#` lines inside a literal block are its text: a merge of lines that changes a value is no merge of notes.
    const script = 'run: |\n  set -e\n  make\n';
    expectMerge('yaml', script, script.replace('set -e\n', 'set -e\n  # team step\n'), script.replace('set -e\n', 'set -e\n  # blueprint step\n'), 'git', 'git');
  });

  test('a note at the end of a value line on one side, a comment line below it on the other, the value the same: git\'s conflict stands (journey 90, appwrite)', () => {
    // appwrite/appwrite 1423bb9, docker-compose.yml: the merge of values kept the existing side's line and dropped the
    // commented-out command the other branch had added below it.
    const ancestor = 'mariadb:\n  image: mariadb:10.7\n  command: \'mysqld --innodb-flush-method=fsync\'\n\nmaildev:\n  image: maildev\n';
    const existing = ancestor.replace('fsync\'\n', 'fsync\' # add \' --query_cache_size=0\' for DB tests\n');
    const proposed = ancestor.replace('fsync\'\n', 'fsync\'\n  # command: mv /var/lib/mysql/ib_logfile0 /tmp\n');
    expectMerge('yaml', ancestor, existing, proposed, 'git', 'git');
  });

  test('one side removed comment lines the other only re-spaced: the existing side\'s lines stay, as before (journey 57, bitnami/charts)', () => {
    const ancestor = 'broker: osba\n\n## Configure ingress \n## ref: https://kubernetes.io/docs\ningress:\n  enabled: false\n';
    const existing = ancestor.replace('ingress \n', 'ingress\n');
    const proposed = ancestor.replace('## Configure ingress \n## ref: https://kubernetes.io/docs\n', '');
    expectMerge('yaml', ancestor, existing, proposed, existing, proposed);
    // A side that only dropped a comment's trailing blanks wrote no note of its own either (ansible-examples).
    const spaced = '# deploys the stack  \n- hosts: all\n  user: root\n';
    const rewritten = spaced.replace('# deploys', '## deploys');
    expectMerge('yaml', spaced, rewritten, spaced.replace('stack  ', 'stack'), rewritten, spaced.replace('stack  ', 'stack'));
  });
});

describe('JSONC: a comment stays with the member or element it precedes', () => {
  test('members added with a comment block of their own between them (blank lines around it) bring it along (journey 57)', () => {
    const ancestor = '{\n  "hosts": [\n    {\n      "name": "a"\n    }\n  ],\n  "other": 1\n}\n';
    const existing = ancestor.replace(/\n    /g, '\n      ').replace('\n      }', '\n    }').replace('\n      "name"', '\n        "name"');
    const proposed = ancestor.replace('"name": "a"', '"name": "a",\n\n      // enable TLS\n      "tls": false,\n\n      // optional hosts\n      // "tlsHosts": [],\n\n      // the secret\n      "tlsSecret": "s"');
    const merged = existing.replace('"name": "a"', '"name": "a",\n        // enable TLS\n        "tls": false,\n        // optional hosts\n        // "tlsHosts": [],\n\n        // the secret\n        "tlsSecret": "s"');
    expectMerge('json', ancestor, existing, proposed, merged, proposed);
  });

  test('a member the blueprint deleted goes with its comment, unless the team wrote that comment', () => {
    const ancestor = '{\n  "a": 1,\n  // b is legacy\n  "b": 2,\n  "c": 3\n}\n';
    const proposed = '{\n  "a": 1,\n  "c": 3\n}\n';
    const existing = '{\n  "a": 1,\n  // b is legacy\n  "b": 2,\n  "c": 3,\n  "d": 4\n}\n';
    const merged = '{\n  "a": 1,\n  "c": 3,\n  "d": 4\n}\n';
    expectMerge('json', ancestor, existing, proposed, merged, merged);
    expectMerge('json', ancestor, existing.replace('// b is legacy', '// b is legacy (team: remove in Q3)'), proposed, 'git', merged);
  });

  test('a heading above the first member under it stays where the side that removed the member kept it above the next (journey 90)', () => {
    // As kubespray's YAML above (26bf719), in a tsconfig-like JSONC file: the heading is not the removed member's alone.
    const ancestor = '{\n  "version": 1,\n\n  // Download URLs\n  "istioctl_url": "i",\n  "kubeadm_url": "k/amd64",\n  "vault_url": "v"\n}\n';
    const existing = ancestor.replace('"k/amd64"', '"k/arch"');
    const proposed = '{\n  "version": 1,\n\n  // Download URLs\n  "kubeadm_url": "k/amd64",\n  "vault_url": "v"\n}\n';
    const merged = '{\n  "version": 1,\n\n  // Download URLs\n  "kubeadm_url": "k/arch",\n  "vault_url": "v"\n}\n';
    expectMerge('json', ancestor, existing, proposed, merged, merged);
  });

  test('a block comment on lines of its own goes with its member, also where its lines do not start with an asterisk', () => {
    // Only the last line (`     the old API */`) was not taken for a comment line: the comment stayed, above "c" (journey 8).
    const ancestor = '{\n  "a": 1,\n  /* b is kept for\n     the old API */\n  "b": 2,\n  "c": 3\n}\n';
    const proposed = '{\n  "a": 1,\n  "c": 3\n}\n';
    const existing = '{\n  "a": 1,\n  /* b is kept for\n     the old API */\n  "b": 2,\n  "c": 3,\n  "d": 4\n}\n';
    const merged = '{\n  "a": 1,\n  "c": 3,\n  "d": 4\n}\n';
    expectMerge('json', ancestor, existing, proposed, merged, merged);
    // Written by the team: it is never dropped, and it is not about "c": git's conflict stands.
    expectMerge('json', '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n', existing, proposed, 'git', merged);
  });

  test('two block comments on lines of their own above a member go with it; the comment at the end of the line before stays', () => {
    const ancestor = '{\n  "a": 1,\n  "b": 2, /* about b */\n  /* about c,\n     on two lines */\n  /* and a second\n     note */\n  "c": 3,\n  "d": 4\n}\n';
    const existing = ancestor.replace('"d": 4', '"d": 5');
    const proposed = '{\n  "a": 1,\n  "b": 2, /* about b */\n  "d": 4,\n  "e": 6\n}\n';
    const merged = '{\n  "a": 1,\n  "b": 2, /* about b */\n  "d": 5,\n  "e": 6\n}\n';
    expectMerge('json', ancestor, existing, proposed, merged, merged);
  });

  test('a member removed whose value ends in a comment on several lines: git\'s conflict stands, the comment does not move to the member before', () => {
    const ancestor = '{\n  "a": 1,\n  "b": 2 /* kept for\n  the old API */,\n  "c": 3\n}\n';
    const existing = ancestor.replace('"c": 3', '"c": 4');
    const proposed = '{\n  "a": 1,\n  "c": 3,\n  "e": 5\n}\n';
    expectMerge('json', ancestor, existing, proposed, 'git', '{\n  "a": 1,\n  "c": 4,\n  "e": 5\n}\n');
  });

  test('deleting the first member keeps the comment of the next one', () => {
    const ancestor = '{\n  "a": 1,\n  // about b\n  "b": 2,\n  "c": 3\n}\n';
    const existing = '{\n  "a": 1,\n  // about b\n  "b": 2,\n  "c": 3,\n  "x": 0\n}\n';
    const proposed = '{\n  // about b\n  "b": 2,\n  "c": 3,\n  "y": 0\n}\n';
    expectMerge('json', ancestor, existing, proposed,
      '{\n  // about b\n  "b": 2,\n  "c": 3,\n  "x": 0,\n  "y": 0\n}\n',
      '{\n  // about b\n  "b": 2,\n  "c": 3,\n  "y": 0,\n  "x": 0\n}\n');
  });

  test('deleting the last member keeps the comment at the end of the line before', () => {
    const ancestor = '{\n  "a": 1, // about a\n  "b": 2\n}\n';
    const existing = '{\n  "a": 1, // about a\n  "b": 2,\n  "x": 0\n}\n';
    const proposed = '{\n  "a": 1 // about a\n}\n';
    expectMerge('json', ancestor, existing, proposed, '{\n  "a": 1, // about a\n  "x": 0\n}\n', '{\n  "a": 1, // about a\n  "x": 0\n}\n');
  });
});

describe('a comment at the end of a value line is about that value', () => {
  const cases: [string, StructuredFormat, string, string, string][] = [
    ['removed by the other side (JSONC)', 'json',
      '{\n  "compilerOptions": {\n    "strict": true,\n    "skipLibCheck": true,\n    "target": "es2019"\n  }\n}\n',
      '{\n  "compilerOptions": {\n    "strict": true,\n    "skipLibCheck": true, // needed until @types/express 5 lands, see INC-4411\n    "target": "es2019"\n  }\n}\n',
      '{\n  "compilerOptions": {\n    "strict": true,\n    "target": "es2019"\n  }\n}\n'],
    ['removed by the other side (YAML)', 'yaml',
      'services:\n  web:\n    image: app\n    privileged: true\n    restart: always\n',
      'services:\n  web:\n    image: app\n    privileged: true # needed for the docker-in-docker build, see INC-4412\n    restart: always\n',
      'services:\n  web:\n    image: app\n    restart: always\n'],
    ['changed by the other side (YAML)', 'yaml',
      'services:\n  web:\n    image: node:18\n    ports: [80]\n',
      'services:\n  web:\n    image: node:18 # pinned: 20 breaks our native addon, do not bump\n    ports: [80]\n',
      'services:\n  web:\n    image: node:20\n    ports: [8080]\n'],
    ['changed by the other side (JSONC), the comment rewritten', 'json',
      '{\n  "compilerOptions": {\n    "target": "es2019", // Lambda\n    "strict": true\n  }\n}\n',
      '{\n  "compilerOptions": {\n    "target": "es2019", // must stay es2019: Lambda runtime node12\n    "strict": true\n  }\n}\n',
      '{\n  "compilerOptions": {\n    "target": "es2022", // Lambda\n    "strict": false\n  }\n}\n'],
  ];
  test.each(cases)('%s: git\'s conflict stands; a favored side keeps its own line, reported as a favored hunk', (_name, format, ancestor, existing, proposed) => {
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const reference = git.run(B(ancestor), B(e), B(p));
      expect(reference.status).toBeGreaterThan(0);
      const result = mergeStructured(B(ancestor), B(e), B(p), { format });
      expect(result.stage).toBe('line');
      expect(result.buffer.toString()).toBe(reference.buffer.toString());
      for (const [favor, side] of [['existing', e], ['proposed', p]] as const) {
        const favored = mergeStructured(B(ancestor), B(e), B(p), { format, favor });
        expect(favored.buffer.toString()).toBe(side);
        expect(favored.favored.length).toBeGreaterThan(0);
      }
    }
  });

  test('a line one side commented out, which the other side renamed, in a hunk with other changes: git\'s conflict stands (journey 57, ansible-examples)', () => {
    // The team turned `user: root` off (and changed the hosts); the playbook's upstream renamed it `remote_user`.
    // By value the rename is a clean change, but it puts back, under its new name, what the comment turned off.
    const ancestor = '- hosts: servers \n  user: root\n  roles:\n    - app\n';
    const existing = '- hosts: all\n  #user: root\n  roles:\n    - app\n';
    const proposed = '- hosts: servers\n  remote_user: root\n  roles:\n    - app\n';
    expectMerge('yaml', ancestor, existing, proposed, 'git', 'git');
    const json = '{\n  "hosts": "servers",\n  "user": "root",\n  "roles": ["app"]\n}\n';
    expectMerge('json', json, json.replace('"servers"', '"all"').replace('"user"', '// "user"'), json.replace('"user"', '"remote_user"'), 'git', 'git');
    // A commented-out example that repeats a value line the side still has (a chart's `# enabled: false`) turns nothing off.
    const values = 'a:\n  enabled: false\nb:\n  size: 1\n';
    const example = mergeStructured(B(values), B(values.replace('b:\n  size: 1', 'b:\n  # enabled: false\n  size: 2')), B(values.replace('b:\n', 'b:\n  mode: x\n')), { format: 'yaml' });
    expect(git.run(B(values), B(values.replace('b:\n  size: 1', 'b:\n  # enabled: false\n  size: 2')), B(values.replace('b:\n', 'b:\n  mode: x\n'))).status).toBeGreaterThan(0);
    expect(example.conflicts).toEqual([]);
    expect(parseStructured('yaml', example.buffer.toString())).toEqual({ a: { enabled: false }, b: { mode: 'x', size: 2 } });
    expect(example.buffer.toString()).toContain('# enabled: false');
  });

  test('a comment written at the end of one line, a value changed on the next by the other side: both, by value', () => {
    const ancestor = 'a: 1\nb: 2\nc: 3\n';
    const existing = 'a: 1 # the first\nb: 2\nc: 3\n';
    const proposed = 'a: 1\nb: 20\nc: 3\n';
    // Backward, the comment is the proposed side's alone, inside git's conflict: like a comment line, not carried over.
    expectMerge('yaml', ancestor, existing, proposed, 'a: 1 # the first\nb: 20\nc: 3\n', 'a: 1\nb: 20\nc: 3\n');
  });
});
