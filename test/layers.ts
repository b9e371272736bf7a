import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers of `src/`, bottom to top: a module may import from its own folder and from lower layers,
 * never from a higher one or from another folder of its own layer. DESIGN.md draws the same picture.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'nearest-name.ts', 'plural.ts', 'printable.ts', 'text-position.ts', 'wrap.ts', 'cache'],
  ['bundle'],
  ['resynth'],
  ['blueprint'],
  ['components'],
  ['schema'],
  ['runner'],
  ['project'],
  ['fleet'],
  ['testing', 'projen', 'preview'],
  ['cli'],
  ['index.ts'],
];

/** One import that goes the wrong way. */
export interface LayerViolation {
  /** The importing file, relative to the source root. */
  readonly file: string;
  /** The line of the import. */
  readonly line: number;
  /** The imported module, relative to the source root. */
  readonly imported: string;
}

const IMPORT = /(?:\bfrom\s+|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]/gm;

/** The top-level entry of `src/` a path belongs to (`bundle`, `errors.ts`, ...). */
function unitOf(relative: string): string {
  return relative.split('/')[0];
}

function rankOf(unit: string): number {
  const rank = LAYERS.findIndex(layer => layer.includes(unit) || layer.includes(unit.replace(/\.ts$/, '') + '.ts'));
  if (rank < 0) throw new Error(`src/${unit} is in no layer: add it to LAYERS in test/layers.ts and to DESIGN.md`);
  return rank;
}

/** Every relative import under `srcDir` that goes to a higher layer or sideways to another folder of its layer. */
export function findLayerViolations(srcDir: string): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) check(absolute);
    }
  };
  const check = (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    const from = path.relative(srcDir, file).split(path.sep).join('/');
    const fromUnit = unitOf(from);
    for (const match of text.matchAll(IMPORT)) {
      const target = path.relative(srcDir, path.resolve(path.dirname(file), match[1])).split(path.sep).join('/');
      if (target.startsWith('..')) continue; // outside src/ (package.json, say)
      const toUnit = unitOf(target) === '' ? 'index.ts' : unitOf(target);
      const toUnitFile = fs.existsSync(path.join(srcDir, toUnit)) ? toUnit : `${toUnit}.ts`;
      if (toUnitFile === fromUnit) continue;
      if (rankOf(toUnitFile) < rankOf(fromUnit)) continue;
      const line = text.slice(0, match.index).split('\n').length;
      violations.push({ file: from, line, imported: target });
    }
  };
  walk(srcDir);
  return violations;
}
