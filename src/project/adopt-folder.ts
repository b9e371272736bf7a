import * as fs from 'fs';
import * as path from 'path';
import { Git } from './git';

/**
 * What an adoption from a blueprint folder inside a git work tree (the blueprint's own checkout) is told. The
 * folder runs as it is now, whatever the checkout holds (a branch past the tag that made the project, edits not
 * committed), not the version that made the project; and the record names the folder, which has no versions, so
 * `check` never calls the project behind. A git source at a tag (`REPO#v1.0.0`) runs that version and follows the
 * repository's tags. Empty for a folder outside any work tree.
 */
export function folderAdoptionWarnings(dir: string): string[] {
  const real = fs.realpathSync(dir);
  const git = new Git(real);
  const top = git.tryRun(['rev-parse', '--show-toplevel']);
  if (top.status !== 0) return [];
  const root = top.stdout.toString('utf8').trim();
  // What ran, in the checkout's terms: the tag it is at, where it is at one, else its commit.
  const exact = git.tryRun(['describe', '--tags', '--exact-match', 'HEAD']);
  const head = git.tryRun(['rev-parse', '--short', 'HEAD']);
  const at = exact.status === 0 ? `tag ${exact.stdout.toString('utf8').trim()}` : head.status === 0 ? `commit ${head.stdout.toString('utf8').trim()}` : 'no commit';
  const folder = path.relative(root, real).split(path.sep).join('/');
  const spec = `${root}#<tag>${folder ? `:${folder}` : ''}`;
  return [`the blueprint source '${dir}' is a folder in a git work tree (its checkout at ${at}): it ran as the folder is now, and the record ` +
    'names the folder, which has no versions, so check never calls the project behind; to adopt the version that made the project ' +
    `and follow the blueprint's tags, adopt from that tag: --blueprint '${spec}' (after an adoption that landed, undo it first: git revert -m 1 HEAD)`];
}
