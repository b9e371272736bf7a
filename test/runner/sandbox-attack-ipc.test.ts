import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * A job process sends its bundle as a table of paths over IPC, its bytes down a pipe. Blueprint code runs in
 * that process and can change what it sends (here by wrapping `process.send`): the table is the blueprint's
 * word, not the framework's, and a path in it that climbs out must fail the job, not reach the disk.
 */
const FORGES_ITS_TABLE = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    const send = process.send!.bind(process);
    (process as any).send = (message: any, done: any) => {
      const table = message.bundleTable;
      if (table) {
        const readme = table.paths.indexOf('src/app/README.md');
        table.paths[readme] = options.forged;
      }
      return send(message, done);
    };
  }
}
`;

describe('a bundle a job process sends', () => {
  test.each(['sandbox', 'fast'])('fails the job (--runner %s) when a path in it climbs out, naming the blueprint and the path; nothing is written', runner => {
    const outside = path.join(tempDir(), 'planted.txt');
    const forged = `src/app/${'../'.repeat(12)}${outside.slice(1)}`;
    const dir = makeBlueprint(tempDir(), FORGES_ITS_TABLE, { 'src/defaults.json': JSON.stringify({ forged }) });
    const project = path.join(tempDir(), 'project');
    const result = runCli(['create', '--blueprint', dir, '--runner', runner, '--isolation', 'process', project]);
    expect(result.output).toContain(`the process of the blueprint ${dir} sent a bundle that cannot be written: the bundle: path '${forged}' escapes`);
    expect(result.code).toBe(1);
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(project)).toBe(false);
  });
});
