import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { JsonFile } from 'projen/lib/json';
import { TextFile } from 'projen/lib/textfile';
import { Project } from 'projen/lib/project';
import { TypeScriptProject } from 'projen/lib/typescript';
import * as bluesynth from '../../../src';
import { File, SourceFile, SourceRepository } from '../../../src';
import { PathEscapeError } from '../../../src/bundle/paths';
import { assetPaths, assetsUnder } from '../../../src/components/source-repository/static-assets';
import { cleanRepositoryTitle, makeValidFolder } from '../../../src/components/source-repository/title';
import { synthInProcess } from '../../synth-util';
import { tempDir, writeTree } from '../../util';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');

describe('repository titles', () => {
  test.each([
    ['my-repo', 'my-repo'],
    ['My Repo: v2.0 (main)!', 'MyRepov2.0main'],
    ['a/b\\c"d\'e`f', 'abcdef'],
    ['tab\there', 'tab\there'],
    ['ünï-cödé_.x', 'ünï-cödé_.x'],
    ['x'.repeat(150), 'x'.repeat(100)],
  ])('%j becomes %j', (title, cleaned) => {
    expect(cleanRepositoryTitle(title)).toBe(cleaned);
  });

  test.each(['', '!!!', '  ', '..', '.', '(..)'])('%j leaves nothing valid and is an error', title => {
    expect(() => cleanRepositoryTitle(title)).toThrow(/has no valid characters left/);
  });

  test.each([undefined, null])('a title of %j is an error that says so, not a repository named after it', title => {
    // A required option left out of the defaults (a warning only) reached the title as undefined: src/undefined/.
    expect(() => cleanRepositoryTitle(title as unknown as string)).toThrow(`SourceRepository: title is ${title}: give the repository a name`);
    expect(() => synthInProcess(bp => new SourceRepository(bp, { title: title as unknown as string }))).toThrow(/title is/);
  });

  // The SDK's source-repositories package has it (its web-app blueprint cleans its folder names with it): a port
  // that imports it must find it here, with the SDK's options and without the title's refusal of an empty result.
  test('makeValidFolder is the SDK\'s: the same characters dropped, its options, and never an error', () => {
    expect(bluesynth.makeValidFolder).toBe(makeValidFolder);
    expect(makeValidFolder('My Repo: v2.0 (main)!')).toBe('MyRepov2.0main');
    expect(makeValidFolder('x'.repeat(150))).toBe('x'.repeat(100));
    expect(makeValidFolder('!!!')).toBe('');
    expect(makeValidFolder('web app', { maxlength: 5 })).toBe('webap');
    expect(makeValidFolder('a-b]c^d\\e f', { invalidChars: ['-', ']', '^', '\\'] })).toBe('abcde f');
    expect(makeValidFolder('a b', { invalidChars: [] })).toBe('a b');
  });

  test('the repository folder uses the cleaned title, and the definition is updated as in the SDK', () => {
    const definition = { title: 'My Web App' };
    const { tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, definition);
      new SourceFile(repo, 'README.md', '# hi\n');
      expect(repo.relativePath).toBe('src/MyWebApp');
    });
    expect(definition.title).toBe('MyWebApp');
    expect(tree['src/MyWebApp/README.md']).toBe('# hi\n');
  });
});

