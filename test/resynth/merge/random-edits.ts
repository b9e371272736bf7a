/**
 * Deterministic random edit triples for comparing the merge with git.
 */

/** A small seeded PRNG (mulberry32), so every run generates the same cases. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generated case. */
export interface EditTriple {
  readonly ancestor: Buffer;
  readonly existing: Buffer;
  readonly proposed: Buffer;
}

// A small vocabulary makes repeated lines, equal edits on both sides and sliding groups
// common, which is where alignment choices differ between diff implementations.
const VOCABULARY = ['a', 'b', 'c', 'd', 'e', '{', '}', '', '  x = 1;', '  y = 2;', 'end', '--', '#', 'foo bar', '}', ''];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function randomLine(rand: () => number): string {
  return rand() < 0.8 ? pick(rand, VOCABULARY) : `line ${Math.floor(rand() * 50)}`;
}

function edit(rand: () => number, lines: readonly string[]): string[] {
  const out = [...lines];
  const edits = Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const kind = rand();
    if (kind < 0.35 && out.length > 0) {
      out.splice(Math.min(at, out.length - 1), 1 + Math.floor(rand() * 2), ...Array.from({ length: Math.floor(rand() * 3) }, () => randomLine(rand)));
    } else if (kind < 0.65) {
      out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomLine(rand)));
    } else if (out.length > 0) {
      out.splice(Math.min(at, out.length - 1), 1 + Math.floor(rand() * 3));
    }
  }
  return out;
}

function render(lines: readonly string[], eol: string, finalNewline: boolean): Buffer {
  if (lines.length === 0) return Buffer.alloc(0);
  const text = lines.join(eol) + (finalNewline ? eol : '');
  return Buffer.from(text, 'latin1');
}

/** Generates a case: an ancestor of 0-20 lines and two independently edited sides. */
export function randomTriple(rand: () => number): EditTriple {
  const size = rand() < 0.1 ? 0 : Math.floor(rand() * 20);
  const base = Array.from({ length: size }, () => randomLine(rand));
  const crlf = rand() < 0.15;
  const eol = (mixed: boolean) => (crlf ? (mixed && rand() < 0.2 ? '\n' : '\r\n') : '\n');
  const finalNewline = () => rand() > 0.15;
  let existingLines: string[];
  let proposedLines: string[];
  if (rand() < 0.2 && base.length > 2) {
    // Edits on neighbouring lines, which git treats as touching and so conflicting.
    const at = Math.floor(rand() * (base.length - 1));
    existingLines = [...base];
    existingLines[at] = `${base[at]} (existing)`;
    proposedLines = [...base];
    if (rand() < 0.5) proposedLines[at + 1] = `${base[at + 1]} (proposed)`;
    else proposedLines.splice(at + 1, 0, 'inserted');
    if (rand() < 0.5) proposedLines = edit(rand, proposedLines);
  } else {
    existingLines = edit(rand, base);
    // Sometimes the proposed side repeats the existing side's edits, partly or wholly.
    proposedLines = rand() < 0.15 ? edit(rand, existingLines) : edit(rand, base);
  }
  return {
    ancestor: render(base, eol(false), finalNewline()),
    existing: render(existingLines, eol(true), finalNewline()),
    proposed: render(proposedLines, eol(true), finalNewline()),
  };
}
