import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, readTree, runCli, tempDir } from '../util';

/**
 * With no existing bundle given, a resynthesis seeds one from the ancestor. A large bundle is copied while the
 * proposed job runs, a small one after it (a copy thread takes longer to start than it takes to copy), and either
 * lands only after that job has ended, so that the proposed job sees no existing bundle, as in the SDK's CLI. The
 * blueprint writes `files` files (20 unless told); its proposed job looks (for up to `waitMs`, 5 s unless told) for
 * the copy being made beside its existing bundle's place, and records what it saw in `SEEN`; its `failIn` option
 * fails one phase.
 */
const BLUEPRINT = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export interface Options { failIn?: string; files?: number; waitMs?: number }
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
export class Blueprint extends ParentBlueprint {
  constructor(options: Options & { outdir: string }) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    for (let i = 0; i < (options.files ?? 20); i++) new SourceFile(repo, 'folder' + (i % 4) + '/file' + i + '.txt', 'line ' + i + '\\n');
    const phase = process.env.RESYNTH_PHASE;
    if (phase !== 'PROPOSED') return;
    const existing = process.env.EXISTING_BUNDLE_ABS!;
    const copying = () => fs.readdirSync(path.dirname(existing)).some(name => name.startsWith('.existing-bundle.staging-'));
    for (let waited = 0; !copying() && waited < (options.waitMs ?? 5000); waited += 20) pause(20);
    fs.writeFileSync(process.env.SEEN!, JSON.stringify({ copying: copying(), existing: fs.existsSync(existing) }));
    if (options.failIn === phase) throw new Error('no ' + phase + ' today');
  }
}
`;

function setUp() {
  const root = tempDir('bluesynth-resynth-seeding-');
  const dir = makeBlueprint(path.join(root, 'blueprint'), BLUEPRINT);
  const out = path.join(root, 'out');
  const seen = path.join(root, 'seen.json');
  const run = (options: object) => {
    const file = path.join(root, 'options.json');
    fs.writeFileSync(file, JSON.stringify(options));
    return runCli(['resynth', '--blueprint', dir, '--options', file, '--outdir', out, '--validation', 'off'], { env: { SEEN: seen } });
  };
  const job = path.join(out, 'resynth.options');
  return { run, job, seen: () => JSON.parse(fs.readFileSync(seen, 'utf8')) };
}

// A large bundle is copied while the proposed job runs, which sees the copy under way; a small one after that job.
test.each([
  ['large', 300, true],
  ['small', 20, false],
])('a %s existing bundle is copied from the ancestor, and lands after the proposed job', (_, files, copying) => {
  const { run, job, seen } = setUp();
  const result = run({ files, waitMs: copying ? 5000 : 0 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  // Either way the proposed job saw no existing bundle.
  expect(seen()).toEqual({ copying, existing: false });
  const ancestor = readTree(path.join(job, 'ancestor-bundle'));
  expect(Object.keys(ancestor).filter(file => file.startsWith('src/app/'))).toHaveLength(files);
  expect(readTree(path.join(job, 'existing-bundle'))).toEqual(ancestor);
  expect(fs.readdirSync(job).filter(name => name.includes('.staging-'))).toEqual([]);
});

test.each([[300], [20]])('a failed proposed job leaves no existing bundle, and no copy of one (%i files)', files => {
  const { run, job, seen } = setUp();
  const result = run({ failIn: 'PROPOSED', files, waitMs: files > 20 ? 5000 : 0 });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/no PROPOSED today/);
  expect(seen()).toEqual({ copying: files > 20, existing: false });
  expect(fs.existsSync(path.join(job, 'ancestor-bundle'))).toBe(true);
  expect(fs.readdirSync(job).filter(name => name.startsWith('existing-bundle') || name.includes('.staging-'))).toEqual([]);
});
