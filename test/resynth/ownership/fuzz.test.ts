import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { readBundle } from '../../../src/bundle/read';
import { normalizeRelative, PathEscapeError } from '../../../src/bundle/paths';
import { writeBundle } from '../../../src/bundle/sink';
import { OwnershipFileSyntaxError, parseOwnershipFileWithLines, serializeOwnershipFile } from '../../../src/resynth/ownership';
import { tempDir } from '../../util';

const FILE = 'src/app/.ownership-file';

/**
 * Text an ownership file could hold: lines of random unicode, control characters, brackets and comment marks, and
 * now and then a line of 200,000 characters (rarely: building texts of several took the test most of its time).
 */
const line = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 8 },
  { arbitrary: fc.string({ unit: fc.constantFrom('[', ']', '#', ' ', '\t', '\r', '*', 'a', 'é', '\u2028', '\u00a0', '\0', '\x1b', '\ufeff'), maxLength: 20 }), weight: 8 },
  { arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 })).map(([id, owner]) => `[${id}] ${owner}`), weight: 8 },
  { arbitrary: fc.constant('x'.repeat(200_000)), weight: 1 },
);
const ownershipText = fc.oneof(
  fc.array(line, { maxLength: 30 }).chain(lines => fc.constantFrom('\n', '\r\n', '\r').map(eol => lines.join(eol))),
  fc.uint8Array({ maxLength: 400 }).map(bytes => Buffer.from(bytes).toString('utf8')),
);

describe('fuzz: the ownership-file parser', () => {
  test('every input is accepted with a round trip, or refused with a message naming the file and line', () => {
    fc.assert(
      fc.property(ownershipText, text => {
        let entries;
        try {
          entries = parseOwnershipFileWithLines(text, FILE);
        } catch (error) {
          expect(error).toBeInstanceOf(OwnershipFileSyntaxError);
          const { line: at, message } = error as OwnershipFileSyntaxError;
          expect(message.startsWith(`${FILE}:${at}: `)).toBe(true);
          expect(at).toBeGreaterThanOrEqual(1);
          expect(at).toBeLessThanOrEqual(text.split(/\r\n|\n|\r/).length);
          return;
        }
        const written = serializeOwnershipFile(entries.map(located => located.entry));
        const again = parseOwnershipFileWithLines(written, FILE).map(located => located.entry);
        expect(again).toEqual(entries.map(located => located.entry));
        expect(serializeOwnershipFile(again)).toBe(written);
      }),
      { numRuns: 3000 },
    );
  });
});

/** A path segment of random unicode and control characters (never '/' or NUL, which no file name holds). */
const segment = fc.string({ unit: fc.oneof(fc.constantFrom('\\', '"', '\t', '\n', ' ', '.', '~', '\x7f', '\x01', 'é', '日', '😀'), fc.char()), minLength: 1, maxLength: 12 })
  .filter(s => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..');

describe('fuzz: bundle paths', () => {
  test('normalizeRelative gives a relative path without . or .. segments, idempotently, or names the path it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.oneof(segment, fc.constantFrom('.', '..', '', '/')), { maxLength: 40 }).map(s => s.join('/'))), input => {
        let normal: string;
        try {
          normal = normalizeRelative(input, 'fuzz');
        } catch (error) {
          if (input.includes('\0')) {
            // Refused for the NUL whatever else the path does: no file name can hold one.
            expect((error as Error).message).toBe(`fuzz: path ${JSON.stringify(input)} holds a NUL character, which no file name can hold`);
            return;
          }
          expect(error).toBeInstanceOf(PathEscapeError);
          expect((error as Error).message).toContain(`fuzz: path '${input}'`);
          return;
        }
        expect(input.includes('\0')).toBe(false);
        expect(normal).not.toBe('');
        expect(normal.startsWith('/')).toBe(false);
        expect(normal.split('/').some(part => part === '' || part === '.' || part === '..')).toBe(false);
        expect(normalizeRelative(normal, 'fuzz')).toBe(normal);
      }),
      { numRuns: 5000 },
    );
  });

  test('a bundle of odd names, deep folders included, is written and read back exactly', () => {
    const root = tempDir('bluesynth-fuzz-paths-');
    let run = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 25 }).map(parts => parts.join('/')), { minLength: 1, maxLength: 6 }), names => {
        // a name may not also be a folder of another name
        fc.pre(!names.some(a => names.some(b => b.startsWith(`${a}/`))));
        // a Windows drive (`C:/...`, `C:\\...`) is refused on purpose; normalizeRelative's own test covers it
        fc.pre(!names.some(name => /^[a-zA-Z]:[\\/]/.test(name)));
        const files = new Map(names.map((name, i) => [name, { buffer: Buffer.from(`file ${i}\n`), mode: 0o644 }]));
        const dir = path.join(root, String(run++));
        writeBundle(dir, files);
        const read = readBundle(dir);
        expect([...read.keys()].sort()).toEqual([...files.keys()].sort());
        for (const [name, file] of files) expect(read.get(name)!.buffer).toEqual(file.buffer);
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  });
});
