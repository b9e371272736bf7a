import * as fs from 'fs';
import * as path from 'path';
import { FolderSource } from '../../bundle/source';
import { compileOwnerPattern } from '../../resynth/ownership/owner';
import { assertGlobsMeant } from '../../resynth/ownership/load';
import { parseOwnershipFileWithLines } from '../../resynth/ownership/ownership-file';
import { ownershipFilesOf } from '../../resynth/resolve';
import { DEFAULT_FALLBACK_STRATEGY_ID } from '../../resynth/strategies/builtins';
import { ResynthInputError } from '../../resynth/strategies/errors';
import { StrategyRegistry } from '../../resynth/strategies/registry';
import { Command, parseCommandArgs } from '../command';

/** `blueprint strategies`: what can resolve a file, and (with a bundle) what its ownership files say. */
export const command: Command = {
  name: 'strategies',
  summary: 'list the registered merge strategies (and a bundle\'s ownership-file entries)',
  usage: `Usage: blueprint strategies [--existing-bundle E [--package-name NAME --package-version V]] [--json]

Lists every registered merge strategy: its id and what it does. With --existing-bundle, also lists the
entries of E's .ownership-files (file:line, id, owner, globs) and whether each applies to the
blueprint NAME [default: $PACKAGE_NAME].

  --existing-bundle E        a bundle whose ownership files to list
  --package-name NAME        the blueprint's package name
  --package-version VERSION  the blueprint's version
  --json                     print JSON instead of text`,
  async run(args) {
    const { values } = parseCommandArgs({
      args,
      options: {
        'existing-bundle': { type: 'string' },
        'package-name': { type: 'string' },
        'package-version': { type: 'string' },
        'json': { type: 'boolean' },
        'verbose': { type: 'boolean' },
      },
    });
    const registry = StrategyRegistry.create();
    const strategies = registry.list().map(({ id, description }) => ({ id, description, fallback: id === DEFAULT_FALLBACK_STRATEGY_ID }));
    const entries = values['existing-bundle'] ? ownershipEntries(values['existing-bundle'], {
      name: values['package-name'] ?? process.env.PACKAGE_NAME,
      version: values['package-version'] ?? process.env.PACKAGE_VERSION,
    }, registry) : undefined;

    if (values.json) {
      console.log(JSON.stringify(entries ? { strategies, ownershipEntries: entries } : { strategies }, null, 2));
      return 0;
    }
    const width = Math.max(...strategies.map(s => s.id.length));
    for (const s of strategies) console.log(`${s.id.padEnd(width)}  ${s.description}`);
    if (entries) {
      console.log('');
      if (entries.length === 0) console.log('no .ownership-file entries');
      for (const e of entries) {
        console.log(`${e.declaredAt}  [${e.id}] ${e.owner}  ${e.globs.join(' ')}  (${e.status})`);
      }
    }
    return 0;
  },
};

type EntryStatus = 'applies' | 'other owner' | 'unknown strategy' | 'local command' | 'no package name';

function ownershipEntries(dir: string, owner: { name?: string; version?: string }, registry: StrategyRegistry) {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ResynthInputError(`--existing-bundle: '${path.resolve(dir)}' is not a folder`);
  }
  const ownershipFiles = ownershipFilesOf(new FolderSource(dir));
  const listed: { declaredAt: string; id: string; owner: string; globs: readonly string[]; status: EntryStatus }[] = [];
  for (const [file, { buffer }] of ownershipFiles) {
    for (const located of parseOwnershipFileWithLines(buffer.toString('utf8'), file)) {
      const { entry, line } = located;
      // An entry every merge refuses is no entry to list as applying.
      assertGlobsMeant(file, located);
      let status: EntryStatus;
      if (entry.identifier === 'local') status = 'local command';
      else if (!owner.name) status = 'no package name';
      else if (!compileOwnerPattern(entry.owner)(owner)) status = 'other owner';
      else if (!registry.has(entry.identifier) && !(entry.implementation && registry.has(entry.implementation))) status = 'unknown strategy';
      else status = 'applies';
      listed.push({ declaredAt: `${file}:${line}`, id: entry.identifier, owner: entry.owner, globs: entry.globs, status });
    }
  }
  return listed;
}
