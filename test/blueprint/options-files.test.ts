import * as path from 'path';
import { mergeOptions, readOptionsFile, readWizardConfigurations, singleConfiguration, wizardConfigurations } from '../../src/blueprint/options-files';
import { tempDir, writeTree } from '../util';

describe('options files', () => {
  test('mergeOptions merges objects deeply and replaces arrays and scalars', () => {
    const base = { a: 1, list: [1, 2, 3], nested: { x: 1, y: { z: 1 } }, keep: 'k' };
    const merged = mergeOptions(base, { a: 2, list: [9], nested: { y: { w: 2 } }, extra: null });
    expect(merged).toEqual({ a: 2, list: [9], nested: { x: 1, y: { z: 1, w: 2 } }, keep: 'k', extra: null });
    expect(base).toEqual({ a: 1, list: [1, 2, 3], nested: { x: 1, y: { z: 1 } }, keep: 'k' }); // inputs untouched
  });

  test('wizardConfigurations: one per *.json in name order, merged over defaults', () => {
    const dir = tempDir();
    writeTree(dir, {
      'defaults.json': '{"size": 1, "tags": ["a"]}',
      'wizard/b.json': '{"size": 2}',
      'wizard/a.json': '{"tags": []}',
      'wizard/readme.md': '#',
    });
    const configurations = wizardConfigurations(path.join(dir, 'defaults.json'), path.join(dir, 'wizard'));
    expect(configurations.map(c => [c.name, c.options])).toEqual([
      ['a', { size: 1, tags: [] }],
      ['b', { size: 2, tags: ['a'] }],
    ]);
    expect(wizardConfigurations(path.join(dir, 'defaults.json'), path.join(dir, 'missing')).map(c => c.name)).toEqual(['defaults']);
  });

  test('readWizardConfigurations sets a configuration that cannot be read apart, with its error; wizardConfigurations throws it', () => {
    const dir = tempDir();
    writeTree(dir, { 'defaults.json': '{"size": 1}', 'wizard/a.json': '{"size": 2}', 'wizard/b.json': '{\n  "size": \n', 'wizard/c.json': '[]', 'bad-defaults.json': '{' });
    const { configurations, unreadable } = readWizardConfigurations(path.join(dir, 'defaults.json'), path.join(dir, 'wizard'));
    expect(configurations.map(c => [c.name, c.options])).toEqual([['a', { size: 2 }]]);
    expect(unreadable.map(u => [u.name, u.file, u.error.message])).toEqual([
      ['b', path.join(dir, 'wizard/b.json'), `${path.join(dir, 'wizard/b.json')}:3:1: invalid JSON: value expected`],
      ['c', path.join(dir, 'wizard/c.json'), `${path.join(dir, 'wizard/c.json')}: options must be a JSON object`],
    ]);
    expect(() => wizardConfigurations(path.join(dir, 'defaults.json'), path.join(dir, 'wizard'))).toThrow(unreadable[0].error);
    // Every configuration is merged over the defaults: defaults that cannot be read are no one configuration's failure.
    expect(() => readWizardConfigurations(path.join(dir, 'bad-defaults.json'), path.join(dir, 'wizard'))).toThrow(/bad-defaults\.json:1:2: invalid JSON/);
  });

  test('singleConfiguration merges a file over the defaults, and the defaults file alone stays itself', () => {
    const dir = tempDir();
    writeTree(dir, { 'defaults.json': '{"size": 1, "name": "d"}', 'x.json': '{"size": 5}' });
    expect(singleConfiguration(path.join(dir, 'x.json'), path.join(dir, 'defaults.json'))).toMatchObject({ name: 'x', options: { size: 5, name: 'd' } });
    expect(singleConfiguration(path.join(dir, 'defaults.json'), path.join(dir, 'defaults.json')).options).toEqual({ size: 1, name: 'd' });
  });

  test('errors name the file, and the line and column of a syntax error', () => {
    const dir = tempDir();
    writeTree(dir, { 'bad.json': '{\n  "a": 1,\n  "b": ,\n}', 'array.json': '[1]' });
    expect(() => readOptionsFile(path.join(dir, 'bad.json'))).toThrow(new RegExp(`bad\\.json:3:8: invalid JSON`));
    expect(() => readOptionsFile(path.join(dir, 'array.json'))).toThrow(/array\.json: options must be a JSON object/);
    expect(() => readOptionsFile(path.join(dir, 'none.json'))).toThrow(/none\.json: cannot read options \(no such file\)/);
  });

  test('an instantiation record given as options (the record before a disassociation) is refused with the entry to take', () => {
    const dir = tempDir();
    writeTree(dir, { 'record.json': JSON.stringify([{ id: 'a1', packageName: 'p', options: { size: 1 } }]) });
    expect(() => readOptionsFile(path.join(dir, 'record.json')))
      .toThrow(/record\.json: options must be a JSON object; this is a list of instantiations, as \.bluesynth\/instantiations\.json holds: give the "options" object of the one to apply \(id a1\) in a file of its own/);
  });
});
