import { BaselineCommit, parseRepositoriesTrailer, REPOSITORIES_TRAILER } from './baseline';
import type { Git } from './git';
import { firstOf } from '../plural';
import { commandPath } from '../printable';

/**
 * What an update of one repository says of the others the blueprint generates, against those its ancestor's
 * baselines name ({@link REPOSITORIES_TRAILER}): an update changes its own repository only, so a repository a new
 * version adds is made by no command, and one it drops is updated no more (its own update is refused), and nothing
 * else would tell the project's developers. Where a baseline does not name its repositories (an older build made it,
 * before the trailer was), every other repository would look new: the update names them as ones it cannot tell
 * about, once, since the baseline it commits names them all (said nothing, a repository added by that very version
 * went unnoticed for good).
 */
export function repositoryChangeWarnings(
  git: Git, repository: string, generated: readonly string[], ancestors: readonly string[], listed: readonly BaselineCommit[] | undefined,
  previous: string,
): string[] {
  const before = ancestors.length > 0 ? generatedBefore(git, ancestors, listed) : undefined;
  if (!before) {
    const others = generated.filter(name => name !== repository);
    if (ancestors.length === 0 || others.length === 0) return [];
    return [`the blueprint generates the ${others.length === 1 ? 'repository' : 'repositories'} ${others.map(name => `'${name}'`).join(', ')} beside '${repository}', ` +
      `and the baseline of ${previous}, made by an older bluesynth, does not say which repositories it generated: ${onlyThisOne(repository)}; ` +
      `for one the project lacks, ${createLike('NAME')}`];
  }
  const added = generated.filter(name => !before.has(name));
  const dropped = [...before].filter(name => name !== repository && !generated.includes(name));
  return [
    // Made from this repository's record once it holds the new version: same source, version, options and instantiation.
    ...added.map(name => `the blueprint now generates the repository '${name}' as well, which ${previous} did not: ${onlyThisOne(repository)}; ` +
      `to have '${name}' beside this one, ${createLike(commandPath(name))}`),
    ...dropped.map(name => `the blueprint no longer generates the repository '${name}', which ${previous} did: ` +
      `its files stay as they are, and its own updates are refused from this version on ('blueprint disassociate' in it stops following the blueprint there)`),
  ];
}

/**
 * Options given to an update (`--set`, `--options`) are recorded in its own repository only: each repository of a
 * project holds its own record, so the blueprint's other repositories keep the old values, and their files go on
 * saying them (journey 91: a README in one repository named the new team, the one beside it the old), until the same
 * flags update each of them. A fleet gives every repository the same flags, so it is not told.
 */
export function optionsElsewhereWarnings(repository: string, generated: readonly string[], changed: readonly string[]): string[] {
  const others = generated.filter(name => name !== repository);
  if (changed.length === 0 || others.length === 0) return [];
  return [`the options this update changes (${firstOf(changed, 3)}) are recorded in '${repository}' only: the blueprint's ` +
    `${others.length === 1 ? 'repository' : 'repositories'} ${others.map(name => `'${name}'`).join(', ')} ${others.length === 1 ? 'keeps' : 'keep'} the old ` +
    `values, and ${others.length === 1 ? 'is' : 'are'} generated from them, until the same update (with the same --set and --options) runs in each`];
}

/** Why an update says so: it changes its own repository and makes no other. */
function onlyThisOne(repository: string): string {
  return `this update changes '${repository}' only, and no update makes another repository`;
}

/** The command that makes a repository the project lacks, from this one's record, as an update names it. */
function createLike(name: string): string {
  return `once this update is committed, run in this repository's top folder: blueprint create --like . --repository ${name} ..`;
}

/** The repositories the baselines generated together, from their listing or one git command; undefined if one does not say. */
function generatedBefore(git: Git, ancestors: readonly string[], listed: readonly BaselineCommit[] | undefined): Set<string> | undefined {
  const named: (readonly string[] | undefined)[] = [];
  const unlisted: string[] = [];
  for (const commit of ancestors) {
    const baseline = listed?.find(entry => entry.commit === commit);
    if (baseline) named.push(baseline.repositories);
    else unlisted.push(commit);
  }
  if (unlisted.length > 0) {
    // One line per commit: the separator keeps git from ending the value with a line feed of its own.
    const lines = git.run(['show', '-s', `--format=%(trailers:key=${REPOSITORIES_TRAILER},valueonly,separator=%x1e)`, ...unlisted]).split('\n');
    named.push(...unlisted.map((_, i) => (lines[i] ? parseRepositoriesTrailer(lines[i].split('\x1e')[0]) : undefined)));
  }
  if (named.some(names => names === undefined)) return undefined;
  return new Set(named.flatMap(names => names!));
}
