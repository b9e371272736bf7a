/**
 * The corpus of real merges of JSON and YAML files: for every merge commit of a git repository, every
 * such file both parents changed since their merge base, as four versions: the merge base (ancestor),
 * the first parent (existing), the second parent (proposed) and what the person merging committed
 * (human). Lock files are left out: they are regenerated, not merged.
 *
 * On disk: `<corpus>/<repository>/<merge commit>/<path, '/' as '%2F'>/{ancestor,existing,proposed,human}`
 * (a version absent from its commit has no file).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One file of one merge. */
export interface CorpusTriple {
  readonly repository: string;
  readonly merge: string;
  readonly path: string;
  /** The folder holding the versions, relative to the corpus. */
  readonly folder: string;
}

/** The versions of a triple, by role; undefined: the file is absent there. */
export interface TripleVersions {
  readonly ancestor?: Buffer;
  readonly existing?: Buffer;
  readonly proposed?: Buffer;
  readonly human?: Buffer;
}

const STRUCTURED = /\.(json|jsonc|ya?ml)$/i;
const LOCK_FILES = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.ya?ml|composer\.lock)$/;
/** Larger files are generated data, not configuration. */
const MAX_BYTES = 256 * 1024;

/** Runs git in `repo` and returns its output as text (its messages are dropped). */
export function git(repo: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Reads many `<rev>:<path>` objects through one `git cat-file --batch`; undefined where one is absent or not a blob. */
export function readObjects(repo: string, specs: string[]): (Buffer | undefined)[] {
  if (!specs.length) return [];
  const run = spawnSync('git', ['cat-file', '--batch'], { cwd: repo, input: specs.join('\n') + '\n', maxBuffer: 1024 * 1024 * 1024 });
  const out = run.stdout;
  const results: (Buffer | undefined)[] = [];
  let offset = 0;
  for (let i = 0; i < specs.length; i++) {
    const newline = out.indexOf(10, offset);
    const header = out.subarray(offset, newline).toString();
    offset = newline + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    results.push(header.split(' ')[1] === 'blob' ? Buffer.from(out.subarray(offset, offset + size)) : undefined);
    offset += size + 1;
  }
  return results;
}

/**
 * Adds the triples of up to `maxMerges` merge commits of `repo` (newest first) to the corpus folder,
 * named `name`; returns them.
 */
export function buildCorpus(repo: string, name: string, corpus: string, maxMerges: number): CorpusTriple[] {
  const triples: CorpusTriple[] = [];
  for (const { merge, first, second, candidates } of candidateMerges(repo, maxMerges)) {
    let base: string;
    try {
      base = git(repo, ['merge-base', first, second]).trim();
    } catch {
      continue;
    }
    const changed = (parent: string) => new Set(
      git(repo, ['diff', '--name-only', '--no-renames', '-z', base, parent, '--', ...candidates]).split('\0').filter(Boolean),
    );
    const byFirst = changed(first);
    const both = [...changed(second)].filter(p => byFirst.has(p));
    if (!both.length) continue;
    const specs = both.flatMap(p => [base, first, second, merge].map(rev => `${rev}:${p}`));
    const objects = readObjects(repo, specs);
    both.forEach((filePath, i) => {
      const [ancestor, existing, proposed, human] = objects.slice(i * 4, i * 4 + 4);
      if ([ancestor, existing, proposed, human].some(b => b && b.length > MAX_BYTES)) return;
      const folder = path.posix.join(name, merge, filePath.replace(/\//g, '%2F'));
      const dir = path.join(corpus, folder);
      fs.mkdirSync(dir, { recursive: true });
      const versions: TripleVersions = { ancestor, existing, proposed, human };
      for (const [role, buffer] of Object.entries(versions)) if (buffer) fs.writeFileSync(path.join(dir, role), buffer);
      triples.push({ repository: name, merge, path: filePath, folder });
    });
  }
  return triples;
}

/**
 * Two-parent merges, newest first, with the JSON/YAML files the merge result differs in from either
 * parent: a file both sides changed differently differs from at least one parent, so only these need
 * the (slower) look at the merge base. One `git log -m` lists them all.
 */
function candidateMerges(repo: string, maxMerges: number): { merge: string; first: string; second: string; candidates: string[] }[] {
  // Octopus merges give no triple (one merge base, two sides), and `-m` would diff each against every parent.
  const log = git(repo, ['log', '--merges', '--max-parents=2', '-m', '--name-only', '--no-renames', '--format=%x01%H %P', `--max-count=${maxMerges}`, 'HEAD']);
  const byMerge = new Map<string, { merge: string; first: string; second: string; candidates: Set<string> }>();
  for (const chunk of log.split('\x01').slice(1)) {
    const [header, ...files] = chunk.split('\n');
    const [merge, first, second, extra] = header.trim().split(' ');
    if (!second || extra) continue;
    const entry = byMerge.get(merge) ?? { merge, first, second, candidates: new Set<string>() };
    for (const file of files) if (STRUCTURED.test(file) && !LOCK_FILES.test(file)) entry.candidates.add(file);
    byMerge.set(merge, entry);
  }
  return [...byMerge.values()].filter(m => m.candidates.size).map(m => ({ ...m, candidates: [...m.candidates] }));
}

/** Every triple of a corpus folder (or a fixture folder laid out the same way), in a stable order. */
export function listCorpus(corpus: string): CorpusTriple[] {
  const triples: CorpusTriple[] = [];
  const folders = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name).sort() : []);
  for (const repository of folders(corpus)) {
    for (const merge of folders(path.join(corpus, repository))) {
      for (const file of folders(path.join(corpus, repository, merge))) {
        triples.push({ repository, merge, path: file.replace(/%2F/g, '/'), folder: path.posix.join(repository, merge, file) });
      }
    }
  }
  return triples;
}

/** Reads a triple's versions from the corpus (or a fixture folder laid out the same way). */
export function readTriple(corpus: string, folder: string): TripleVersions {
  const read = (role: string) => {
    const file = path.join(corpus, folder, role);
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  };
  return { ancestor: read('ancestor'), existing: read('existing'), proposed: read('proposed'), human: read('human') };
}
