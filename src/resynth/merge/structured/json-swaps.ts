/**
 * Values swapped in place in JSON text, collected against one parse and made together: a swap leaves every
 * node outside the swapped value where the parse found it, so any number of them need one parse, where one
 * parse per edit made a file's merge grow with its size times its edits (minutes for a lock file).
 */
import { Node } from 'jsonc-parser';

/** A value's text swapped for another, at an offset of the text as it was parsed. */
export interface Swap {
  readonly offset: number;
  readonly length: number;
  readonly value: string;
}

/**
 * Swaps that do not change what each other reads from the text: none overlaps another's value (one holding the
 * other), none spans the start of another's line (whose indentation a swapped value is moved to), and none is
 * written on several lines (a new line break moves the lines after it, and a container's text decides whether
 * one may go in: those are made one at a time, on the text parsed again).
 */
export class SwapBatch {
  /** Ordered by offset; they never overlap, so a new one needs comparing with its neighbours only. */
  private readonly swaps: Swap[] = [];

  /** Adds `swap` (whose line starts at `lineStart`) when it reads nothing another changes; false when it does. */
  public add(swap: Swap, lineStart: number): boolean {
    if (swap.value.includes('\n')) return this.swaps.length === 0 && (this.swaps.push(swap), true);
    if (this.swaps.length === 1 && this.swaps[0].value.includes('\n')) return false;
    const at = this.firstAfter(swap.offset);
    const before = this.swaps[at - 1];
    const after = this.swaps[at];
    if (before && before.offset + before.length > swap.offset) return false;
    if (after && after.offset < swap.offset + swap.length) return false;
    const spanning = this.swaps[this.firstAfter(lineStart - 1) - 1];
    if (spanning && spanning.offset < lineStart && spanning.offset + spanning.length > lineStart) return false;
    this.swaps.splice(at, 0, swap);
    return true;
  }

  /** `text` (the text the swaps were found in) with them made: it is copied once, not once per swap. */
  public applyTo(text: string): string {
    if (this.swaps.length === 0) return text;
    const pieces: string[] = [];
    let copied = 0;
    for (const swap of this.swaps) {
      pieces.push(text.slice(copied, swap.offset), swap.value);
      copied = swap.offset + swap.length;
    }
    pieces.push(text.slice(copied));
    return pieces.join('');
  }

  /** The index of the first swap starting after `offset`. */
  private firstAfter(offset: number): number {
    let low = 0;
    let high = this.swaps.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.swaps[middle].offset <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Each object node's members by key, made on first use: jsonc-parser's lookup reads the members one by one. */
const membersOf = new WeakMap<Node, Map<string, Node>>();

/**
 * The node at `path` (as jsonc-parser's `findNodeAtLocation`), in time that does not grow with the objects'
 * sizes: a lock file's object of packages has thousands of members, and every edit looks one up.
 */
export function nodeAt(root: Node, path: readonly (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (!node?.children) return undefined;
    if (typeof segment === 'number') {
      if (node.type !== 'array') return undefined;
      node = node.children[segment];
      continue;
    }
    if (node.type !== 'object') return undefined;
    let members = membersOf.get(node);
    if (!members) {
      members = new Map();
      for (const property of node.children) {
        const [key, value] = property.children ?? [];
        if (key && value && !members.has(key.value as string)) members.set(key.value as string, value);
      }
      membersOf.set(node, members);
    }
    node = members.get(segment);
  }
  return node;
}
