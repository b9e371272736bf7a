import * as fs from 'fs';
import * as path from 'path';
import { ProjectInputError } from '../../src/project/errors';
import { Git } from '../../src/project/git';
import { parseRecord, pickInstantiation, serializeRecord, withInstantiation } from '../../src/project/instantiation-record';
import { applyOverrides } from '../../src/project/options';
import { carryRenames, detectRenames } from '../../src/project/renames';
import { blueprintSource } from '../../src/project/sources';
import { compareReleases, newestRelease } from '../../src/project/sources/semver-tags';
import { tempDir, writeTree } from '../util';

const entry = { id: 'a1', packageName: 'p', versionId: '1.0.0', options: { x: 1 }, source: '/bp', sourceRevision: '/bp', repository: 'r' };

describe('instantiation record', () => {
  test('round-trips, replaces an entry by id, appends a new one', () => {
    const text = serializeRecord([entry]);
    expect(parseRecord(text, 'f')).toEqual([entry]);
    expect(withInstantiation([entry], { ...entry, versionId: '2.0.0' })).toEqual([{ ...entry, versionId: '2.0.0' }]);
    expect(withInstantiation([entry], { ...entry, id: 'b2' }).map(i => i.id)).toEqual(['a1', 'b2']);
  });

  test('names the file and the entry at fault', () => {
    expect(() => parseRecord('{', 'r.json')).toThrow(/^r\.json: the instantiation record is not valid JSON/);
    expect(() => parseRecord('{}', 'r.json')).toThrow('r.json: the instantiation record must be a JSON array');
    expect(() => parseRecord('{"format":2,"instantiations":[]}', 'r.json')).toThrow('r.json: the instantiation record is in format 2, which a newer bluesynth writes: upgrade bluesynth');
    expect(() => parseRecord(JSON.stringify([entry, { ...entry, options: [] }]), 'r.json')).toThrow("r.json: entry 2: 'options' must be a JSON object");
    expect(() => parseRecord(JSON.stringify([{ ...entry, id: 'a b' }]), 'r.json')).toThrow(ProjectInputError);
  });

  test('picks the only instantiation, or the one named', () => {
    expect(pickInstantiation([entry], undefined)).toBe(entry);
    expect(() => pickInstantiation([entry, { ...entry, id: 'b2' }], undefined)).toThrow('choose one with --instantiation');
    expect(() => pickInstantiation([entry], 'zz')).toThrow("no instantiation 'zz' in .bluesynth/instantiations.json (recorded: a1 = p)");
  });
});

describe('options overrides', () => {
  test('an options file, then --set with dotted keys and JSON values', () => {
    const dir = tempDir();
    const file = path.join(dir, 'o.json');
    fs.writeFileSync(file, JSON.stringify({ runtime: { port: 1 }, list: [1] }));
    const base = { runtime: { port: 0, level: 'info' }, list: [0, 0], name: 'a' };
    expect(applyOverrides(base, { file, sets: ['runtime.level=debug', 'name=b', 'count=3', 'flags=[true]'] })).toEqual({
      runtime: { port: 1, level: 'debug' }, list: [1], name: 'b', count: 3, flags: [true],
    });
    expect(base.runtime.port).toBe(0);
    expect(() => applyOverrides(base, { sets: ['novalue'] })).toThrow('--set novalue: expected key=value');
  });
});

describe('versions and sources', () => {
  test('releases compare numerically; vX and vX.Y count', () => {
    expect(newestRelease(['v1.9.0', 'v1.10.0', 'v2-beta', 'main'])).toBe('v1.10.0');
    expect(newestRelease(['v1', 'v3', 'v2'])).toBe('v3');
    expect(compareReleases('v2', 'v1.9.9')).toBeGreaterThan(0);
    expect(newestRelease(['latest'])).toBeUndefined();
  });

  test('a spec names its kind: git with #ref or a URL, a folder, an npm package', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'bp'));
    expect(blueprintSource('bp#v1', dir).kind).toBe('git');
    expect(blueprintSource('https://example.invalid/x.git', dir).kind).toBe('git');
    expect(blueprintSource('bp', dir).kind).toBe('folder');
    expect(blueprintSource('@scope/name@^1.2', dir).kind).toBe('npm');
    expect(blueprintSource('npm:name', dir).kind).toBe('npm');
    expect(() => blueprintSource('Not A Package!', dir)).toThrow("blueprint source 'Not A Package!': not a folder, a git repository (URL#ref) or an npm package spec");
    expect(() => blueprintSource('bp', dir).resolve('v2')).toThrow('is a folder, which has no versions');
  });
});

describe('renames', () => {
  test("git's similarity rule finds a moved file; the project's edited copy follows it", () => {
    const dir = tempDir();
    const body = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    writeTree(path.join(dir, 'ancestor'), { 'a/old.ts': body, 'same.ts': 'x\n' });
    writeTree(path.join(dir, 'proposed'), { 'b/new.ts': body.replace('line 3', 'line three'), 'same.ts': 'x\n' });
    writeTree(path.join(dir, 'existing'), { 'a/old.ts': body + 'team line\n', 'same.ts': 'x\n' });
    const renames = detectRenames(new Git(dir), path.join(dir, 'ancestor'), path.join(dir, 'proposed'));
    expect(renames).toEqual([{ from: 'a/old.ts', to: 'b/new.ts' }]);
    expect(carryRenames(renames, path.join(dir, 'ancestor'), path.join(dir, 'existing'))).toEqual(renames);
    expect(fs.readFileSync(path.join(dir, 'existing', 'b', 'new.ts'), 'utf8')).toContain('team line');
    expect(fs.existsSync(path.join(dir, 'existing', 'a', 'old.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'ancestor', 'b', 'new.ts'))).toBe(true);
  });
});
