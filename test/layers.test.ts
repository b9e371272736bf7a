import * as fs from 'fs';
import * as path from 'path';
import { findLayerViolations } from './layers';

describe('layers', () => {
  test('every import in src/ goes to its own folder or a lower layer', () => {
    const violations = findLayerViolations(path.join(__dirname, '..', 'src'));
    expect(violations.map(v => `src/${v.file}:${v.line} imports ${v.imported}`)).toEqual([]);
  });

  test('an upward or sideways import is reported with its file and line', () => {
    // The fixture's bundle/ imports cli/ (upward) and errors.ts (downward, allowed).
    const violations = findLayerViolations(path.join(__dirname, 'fixtures', 'layers', 'src'));
    expect(violations).toEqual([{ file: 'bundle/upward.ts', line: 3, imported: 'cli/command' }]);
  });

  test('every runtime dependency in package.json is imported by src/ (every user installs it)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const absolute = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(absolute);
        else if (/\.tsx?$/.test(entry.name)) sources.push(fs.readFileSync(absolute, 'utf8'));
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    const text = sources.join('\n');
    const unused = Object.keys(manifest.dependencies ?? {}).filter(name => !new RegExp(`['"]${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/[^'"]*)?['"]`).test(text));
    expect(unused).toEqual([]);
  });
});
