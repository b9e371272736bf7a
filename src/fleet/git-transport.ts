import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Git } from '../project/git';

/** The schemes git speaks itself (transport.c); any other is handed to a remote helper. */
const NATIVE_SCHEMES: readonly string[] = ['file', 'git', 'ssh', 'git+ssh', 'ssh+git'];

/**
 * The scheme of a `scheme://` URL that git has no transport for, or undefined when it has one (or the URL has
 * no scheme). Decided as git decides when it clones: it speaks `file`, `git` and `ssh` itself and hands any
 * other scheme, case and all, to the remote helper `git-remote-<scheme>`, found in git's exec path (`https`,
 * `http`, `ftp` come so) or on PATH (a forge's own, such as `codecommit`); a URL that a `url.<base>.insteadOf`
 * setting rewrites is git's to rewrite. Without a helper, git fails only at the clone, saying that
 * `remote-<scheme>` is not a git command.
 */
export function schemeWithoutTransport(url: string): string | undefined {
  const scheme = /^([a-z0-9][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme === undefined || NATIVE_SCHEMES.includes(scheme)) return undefined;
  const { execPath, insteadOf } = gitSettings();
  if (insteadOf.some(prefix => url.startsWith(prefix))) return undefined;
  const helper = `git-remote-${scheme}`;
  const dirs = [execPath, ...(process.env.PATH ?? '').split(path.delimiter)].filter(Boolean);
  return dirs.some(dir => isExecutable(path.join(dir, helper)) || (process.platform === 'win32' && isExecutable(path.join(dir, `${helper}.exe`)))) ? undefined : scheme;
}

let asked: { execPath: string; insteadOf: string[] } | undefined;

/** git's exec path and the URL prefixes its user and system settings rewrite: asked once per process. */
function gitSettings(): { execPath: string; insteadOf: string[] } {
  if (asked) return asked;
  // Outside any repository: a clone reads no repository's settings either.
  const git = new Git(os.tmpdir());
  const execPath = git.run(['--exec-path']).trim();
  // Exit 1 when no such setting exists.
  const found = git.tryRun(['config', '--get-regexp', '^url\\..*\\.insteadof$']).stdout.toString('utf8');
  const insteadOf = found.split('\n').filter(Boolean).map(line => line.slice(line.indexOf(' ') + 1));
  return (asked = { execPath, insteadOf });
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