describe('repository files', () => {
  test('SourceFile, File and addFile write text and bytes; the last write of a path wins', () => {
    const { outdir, tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'web' });
      new SourceFile(repo, 'a/b/c.txt', 'first\n');
      new SourceFile(repo, 'a/b/c.txt', 'second\n');
      new File(repo, 'img.png', PNG);
      repo.addFile('bin/run.sh', Buffer.from('#!/bin/sh\necho hi\n'), { mode: 0o755 });
      expect(Object.keys(repo.getFiles()).sort()).toEqual(['a/b/c.txt', 'bin/run.sh', 'img.png']);
    });
    expect(tree['src/web/a/b/c.txt']).toBe('second\n');
    expect(fs.readFileSync(path.join(outdir, 'src/web/img.png')).equals(PNG)).toBe(true);
    expect(fs.statSync(path.join(outdir, 'src/web/bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(outdir, 'src/web/a/b/c.txt')).mode & 0o777).toBe(0o644);
  });

  test('a mode that is neither permission bits nor a link\'s is refused where the file is made, naming it; 0o120000 makes a link', () => {
    // 0o120777 (a link's type with permission bits, as fs.lstat gives it) was written as a regular file, 100755.
    for (const [mode, shown] of [[0o120777, '0o120777'], [0o100644, '0o100644'], [-1, '-1'], [NaN, 'NaN'], [0.5, '0.5']] as const) {
      expect(() => synthInProcess(bp => {
        new File(new SourceRepository(bp, { title: 'web' }), 'bin/lnk', Buffer.from('README.md'), { mode });
      })).toThrow(`File 'bin/lnk' in repository 'web': mode ${shown} is neither permission bits (0 to 0o7777, such as 0o755) nor 0o120000 (a symbolic link)`);
    }
    const { outdir } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'web' });
      new SourceFile(repo, 'README.md', '# hi\n');
      repo.addFile('docs/readme', Buffer.from('../README.md'), { mode: 0o120000 });
      new File(repo, 'bin/setuid', Buffer.from('x'), { mode: 0o4755 });
    });
    expect(fs.readlinkSync(path.join(outdir, 'src/web/docs/readme'))).toBe('../README.md');
  });

  test('a repository file replaces a projen file of the blueprint at the same path, as in the SDK', () => {
    const { tree } = synthInProcess(bp => {
      new JsonFile(bp, 'src/web/config.json', { obj: { from: 'projen' }, marker: false });
      const repo = new SourceRepository(bp, { title: 'web' });
      new SourceFile(repo, 'config.json', '{"from": "repository"}\n');
    });
    expect(tree['src/web/config.json']).toBe('{"from": "repository"}\n');
  });

  test('projen\'s TextFile writes a file of a repository under its relativePath, its lines without a last newline (docs/components.md)', () => {
    const { tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'web app' });
      new TextFile(bp, `${repo.relativePath}/config/settings.txt`, { lines: ['port=8080', 'tier=small'] });
    });
    expect(tree['src/webapp/config/settings.txt']).toBe('port=8080\ntier=small');
  });

  test('removeFile drops a file before it is written', () => {
    const { tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'web' });
      new SourceFile(repo, 'keep.txt', 'k');
      new SourceFile(repo, 'drop.txt', 'd');
      repo.removeFile('drop.txt');
    });
    expect(Object.keys(tree).filter(p => p.startsWith('src/'))).toEqual(['src/web/keep.txt']);
  });

  test('synthesis steps run in the order they were added, after the files added before them', () => {
    const { tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'web' });
      new SourceFile(repo, 'order.txt', 'from file\n');
      repo.addSynthesisStep(() => {
        const file = path.join(repo.path, 'order.txt');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8') + 'from step 1\n');
      });
      repo.addSynthesisStep(() => fs.appendFileSync(path.join(repo.path, 'order.txt'), 'from step 2\n'));
    });
    expect(tree['src/web/order.txt']).toBe('from file\nfrom step 1\nfrom step 2\n');
  });

  test.each([
    ['../outside.txt'],
    ['a/../../outside.txt'],
    ['/etc/passwd'],
  ])('a file path %j that escapes the repository is an error naming the component and path', bad => {
    expect(() =>
      synthInProcess(bp => {
        const repo = new SourceRepository(bp, { title: 'web' });
        new SourceFile(repo, bad, 'x');
      }),
    ).toThrow(new RegExp(`SourceFile in repository 'web': path '${bad.replace(/[./]/g, '\\$&')}' escapes the bundle's repository folder 'src/web'$`));
  });

  test('removeFile and copyStaticFiles name the folder a path escapes', () => {
    const escape = (add: (repo: SourceRepository) => void) => () => synthInProcess(bp => add(new SourceRepository(bp, { title: 'web' })));
    expect(escape(repo => repo.removeFile('../x'))).toThrow("removeFile in repository 'web': path '../x' escapes the bundle's repository folder 'src/web'");
    expect(escape(repo => repo.copyStaticFiles({ from: '../src' }))).toThrow("copyStaticFiles in repository 'web': path '../src' escapes the blueprint's folder 'static-assets'");
  });

  test('a file written through a symbolic link that leaves the bundle is refused', () => {
    const outside = tempDir();
    expect(() =>
      synthInProcess(bp => {
        const repo = new SourceRepository(bp, { title: 'web' });
        repo.addSynthesisStep(() => {
          fs.mkdirSync(repo.path, { recursive: true });
          fs.symlinkSync(outside, path.join(repo.path, 'link'));
        });
        new SourceFile(repo, 'link/evil.txt', 'x');
      }),
    ).toThrow(PathEscapeError);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});

