import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, readTree, runCli, tempDir, writeTree } from '../util';

/**
 * The SDK's CLI runs a resynthesis's ancestor synthesis to its end, then the proposed one, and SDK blueprints
 * rely on it. This blueprint does what two of the SDK's own do, each run writing a log line as it starts and
 * as it ends:
 * - sam-serverless-app stages its sources in one fixed folder for every run (`/tmp/sam-lambdas/<runtime>`):
 *   copies its assets in, removes some, pauses here to make the window visible, then copies what is left;
 * - launch-blueprint clones a repository into durable storage once, removes the clone's `.git`, and copies
 *   the clone on every run.
 * Two runs at once would empty, fill and trim the same folders under each other.
 */
const BLUEPRINT = `
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export interface Options { name: string; staging: string; source: string; log: string; failIn?: string }
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
export class Blueprint extends ParentBlueprint {
  constructor(options: Options & { outdir: string }) {
    super(options);
    const phase = this.context.resynthesisPhase;
    const step = (what: string) => fs.appendFileSync(options.log, options.name + ' ' + phase + ' ' + what + '\\n');
    step('start');
    if (options.failIn === phase) throw new Error('no ' + phase + ' today');
    const repo = new SourceRepository(this, { title: 'app' });
    fs.mkdirSync(options.staging, { recursive: true });
    fs.cpSync(path.resolve('static-assets', 'lambda'), options.staging, { recursive: true });
    pause(400);
    cp.execFileSync('rm', ['-rf', path.join(options.staging, 'template.yaml'), path.join(options.staging, '.gitignore')]);
    pause(400);
    for (const file of fs.readdirSync(options.staging).sort()) {
      new SourceFile(repo, 'lambda/' + file, fs.readFileSync(path.join(options.staging, file), 'utf8'));
    }
    const clone = path.join(this.context.durableStoragePath, 'clone');
    if (!fs.existsSync(clone)) {
      cp.execFileSync('git', ['clone', '-q', options.source, clone]);
      fs.rmSync(path.join(clone, '.git'), { recursive: true, force: true });
    }
    for (const file of fs.readdirSync(clone).sort()) {
      new SourceFile(repo, 'cloned/' + file, fs.readFileSync(path.join(clone, file), 'utf8'));
    }
    step('end');
  }
}
`;

const LAMBDA = { 'handler.js': 'exports.handler = async () => 42;\n', 'package.json': '{ "name": "hello" }\n', 'template.yaml': 'Resources: {}\n', '.gitignore': 'node_modules\n' };
const CLONED = { 'README.md': '# app\n', 'deploy.yaml': 'Name: deploy\n' };

/** The blueprint, the repository it clones, and a wizard configuration per name, each with a staging folder of its own. */
function setUp(configurations: string[]) {
  const root = tempDir('bluesynth-resynth-order-');
  const source = path.join(root, 'source');
  writeTree(source, CLONED);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: source, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  const log = path.join(root, 'order.log');
  const wizard = Object.fromEntries(configurations.map(name => [`src/wizard-configurations/${name}.json`, JSON.stringify({ name, staging: path.join(root, 'staging', name) })]));
  const dir = makeBlueprint(path.join(root, 'blueprint'), BLUEPRINT, {
    'src/defaults.json': JSON.stringify({ name: 'defaults', staging: path.join(root, 'staging', 'defaults'), source, log }),
    ...Object.fromEntries(Object.entries(LAMBDA).map(([file, text]) => [`static-assets/lambda/${file}`, text])),
    ...wizard,
  });
  const lines = () => fs.readFileSync(log, 'utf8').trim().split('\n');
  return { root, dir, log, lines };
}

/** The log lines of one configuration, in the order they were written. */
const linesOf = (lines: string[], name: string) => lines.filter(line => line.startsWith(`${name} `));

const SDK_ORDER = (name: string) => [
  `${name} ANCESTOR start`, `${name} ANCESTOR end`,
  `${name} PROPOSED start`, `${name} PROPOSED end`,
  `${name} RESYNTH start`, `${name} RESYNTH end`,
];

test('drive-resynth runs each configuration\'s ancestor, then its proposed: no option changed, nothing changes', () => {
  const { root, dir, lines } = setUp(['node', 'python']);
  const result = runCli(['drive-resynth', '--blueprint', dir, '--outdir', path.join(root, 'out'), '--validation', 'off']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  for (const name of ['node', 'python']) {
    expect(linesOf(lines(), name)).toEqual(SDK_ORDER(name));
    const job = path.join(root, 'out', `resynth.${name}`);
    // Both bundles whole: the staged files less the two removed, and the clone without its .git.
    for (const kind of ['ancestor-bundle', 'proposed-bundle']) {
      expect(Object.keys(readTree(path.join(job, kind, 'src/app'))).sort()).toEqual(['cloned/README.md', 'cloned/deploy.yaml', 'lambda/handler.js', 'lambda/package.json']);
    }
    const report = JSON.parse(fs.readFileSync(path.join(job, 'resynth-report.json'), 'utf8'));
    expect(report.files.filter((file: any) => file.outcome !== 'unchanged')).toEqual([]);
  }
});

test('a failed ancestor ends the resynthesis before the proposed runs, and no earlier proposed bundle is left', () => {
  const { root, dir, lines } = setUp([]);
  const out = path.join(root, 'out');
  const args = ['resynth', '--blueprint', dir, '--options', path.join(dir, 'src/defaults.json'), '--outdir', out, '--validation', 'off'];
  expect(runCli(args).code).toBe(0);
  expect(fs.existsSync(path.join(out, 'resynth.defaults/proposed-bundle/src/app/lambda/handler.js'))).toBe(true);
  fs.writeFileSync(path.join(root, 'order.log'), '');
  const prior = path.join(root, 'prior.json');
  fs.writeFileSync(prior, JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(dir, 'src/defaults.json'), 'utf8')), failIn: 'ANCESTOR' }));
  const failed = runCli([...args, '--prior-options', prior]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/FAIL +resynth\.defaults ancestor .*Error: no ANCESTOR today/);
  expect(lines()).toEqual(['defaults ANCESTOR start']);
  expect(fs.existsSync(path.join(out, 'resynth.defaults/proposed-bundle'))).toBe(false);
});

test('configurations that share one durable storage folder (DURABLE_STORAGE_ABS) run one after another', () => {
  const { root, dir, lines } = setUp(['node', 'python']);
  const shared = path.join(root, 'durable');
  fs.mkdirSync(shared);
  const env = { DURABLE_STORAGE_ABS: shared };
  const resynth = runCli(['drive-resynth', '--blueprint', dir, '--outdir', path.join(root, 'out'), '--validation', 'off'], { env });
  expect(resynth.stderr).toBe('');
  expect(resynth.code).toBe(0);
  expect(lines()).toEqual([...SDK_ORDER('node'), ...SDK_ORDER('python')]);

  fs.writeFileSync(path.join(root, 'order.log'), '');
  const synth = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(root, 'synth'), '--validation', 'off'], { env });
  expect(synth.code).toBe(0);
  expect(lines()).toEqual(['node PROPOSED start', 'node PROPOSED end', 'python PROPOSED start', 'python PROPOSED end']);
});
