import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** A blueprint of someone else's, with a text in its code that no other blueprint should see. */
const PRIVATE = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
const secret = 'PRIVATE-MARKER-' + 'not-joined';
const marker = 'PRIVATE-MARKER-7f3a';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', marker.length + secret.length + '\\n');
  }
}
`;

/** Says what it may read (the flags of its process). */
const GRANTS = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'grants.json', JSON.stringify(process.execArgv.filter(flag => flag.startsWith('--allow-fs-read='))));
  }
}
`;

/** Reads every file of the cache folder it is allowed to, and says whether one held the other blueprint's text. */
const SNOOPS = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const seen = { read: [] as string[], found: [] as string[] };
    const visit = (file: string) => {
      let stat;
      try { stat = fs.statSync(file); } catch { return; }
      if (stat.isDirectory()) {
        let names: string[] = [];
        try { names = fs.readdirSync(file); } catch { /* refused */ }
        names.forEach(name => visit(path.join(file, name)));
        return;
      }
      try {
        const bytes = fs.readFileSync(file);
        seen.read.push(path.relative(process.env.BLUESYNTH_CACHE_DIR!, file));
        if (bytes.includes('PRIVATE-MARKER-7f3a')) seen.found.push(path.relative(process.env.BLUESYNTH_CACHE_DIR!, file));
      } catch { /* refused */ }
    };
    visit(process.env.BLUESYNTH_CACHE_DIR!);
    for (const file of options.guess ?? []) visit(file);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'seen.json', JSON.stringify(seen));
  }
}
`;

describe('the caches a sandboxed blueprint can read', () => {
  test('hold nothing of another blueprint\'s code: transpiled sources and compiled code of other blueprints are refused', () => {
    const cache = tempDir();
    const env = { BLUESYNTH_CACHE_DIR: cache };
    const other = makeBlueprint(tempDir(), PRIVATE);
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: other, env }).code).toBe(0);
    // the other blueprint's run left its code in the cache
    const files = fs.readdirSync(cache, { recursive: true, withFileTypes: true }).filter(entry => entry.isFile())
      .map(entry => path.join(entry.parentPath ?? (entry as any).path, entry.name));
    expect(files.filter(file => fs.readFileSync(file).includes('PRIVATE-MARKER-7f3a')).length).toBeGreaterThan(0);

    const snoop = makeBlueprint(tempDir(), SNOOPS, { 'src/defaults.json': JSON.stringify({ guess: files }) });
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: snoop, env });
    expect(result.output).toContain('ok    synth.defaults');
    const seen = JSON.parse(fs.readFileSync(path.join(snoop, 'out/synth.defaults/proposed-bundle/src/app/seen.json'), 'utf8'));
    expect(seen.found).toEqual([]);
    // what it may read of the cache: the compiled code of the framework's own modules
    expect(seen.read.filter((file: string) => !file.endsWith('.framework.v8'))).toEqual([]);
  });

  test('a sandboxed job reads the compiled framework and its own transpiled files from the cache, which unconfined jobs write', () => {
    const cache = tempDir();
    const env = { BLUESYNTH_CACHE_DIR: cache };
    const dir = makeBlueprint(tempDir(), GRANTS);
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', 'process'], { cwd: dir, env }).code).toBe(0);
    const compiled = fs.readdirSync(path.join(cache, 'compiled'));
    expect(compiled.filter(name => name.endsWith('.framework.v8'))).toHaveLength(1);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'sandbox', '--verbose'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const grants: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/grants.json'), 'utf8'));
    const real = fs.realpathSync(cache);
    expect(grants).toContain(`--allow-fs-read=${path.join(real, 'compiled', compiled.find(name => name.endsWith('.framework.v8'))!)}`);
    expect(grants.filter(grant => grant.startsWith(`--allow-fs-read=${path.join(real, 'transpiled')}${path.sep}`) && grant.endsWith('.js'))).toHaveLength(1);
    expect(grants.filter(grant => grant.startsWith(`--allow-fs-read=${real}`) && !grant.endsWith('.js') && !grant.endsWith('.v8'))).toEqual([]);
    // a sandboxed job writes no cache
    expect(fs.readdirSync(path.join(cache, 'compiled')).sort()).toEqual(compiled.sort());
  });
});