describe('static assets', () => {
  function blueprintWithAssets() {
    const dir = tempDir();
    writeTree(dir, {
      'static-assets/README.md': '# {{name}} & {{{raw}}}\n',
      'static-assets/.env.example': 'NAME={{name}}\n',
      'static-assets/img/pixel.png': PNG,
      'static-assets/java/src/Main.java': 'class {{name}} {}\n',
      'static-assets/scripts/run.sh': '#!/bin/sh\necho {{name}}\n',
    });
    fs.chmodSync(path.join(dir, 'static-assets/scripts/run.sh'), 0o755);
    return dir;
  }

  test('copyStaticFiles substitutes text, copies binaries untouched, keeps modes and dot files', () => {
    const blueprintDir = blueprintWithAssets();
    const { outdir, tree } = synthInProcess(
      bp => new SourceRepository(bp, { title: 'web' }).copyStaticFiles({ substitute: { name: 'A<B>', raw: '<raw>' } }),
      { blueprintDir },
    );
    expect(tree['src/web/README.md']).toBe('# A&lt;B&gt; & <raw>\n'); // Mustache escapes {{x}} as in the SDK
    expect(tree['src/web/.env.example']).toBe('NAME=A&lt;B&gt;\n');
    expect(fs.readFileSync(path.join(outdir, 'src/web/img/pixel.png')).equals(PNG)).toBe(true);
    expect(fs.statSync(path.join(outdir, 'src/web/scripts/run.sh')).mode & 0o777).toBe(0o755);
  });

  test('copyStaticFiles without substitute copies text as is; from/to/map move and rename', () => {
    const blueprintDir = blueprintWithAssets();
    const { tree } = synthInProcess(
      bp => {
        const repo = new SourceRepository(bp, { title: 'web' });
        repo.copyStaticFiles({ from: 'java', to: 'app', map: file => ({ ...file, path: file.path.replace('Main', 'App') }) });
      },
      { blueprintDir },
    );
    expect(Object.keys(tree).filter(p => p.startsWith('src/'))).toEqual(['src/web/app/src/App.java']);
    expect(tree['src/web/app/src/App.java']).toBe('class {{name}} {}\n');
  });

  test('substitute takes any values; map can leave a file out', () => {
    const blueprintDir = blueprintWithAssets();
    const { tree } = synthInProcess(
      bp =>
        new SourceRepository(bp, { title: 'web' }).copyStaticFiles({
          substitute: { name: 42, raw: true },
          map: file => (file.path.startsWith('java/') || file.path.startsWith('img/') ? undefined : file),
        }),
      { blueprintDir },
    );
    expect(Object.keys(tree).filter(p => p.startsWith('src/')).sort()).toEqual(['src/web/.env.example', 'src/web/README.md', 'src/web/scripts/run.sh']);
    expect(tree['src/web/README.md']).toBe('# 42 & true\n');
  });

  test('copyStaticFiles gives the SDK\'s bytes: text that is not UTF-8 goes through a string (replaced), the rest as it is', () => {
    const dir = tempDir();
    const latin1 = Buffer.from('caf\xe9\n', 'latin1');
    const utf8 = Buffer.from('\ufeffcafé ✓\r\n', 'utf8');
    writeTree(dir, { 'static-assets/latin1.txt': latin1, 'static-assets/utf8.txt': utf8, 'static-assets/img/pixel.png': PNG });
    const copied = (map?: (file: { path: string; content: any }) => { path: string; content: any }) => synthInProcess(
      bp => new SourceRepository(bp, { title: 'web' }).copyStaticFiles(map ? { map } : {}),
      { blueprintDir: dir },
    ).outdir;
    for (const outdir of [copied(), copied(file => file)]) {
      // As the SDK does (asset.toString(), written back as UTF-8): the latin-1 byte becomes U+FFFD.
      expect(fs.readFileSync(path.join(outdir, 'src/web/latin1.txt'))).toEqual(Buffer.from(latin1.toString('utf8'), 'utf8'));
      expect(fs.readFileSync(path.join(outdir, 'src/web/utf8.txt'))).toEqual(utf8);
      expect(fs.readFileSync(path.join(outdir, 'src/web/img/pixel.png'))).toEqual(PNG);
    }
    // A map sees text as a string and a binary as bytes.
    const seen: Record<string, string> = {};
    copied(file => ((seen[file.path] = Buffer.isBuffer(file.content) ? 'bytes' : typeof file.content), file));
    expect(seen).toEqual({ 'img/pixel.png': 'bytes', 'latin1.txt': 'string', 'utf8.txt': 'string' });
  });

  // copyStaticFiles and findAll() walk the folder themselves (globby's modules load only for a blueprint's own glob):
  // what they find must be what globby finds with the options assetPaths gives it.
  test('copying a folder finds what the glob <folder>/** finds: dot folders, links to files but not to folders or nowhere, no fifo', () => {
    const dir = tempDir();
    writeTree(dir, { 'web/a.txt': 'a\n', 'web/.hidden/b.txt': 'b\n', 'web/sub dir [x]/c.txt': 'c\n', 'other/d.txt': 'd\n', 'top.txt': 't\n' });
    fs.symlinkSync('../top.txt', path.join(dir, 'web/link-to-file'));
    fs.symlinkSync('../other', path.join(dir, 'web/link-to-folder'));
    fs.symlinkSync('nowhere', path.join(dir, 'web/dangling'));
    execFileSync('mkfifo', [path.join(dir, 'web/fifo')]);
    const globbed = (pattern: string) => require('globby')
      .sync(pattern, { cwd: dir, dot: true, onlyFiles: false, followSymbolicLinks: false, objectMode: true })
      .filter((found: any) => found.dirent.isFile() || (found.dirent.isSymbolicLink() && fs.statSync(path.join(dir, found.path), { throwIfNoEntry: false })?.isFile()))
      .map((found: any) => found.path)
      .sort();
    expect(assetsUnder(dir, 'web')).toEqual(['web/.hidden/b.txt', 'web/a.txt', 'web/link-to-file', 'web/sub dir [x]/c.txt']);
    expect(assetsUnder(dir, 'web')).toEqual(globbed('web/**'));
    expect(assetsUnder(dir)).toEqual(globbed('**/*'));
    expect(assetPaths(dir, '**/*')).toEqual(globbed('**/*'));
    expect(assetPaths(dir, '**')).toEqual(globbed('**'));
    // Through a link to a folder named as the folder to copy, as globby reads it.
    expect(assetsUnder(dir, 'web/link-to-folder')).toEqual(['web/link-to-folder/d.txt']);
    // A file's name, or no such folder: nothing (globby stopped at the file with ENOTDIR).
    expect(assetsUnder(dir, 'top.txt')).toEqual([]);
    expect(assetsUnder(dir, 'missing')).toEqual([]);
  });

  test('copyStaticFiles from a file\'s name warns that there is no such folder and copies nothing', () => {
    const blueprintDir = blueprintWithAssets();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { tree } = synthInProcess(bp => new SourceRepository(bp, { title: 'web' }).copyStaticFiles({ from: 'README.md' }), { blueprintDir });
      expect(Object.keys(tree).filter(p => p.startsWith('src/'))).toEqual([]);
      expect(warn.mock.calls.join('\n')).toMatch(/copyStaticFiles in repository 'web': no folder 'README.md' in /);
    } finally {
      warn.mockRestore();
    }
  });

  test('StaticAsset reads the blueprint folder, not the working directory', () => {
    const blueprintDir = blueprintWithAssets();
    const { StaticAsset, SubstitutionAsset, SubstitionAsset } = require('../../../src');
    const previous = process.env.BLUESYNTH_BLUEPRINT_DIR;
    process.env.BLUESYNTH_BLUEPRINT_DIR = blueprintDir;
    try {
      const all = StaticAsset.findAll().map((a: any) => a.path());
      expect(all).toEqual(['.env.example', 'README.md', 'img/pixel.png', 'java/src/Main.java', 'scripts/run.sh']);
      expect(StaticAsset.findAll('java/**').map((a: any) => a.toString())).toEqual(['class {{name}} {}\n']);
      expect(new SubstitutionAsset('README.md').substitute({ name: 'x', raw: 'y' })).toBe('# x & y\n');
      expect(new SubstitionAsset('README.md').subsitite({ name: 'x', raw: 'y' })).toBe('# x & y\n');
      expect(new StaticAsset('img/pixel.png').content().equals(PNG)).toBe(true);
      // The glob options the SDK 0.3.159 passes on to glob (its findAll, same assets): dot files left out, ignored globs.
      expect(StaticAsset.findAll('**', { dot: false, ignore: ['**/*.png', 'java/**'] }).map((a: any) => a.path())).toEqual(['README.md', 'scripts/run.sh']);
      expect(StaticAsset.findAll(undefined, { ignore: 'scripts/*', nodir: true }).map((a: any) => a.path())).toEqual(['.env.example', 'README.md', 'img/pixel.png', 'java/src/Main.java']);
    } finally {
      if (previous === undefined) delete process.env.BLUESYNTH_BLUEPRINT_DIR;
      else process.env.BLUESYNTH_BLUEPRINT_DIR = previous;
    }
  });
});

