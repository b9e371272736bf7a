import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir, writeTree } from '../util';

/** A published blueprint package (compiled JavaScript, its package.json `main`, no src/index.ts) runs under every runner. */
const PACKAGE = {
  'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js' }),
  'lib/defaults.json': JSON.stringify({ greeting: 'hello' }),
  'lib/index.js': `
const { Blueprint: ParentBlueprint, SourceFile, SourceRepository } = require('bluesynth');
class Blueprint extends ParentBlueprint {
  constructor(options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', options.greeting + '\\n');
  }
}
exports.Blueprint = Blueprint;
`,
};

test.each(['fast', 'cache', 'sandbox'])('--runner %s synthesizes a published package from its compiled main', runner => {
  const dir = tempDir('bluesynth-published-');
  writeTree(dir, PACKAGE);
  const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'lib/defaults.json'), '--outdir', 'out', '--runner', runner, '--validation', 'off'], { cwd: dir });
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle', 'src', 'app', 'hello.txt'), 'utf8')).toBe('hello\n');
});
