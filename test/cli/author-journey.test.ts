import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

// A first-time author's mistakes, met on the way from `blueprint new` to a published blueprint: each message
// must name the file and place at fault.
describe('author journey: mistakes an author makes name the file at fault', () => {
  const copyingBlueprint = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'service' }).copyStaticFiles({ from: 'service', substitute: { port: 8080 } });
  }
}
`;

  test('a static asset with a section never closed names the asset, its line and column, and the section', () => {
    const dir = makeBlueprint(tempDir(), copyingBlueprint, {
      'static-assets/service/index.js': 'module.exports = {{port}};\n',
      'static-assets/service/README.md': '# service\n\nListens on {{port}}.\n  {{#port}} open\n',
    });
    const result = runCli(['drive-synth', '--outdir', 'synth'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      "StaticAssetTemplateError: static-assets/service/README.md:4:3: Mustache: section 'port' opened here is never closed with {{/port}}",
    );
  });

  test('a static asset with a tag never closed names the asset and where the tag opens', () => {
    const dir = makeBlueprint(tempDir(), copyingBlueprint, {
      'static-assets/service/index.js': 'const port = {{port}};\nconst host = {{host;\n',
    });
    const result = runCli(['drive-synth', '--outdir', 'synth'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.output).toContain("static-assets/service/index.js:2:14: Mustache: tag opened here is never closed with '}}'");
    const triple = makeBlueprint(tempDir(), copyingBlueprint, { 'static-assets/service/README.md': '# {{{port}}}\n\nOn {{{port}}.\n' });
    expect(runCli(['drive-synth', '--outdir', 'synth'], { cwd: triple }).output).toContain(
      "static-assets/service/README.md:3:4: Mustache: tag opened here is never closed with '}}}'",
    );
  });

  test('blueprint:package on a blueprint that forgot to export Options says so in one line, without the usage of build-schema', () => {
    const dir = makeBlueprint(tempDir(), `import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {}\n`);
    const result = runCli(['build-schema', '--blueprint', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`blueprint build-schema: ${dir}/src/index.ts: exports no 'Options' interface or type\n`);
  });

  test('drive-synth after a wizard configuration was renamed says the old one\'s bundle is left over, and keeps it', () => {
    const dir = makeBlueprint(tempDir(), copyingBlueprint, {
      'static-assets/service/index.js': 'module.exports = {{port}};\n',
      'src/wizard-configurations/python.json': '{}',
    });
    expect(runCli(['drive-synth', '--outdir', 'synth'], { cwd: dir }).code).toBe(0);
    fs.renameSync(path.join(dir, 'src/wizard-configurations/python.json'), path.join(dir, 'src/wizard-configurations/billing.json'));
    const result = runCli(['drive-synth', '--outdir', 'synth'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("note: synth/synth.python/ is from a configuration this run does not have ('python': no such wizard configuration)");
    expect(result.stdout).not.toContain('synth.billing/ is from');
    expect(fs.existsSync(path.join(dir, 'synth/synth.python/proposed-bundle/src/service/index.js'))).toBe(true);
  });

  test('sources whose src/index.ts was renamed are not replaced by an old build of them: src/index.ts is named as missing, with the sources', () => {
    const dir = makeBlueprint(tempDir(), copyingBlueprint, { 'static-assets/service/index.js': 'module.exports = {{port}};\n' });
    // A `yarn build` left lib/index.js; then src/index.ts was renamed.
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib/index.js'), "throw new Error('the old build ran');\n");
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'renamed', version: '1.0.0', main: 'lib/index.js' }));
    fs.renameSync(path.join(dir, 'src/index.ts'), path.join(dir, 'src/main.ts'));
    for (const runner of [[], ['--cache']]) {
      const result = runCli(['drive-synth', '--outdir', 'synth', ...runner], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: path.join(dir, '.cache') } });
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('src/index.ts: not found');
      expect(result.output).toContain("src/ holds the blueprint's TypeScript (src/main.ts), so its package.json 'main', a build of it, perhaps an old one, was not run");
      expect(result.output).not.toContain('the old build ran');
    }
  });

  test('update --to an older version of a tarball-made project names that version as another tarball, not as a newer one', () => {
    const work = tempDir();
    const dir = makeBlueprint(path.join(work, 'blueprint'), copyingBlueprint, { 'static-assets/service/index.js': 'module.exports = {{port}};\n' });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@acme/node-service', version: '1.1.0', files: ['src', 'static-assets'] }));
    const tarball = path.join(work, execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!);
    const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
    expect(runCli(['create', '--blueprint', tarball, path.join(work, 'project')], { cwd: work, env }).code).toBe(0);
    const result = runCli(['update', '--to', '1.0.0'], { cwd: path.join(work, 'project', 'service'), env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("which has one version (1.1.0): version 1.0.0 is another tarball, which 'blueprint update --blueprint FILE' takes");
    expect(result.stderr).not.toContain('a newer version');
  });
});