describe('SubstitutionAsset', () => {
  test('gives Mustache\'s own result, with the default tags and with tags the blueprint changed, for text with and without tags', () => {
    const Mustache = require('mustache');
    const { SubstitutionAsset } = require('../../../src');
    const texts = ['plain <b>&amp;</b> { } }} {x}\n', 'a {{name}} b', '{{{raw}}} and {{&raw}}', '{{=<% %>=}}<% name %> {{name}}', 'no tags\r\n\t  {{#list}}{{.}}{{/list}}', '<% name %> only', ''];
    const dir = tempDir();
    writeTree(path.join(dir, 'static-assets'), Object.fromEntries(texts.map((text, i) => [`t${i}.txt`, text])));
    const view = { name: 'N<&>', raw: '<raw>', list: [1, 2] };
    const previous = process.env.BLUESYNTH_BLUEPRINT_DIR;
    const tags = Mustache.tags;
    process.env.BLUESYNTH_BLUEPRINT_DIR = dir;
    try {
      for (const changed of [undefined, ['<%', '%>']]) {
        if (changed) Mustache.tags = changed;
        texts.forEach((text, i) => expect(new SubstitutionAsset(`t${i}.txt`).substitute(view)).toBe(Mustache.render(text, view)));
      }
      expect(new SubstitutionAsset('t5.txt').substitute(view)).toBe('N&lt;&amp;&gt; only');
    } finally {
      Mustache.tags = tags;
      if (previous === undefined) delete process.env.BLUESYNTH_BLUEPRINT_DIR;
      else process.env.BLUESYNTH_BLUEPRINT_DIR = previous;
    }
  });
});

describe('projen projects inside a repository', () => {
  test('a projen TypeScript project is generated into the repository folder without installing', () => {
    const { tree } = synthInProcess(bp => {
      const repo = new SourceRepository(bp, { title: 'api' });
      new TypeScriptProject({
        parent: bp,
        outdir: repo.relativePath,
        name: 'api',
        defaultReleaseBranch: 'main',
        github: false,
        projenrcTs: false,
      });
    });
    expect(JSON.parse(tree['src/api/package.json']).name).toBe('api');
    expect(tree['src/api/tsconfig.json']).toBeDefined();
    expect(tree['src/api/.projen/tasks.json']).toBeDefined();
    expect(Object.keys(tree).some(p => p.includes('node_modules'))).toBe(false);
    // the blueprint's own projen files are never written at the bundle root
    expect(Object.keys(tree).filter(p => !p.startsWith('src/'))).toEqual(['options.json']);
  });

  test('a projen subproject outside the bundle is an error naming it', () => {
    expect(() =>
      synthInProcess(bp => {
        new Project({ parent: bp, outdir: '../escaped', name: 'escaped' });
      }),
    ).toThrow(/of project 'escaped': path '\.\.\/escaped\/.*' escapes/);
  });
});
