import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * Node 20's permission model checks the path a call names, not the file it reaches: a symbolic link inside the
 * blueprint folder (committed to a git source, or made by `npm install` for a `file:` dependency) would let a
 * sandboxed blueprint read whatever it points at.
 */
const READS_ITS_ASSET = `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'asset.txt', fs.readFileSync(options.asset, 'utf8'));
  }
}
`;

function synth(dir: string, asset: string) {
  fs.writeFileSync(path.join(dir, 'src', 'defaults.json'), JSON.stringify({ asset }));
  return runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: dir });
}

describe('a sandboxed blueprint whose folder holds symbolic links', () => {
  test.each([
    ['a static asset', 'static-assets/key'],
    ['a dependency npm linked in (file:)', 'node_modules/helper/key'],
  ])('is refused before it runs when %s leads outside what the sandbox grants, naming the link', (_what, asset) => {
    const secrets = tempDir();
    fs.writeFileSync(path.join(secrets, 'key'), 'PRIVATE KEY\n');
    const dir = makeBlueprint(tempDir(), READS_ITS_ASSET);
    const link = asset.startsWith('static-assets') ? asset : path.dirname(asset);
    fs.mkdirSync(path.join(dir, path.dirname(link)), { recursive: true });
    fs.symlinkSync(asset.startsWith('static-assets') ? path.join(secrets, 'key') : secrets, path.join(dir, link));
    const result = synth(dir, asset);
    expect(result.output).toContain(`the sandbox runner cannot confine this blueprint: symbolic links in its folders lead where a sandboxed blueprint may not read, and Node's permission model follows links: '${link}' -> '${fs.realpathSync(secrets)}`);
    expect(result.code).toBe(2);
    expect(result.output).not.toContain('PRIVATE KEY');
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults'))).toBe(false);
    // unconfined, the same blueprint is trusted to read it
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'fast'], { cwd: dir }).code).toBe(0);
  });

  test('runs when its links stay inside its own folder', () => {
    const dir = makeBlueprint(tempDir(), READS_ITS_ASSET, { 'static-assets/README.md': 'the readme\n' });
    fs.symlinkSync('README.md', path.join(dir, 'static-assets', 'alias.md'));
    const result = synth(dir, 'static-assets/alias.md');
    expect(result.output).toContain('ok    synth.defaults');
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/asset.txt'), 'utf8')).toBe('the readme\n');
  });
});
