import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { InputError } from '../errors';
import { nearestName } from '../nearest-name';
import type { FleetRepository } from './fleet-job';
import { schemeWithoutTransport } from './git-transport';

/**
 * Reads a fleet's repositories file: one repository per line, a git URL (`https://`, `ssh://`, `git@host:path`,
 * `file://`, `git://`, or any scheme git has a transport for) or a path (relative to the file's folder),
 * optionally followed by `#branch`. A line whose first character is `#` is a comment, so is anything after
 * whitespace and `#`; blank lines are skipped. A repository listed twice (in any two spellings: a path and its
 * `file://` URL, the `https://` and `ssh://` forms of one host and path) is an error naming both lines: it would
 * be updated twice at once.
 */
export function readReposFile(file: string): FleetRepository[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--repos ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseReposFile(text, file);
}

/** Parses the text of a repositories file (see {@link readReposFile}); `file` names it in messages and anchors relative paths. */
export function parseReposFile(text: string, file: string): FleetRepository[] {
  const entries: { url: string; branch?: string; where: string }[] = [];
  const seen = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    if (/\s/.test(line)) throw new InputError(`${where}: one repository per line ('${line}' has spaces; a comment starts with ' #')`);
    const hash = line.lastIndexOf('#');
    const location = hash >= 0 ? line.slice(0, hash) : line;
    const branch = hash >= 0 ? line.slice(hash + 1) : undefined;
    if (!location) throw new InputError(`${where}: no repository before '#${branch}'`);
    if (branch !== undefined && !/^[\w./-]+$/.test(branch)) throw new InputError(`${where}: '${branch}' is not a branch name`);
    if (isUrl(location)) refuseUnknownScheme(location, where);
    // git and URL parsers read `%XX` in a URL as an escaped byte; a `%` starting none would otherwise fail below
    // as 'URI malformed', naming no line.
    if (isUrl(location) && /%(?![0-9a-fA-F]{2})/.test(location)) {
      throw new InputError(`${where}: '${location}' has a '%' that starts no %XX escape; a '%' in a URL is written '%25'`);
    }
    const url = isUrl(location) ? location : path.resolve(path.dirname(file), location);
    const key = repositoryIdentity(url);
    const first = seen.get(key);
    if (first) throw new InputError(`${where}: ${location} is listed already at ${first}`);
    seen.set(key, where);
    entries.push({ url, branch: branch || undefined, where });
  });
  return withNames(entries);
}

/**
 * What makes two lines name the same repository, however they spell it: a path and its `file://` URL, a path
 * and its `.git` folder, `https://`, `ssh://` and `user@host:path` forms of one host and path (user, scheme and a
 * trailing `.git` or `/` aside; the host's case too, which DNS ignores).
 */
function repositoryIdentity(url: string): string {
  const plain = (location: string) => location.replace(/\/+$/, '').replace(/(\/\.git|\.git)$/, '').replace(/\/+$/, '');
  if (/^file:\/\//i.test(url)) return plain(path.resolve(fileURLToPath(url)));
  if (!isUrl(url)) return plain(url);
  const scpLike = /^[\w.-]+@([\w.-]+):(?!\/\/)(.*)$/.exec(url);
  if (scpLike) return `${scpLike[1].toLowerCase()}/${plain(scpLike[2].replace(/^\/+/, ''))}`;
  const parsed = new URL(url);
  const port = parsed.port && !['22', '443', '80', '9418'].includes(parsed.port) ? `:${parsed.port}` : '';
  return `${parsed.hostname.toLowerCase()}${port}/${plain(decodeURIComponent(parsed.pathname).replace(/^\/+/, ''))}`;
}

/**
 * Refuses a URL whose scheme git has no transport for (`htps://`): else it would be a failed repository at the
 * clone, with git's last word on it (`remote-https`, the command it suggests), and one mistyped line would
 * cost the run its exit code.
 */
function refuseUnknownScheme(url: string, where: string): void {
  const scheme = schemeWithoutTransport(url);
  if (scheme === undefined) return;
  const near = nearestName(scheme.toLowerCase(), ['https', 'ssh', 'git', 'file', 'http']);
  throw new InputError(
    `${where}: unknown URL scheme '${scheme}' in ${url}${near ? ` (did you mean ${near}?)` : ''}: git has no transport for it (no git-remote-${scheme} helper); ` +
      'a repository is an https://, ssh://, git://, file:// or http:// URL, user@host:path, or a path',
  );
}

function isUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^[\w.-]+@[\w.-]+:/.test(location);
}

/** The last part of a URL's path (of a path: its last folder), `..` and `.` taken as they move. */
function lastSegment(url: string): string {
  const parts: string[] = [];
  for (const part of url.split(/[/:]/)) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.pop() ?? '';
}

/**
 * `name` as the name of a folder of the work folder: `%20` and the like decoded (`my%20svc` is `my svc`), and
 * anything that is no single folder's name (empty, `.`, `..`, a `/` decoded) replaced, since the clone is made,
 * reset and cleaned (`clean -ffdx`, other branches deleted) at `<work folder>/<name>`: `..` there is the folder
 * the fleet runs in, often the platform team's own checkout.
 */
function folderName(name: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // Not percent-encoding after all (a `%` of its own): the name as it is.
  }
  if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) return name === '' || name === '.' || name === '..' ? 'repository' : name;
  return decoded;
}

/**
 * Gives each repository its short name: the last part of its URL without `.git`; where two share one
 * (`team-a/api` and `team-b/api`), each of them gets a digest of its URL appended, so names are stable
 * however the file is reordered.
 */
function withNames(entries: readonly { url: string; branch?: string; where: string }[]): FleetRepository[] {
  const base = (url: string) => folderName(lastSegment(url).replace(/\.git$/, ''));
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(base(entry.url), (counts.get(base(entry.url)) ?? 0) + 1);
  return entries.map(entry => {
    const name = base(entry.url);
    const unique = counts.get(name)! > 1 ? `${name}-${crypto.createHash('sha256').update(entry.url).digest('hex').slice(0, 8)}` : name;
    return { url: entry.url, ...(entry.branch ? { branch: entry.branch } : {}), where: entry.where, name: unique };
  });
}
