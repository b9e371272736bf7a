import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isFalse, objectsNeedGit } from './repository-config';

/**
 * What `git add` may do to a file's bytes before it stores them, as the repository's attributes and
 * configuration say: nothing (`as-is`), turn CRLF line ends into LF (`line-ends`: `text`, `eol`, `crlf`
 * attributes, `core.autocrlf`), or anything else (`other`: a `filter`, `ident`, `working-tree-encoding`, an
 * attribute macro that could set any of these, attribute files outside the trees, objects only git may
 * write). Objects are written in this process only where that stores the same bytes as git.
 */
export type Checkin = 'as-is' | 'line-ends' | 'other';

const LINE_END_ATTRIBUTES = new Set(['text', 'eol', 'crlf']);
const OTHER_ATTRIBUTES = new Set(['filter', 'ident', 'working-tree-encoding']);
const RANK: Record<Checkin, number> = { 'as-is': 0, 'line-ends': 1, 'other': 2 };

/** Whether a repository path is an attributes file (`.gitattributes`, at the root or in a folder). */
export function isAttributesFile(treePath: string): boolean {
  return treePath === '.gitattributes' || treePath.endsWith('/.gitattributes');
}

/** The more demanding of two. */
export function worse(a: Checkin, b: Checkin): Checkin {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * What one `.gitattributes` file asks of `git add`. An attribute unset (`-text`) or reset (`!text`) asks
 * nothing; a macro definition (`[attr]`) counts as `other`, since it may set anything wherever it is used.
 * A quoted pattern with spaces only makes this more careful (its words are read as attributes).
 */
export function attributesCheckin(text: string): Checkin {
  let checkin: Checkin = 'as-is';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[attr]')) return 'other';
    for (const token of line.split(/\s+/).slice(1)) {
      if (token.startsWith('-') || token.startsWith('!')) continue;
      const name = token.split('=')[0];
      if (OTHER_ATTRIBUTES.has(name)) return 'other';
      if (LINE_END_ATTRIBUTES.has(name)) checkin = 'line-ends';
    }
  }
  return checkin;
}

/**
 * What the repository asks of `git add` outside its trees: attribute files (`infoAttributes`, the repository's
 * `info/attributes` as git names it, the user's global one, `core.attributesFile`), `core.autocrlf`, and objects
 * only git may write ({@link objectsNeedGit}); `config` is {@link readRepositoryConfig}'s.
 */
export function configuredCheckin(config: ReadonlyMap<string, string>, infoAttributes: string): Checkin {
  const home = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  const attributeFiles = [infoAttributes, path.join(home, 'git', 'attributes')];
  if (attributeFiles.some(file => fs.existsSync(file)) || config.has('core.attributesfile')) return 'other';
  if (objectsNeedGit(config)) return 'other';
  return isFalse(config.get('core.autocrlf')) ? 'as-is' : 'line-ends';
}
