/**
 * Where a new dependency goes in a package's dependency list. npm writes these lists sorted (and so do
 * sort-package-json and yarn): a dependency added after its neighbour in the blueprint's order would be the
 * one entry out of place, for the next `npm install` to move. Other objects keep the source's order: keys
 * in sorted order elsewhere may be so by chance, and their order may mean something to a reader.
 * Also which order a list of strings is kept in (`array-merge.ts`: two sides' insertions at one place of it).
 */

/** The top-level members of a package manifest whose keys npm keeps sorted. */
const DEPENDENCY_LISTS = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']);

/** The orders a sorted list may follow: by UTF-16 code units (`Array.prototype.sort`), and npm's (`localeCompare` in English). */
const ORDERS: readonly ((a: string, b: string) => number)[] = [
  (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  (a, b) => a.localeCompare(b, 'en'),
];

/**
 * The order of {@link ORDERS} in which every one of `lists` is strictly sorted (each element before the next) and
 * at least nine in ten of the neighbouring pairs of `mostly` are (a list kept sorted by hand, with a slip or two), if any.
 */
export function sortedOrderOf(lists: readonly (readonly string[])[], mostly: readonly string[] = []): ((a: string, b: string) => number) | undefined {
  const inOrder = (list: readonly string[], compare: (a: string, b: string) => number) => list.filter((item, i) => i > 0 && compare(list[i - 1], item) < 0).length;
  return ORDERS.find(compare => lists.every(list => inOrder(list, compare) === Math.max(list.length - 1, 0))
    && inOrder(mostly, compare) * 10 >= Math.max(mostly.length - 1, 0) * 9);
}

/**
 * The index among `keys` (the members of the object at `objectPath`, in its text's order) before which the new
 * `key` keeps them sorted, where the object is a dependency list (`$.devDependencies`) whose two or more keys
 * are sorted in one of {@link ORDERS}. Undefined elsewhere: the new key goes after its neighbour in the source.
 */
export function sortedInsertionIndex(objectPath: readonly (string | number)[], keys: readonly string[], key: string): number | undefined {
  if (objectPath.length !== 1 || !DEPENDENCY_LISTS.has(String(objectPath[0])) || keys.length < 2) return undefined;
  const order = sortedOrderOf([keys]);
  if (!order) return undefined;
  const index = keys.findIndex(k => order(key, k) < 0);
  return index < 0 ? keys.length : index;
}
