/**
 * `yarn bench:fresh-checkout`: times the first `blueprint synth` of a blueprint in a folder it has never run in (a
 * fresh clone or CI checkout: no `lib/options.schema.json`), with a cache folder that an earlier run of the same
 * blueprint elsewhere has warmed, against a second run in the same folder and `node -e 0`; interleaved, and
 * recorded in bench/RESULTS.md under "## Fresh checkout".
 *
 *   yarn bench:fresh-checkout [--runs 5] [--no-record] [--cli other/lib/cli/main.js ...]
 *
 * The blueprints: the service example, and a minimal one whose `Options` lists two strings. `--cli` (repeatable)
 * times those builds of the CLI (an older `lib/`, say) besides this one's, each with a cache folder of its own.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildLabel, shortCommit } from './lib/build';
import { cleanEnv } from './lib/env';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatSeconds, measure, Measurement, median } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'fresh-checkout');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');

const MINIMAL = `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { top: string; bottom: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'f.txt', options.top + '\\n' + options.bottom + '\\n');
  }
}
`;

/** The blueprint folders, as committed: without the `lib/` a run writes. */
function blueprints(): Record<string, string> {
  const minimal = path.join(OUT, 'minimal');
  fs.rmSync(minimal, { recursive: true, force: true });
  fs.mkdirSync(path.join(minimal, 'src'), { recursive: true });
  fs.writeFileSync(path.join(minimal, 'package.json'), JSON.stringify({ name: 'minimal-blueprint', version: '1.0.0' }));
  fs.writeFileSync(path.join(minimal, 'src', 'defaults.json'), JSON.stringify({ top: 'a', bottom: 'b' }));
  fs.writeFileSync(path.join(minimal, 'src', 'index.ts'), MINIMAL);
  const service = path.join(OUT, 'service');
  fs.rmSync(service, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'blueprints', 'service'), service, { recursive: true, filter: source => path.basename(source) !== 'lib' });
  return { service, minimal };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'runs': { type: 'string', default: '5' }, 'no-record': { type: 'boolean' }, 'cli': { type: 'string', multiple: true } } });
  const runs = Number(values.runs);
  const builds = [...(values.cli ?? []).map(cli => path.resolve(cli)), CLI];
  for (const cli of builds) if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npx tsc --build\` first`);
  const machine = describeMachine();
  const header = ['blueprint', 'build', 'fresh checkout', 'same folder again', 'node -e 0', 'fresh / same folder'];
  const rows: string[][] = [];
  for (const [name, blueprint] of Object.entries(blueprints())) {
    const fresh = builds.map(() => [] as Measurement[]);
    const again = builds.map(() => [] as Measurement[]);
    const node: Measurement[] = [];
    const envs = builds.map((_, index) => cleanEnv({ BLUESYNTH_CACHE_DIR: path.join(OUT, `cache-${name}-${index}`) }));
    for (const [index] of builds.entries()) fs.rmSync(path.join(OUT, `cache-${name}-${index}`), { recursive: true, force: true });
    // Run -1 warms each build's cache folder from a checkout of its own; then interleaved.
    for (let run = -1; run < runs; run++) {
      node.push(await measure(process.execPath, ['-e', '0']));
      for (const [index, cli] of builds.entries()) {
        const checkout = path.join(OUT, `checkout-${name}-${index}-${run}`);
        fs.rmSync(checkout, { recursive: true, force: true });
        fs.cpSync(blueprint, checkout, { recursive: true });
        const synth = () => measure(process.execPath, [cli, 'synth', '--blueprint', checkout, '--options', path.join(checkout, 'src', 'defaults.json'), '--outdir', path.join(checkout, 'synth')], { env: envs[index] });
        const first = await synth();
        const second = await synth();
        for (const measured of [first, second]) if (measured.exitCode !== 0) throw new Error(`synth of ${name} (${label(cli)}) failed: ${measured.stderr}`);
        if (run >= 0) fresh[index].push(first), again[index].push(second);
        fs.rmSync(checkout, { recursive: true, force: true });
      }
    }
    const wall = (measured: Measurement[]) => median(measured.map(m => m.wallMs));
    for (const [index, cli] of builds.entries()) {
      rows.push([name, label(cli), formatSeconds(wall(fresh[index])), formatSeconds(wall(again[index])), formatSeconds(wall(node.slice(1))), `${(wall(fresh[index]) / wall(again[index])).toFixed(2)}x`]);
    }
  }
  console.log(textTable(header, rows, 'llrrrr'));
  if (values['no-record']) return;
  const code = shortCommit(ROOT);
  recordSection(RESULTS, '## Fresh checkout', [
    'Command: `yarn bench:fresh-checkout` (`ts-node --transpile-only -P test/tsconfig.json bench/fresh-checkout.ts`): a blueprint',
    'copied into a new folder (as a clone or CI checkout is: no `lib/options.schema.json`), then',
    '`node lib/cli/main.js synth --blueprint <copy> --options <copy>/src/defaults.json --outdir <copy>/synth` twice: the first',
    'run there, and the same folder again. The cache folder (`BLUESYNTH_CACHE_DIR`, one per build) was warmed by one such run',
    `on another copy before the timed ones. Medians of ${runs} runs, interleaved. Machine (shared with other work, so compare within one run):`,
    '',
    ...machineMarkdown(machine),
    `- code: commit ${code}`,
    '',
    markdownTable(header, rows, 'llrrrr'),
  ].join('\n'));
}

/** A build's label (see the shared `buildLabel`), with its commit when it is outside this repository, in a git work tree. */
function label(cli: string): string {
  const shown = buildLabel(ROOT, cli);
  if (shown !== cli) return shown;
  try {
    return `${cli} (commit ${shortCommit(path.dirname(cli))})`;
  } catch {
    return cli;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
