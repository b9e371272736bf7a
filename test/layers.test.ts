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
});
