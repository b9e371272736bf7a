import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/** A fleet whose blueprint's new version no longer accepts a value the projects recorded. */
jest.setTimeout(300_000);

const source = (tier: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string; tier: ${tier} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: options.name }), 'tier.txt', options.tier + '\\n');
  }
}
`;

test('fleet update takes --validation warn, the way on a repository refused for its recorded options names, as update does', () => {
  const work = tempDir('bluesynth-options-evolve-fleet-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source("'small' | 'large'"), { 'src/defaults.json': JSON.stringify({ name: 'svc', tier: 'small' }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  // v2 renames the tiers: every project made with v1 recorded one v2 refuses.
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source("'S' | 'L'"));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ name: 'svc', tier: 'S' }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  const remotes = ['orders', 'billing'].map(name => {
    expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', `name=${name}`, path.join(work, name)], { cwd: work }).code).toBe(0);
    git(work, 'clone', '--quiet', '--bare', path.join(work, name, name), path.join(work, 'remotes', `${name}.git`));
    return `remotes/${name}.git`;
  });
  fs.writeFileSync(path.join(work, 'repos.txt'), remotes.join('\n') + '\n');

  const refused = runCli(['fleet', 'update', '--repos', 'repos.txt', '--to', 'v2', '--jobs', '1', '--json'], { cwd: work });
  expect(refused.code).toBe(1);
  for (const row of JSON.parse(refused.stdout).repositories) {
    expect(row.state).toBe('failed');
    expect(row.reason).toContain('$.tier: enum: must be one of "S", "L", got string "small"');
    expect(row.reason).toContain('--validation warn');
  }

  const warned = runCli(['fleet', 'update', '--repos', 'repos.txt', '--to', 'v2', '--jobs', '1', '--validation', 'warn', '--push', '--json'], { cwd: work });
  expect(warned.code).toBe(0);
  for (const row of JSON.parse(warned.stdout).repositories) {
    expect(row.state).toBe('updated');
    expect(row.warnings).toContain('the recorded options (.bluesynth/instantiations.json): $.tier: enum: must be one of "S", "L", got string "small"');
    expect(git(path.join(work, 'remotes', `${row.name}.git`), 'show', `${row.branch}:tier.txt`)).toBe('small');
  }

  const bad = runCli(['fleet', 'update', '--repos', 'repos.txt', '--to', 'v2', '--validation', 'lenient'], { cwd: work });
  expect(bad.stderr).toContain("--validation must be one of error, warn, off, got 'lenient'");
  expect(bad.code).toBe(2);
});
