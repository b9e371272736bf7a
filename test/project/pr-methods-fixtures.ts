import { makeBlueprint } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * A blueprint kept in a git repository, released as the tags v1, v2 and v3 (package `demo-blueprint`, versions
 * 1.0.0, 2.0.0, 3.0.0), generating one repository `app`: `config.txt` (a line more in each release), `README.md`
 * (naming the version), `v2.txt` from v2 on and `v3.txt` from v3 on. Returns its folder.
 */
export function releasedBlueprint(dir: string): string {
  const release = (version: string, lines: string[], files: string[]) => makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'config.txt', ${JSON.stringify(['a=1', 'b=2', 'c=3', 'd=4', 'e=5', 'f=6', ...lines].join('\n') + '\n')});
    new SourceFile(repository, 'README.md', ${JSON.stringify(`# app\n\nversion ${version}\n`)});
    for (const file of ${JSON.stringify(files)}) new SourceFile(repository, file + '.txt', file + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'demo-blueprint', version }) });
  release('1.0.0', [], []);
  initRepository(dir, 'v1');
  git(dir, 'tag', 'v1');
  release('2.0.0', ['g=7'], ['v2']);
  commitAll(dir, 'v2');
  git(dir, 'tag', 'v2');
  release('3.0.0', ['g=7', 'h=8'], ['v2', 'v3']);
  commitAll(dir, 'v3');
  git(dir, 'tag', 'v3');
  return dir;
}
