/**
 * Conflicts in the order a reader meets them in the file. The merge finds them in the proposed side's key
 * order and walks arrays from the last element down (so that indices stay valid while edits are made), and a
 * parsed object lists integer-like keys first: none of these is the order of the existing text, which is what
 * the markers follow.
 */
import { JsonPath } from './json-path';
import { nodeAt } from './json-swaps';
import { parseJsonTree } from './json-text';
import { StructuredFormat } from './format';
import { parseYamlDocument, yamlOffsetAt } from './yaml-text';

/**
 * `paths` (of the existing document) sorted by where they start in its text. A path the existing side does
 * not have (it removed the member) sorts where the nearest enclosing node it has starts; ties keep their order.
 * (One more parse of a text the merge has parsed already: the work bound, which counts the sides, covers it.)
 */
export function inDocumentOrder(format: StructuredFormat, existing: string, paths: readonly JsonPath[]): JsonPath[] {
  if (paths.length < 2) return [...paths];
  let offsetAt: (path: JsonPath) => number | undefined;
  if (format === 'json') {
    const root = parseJsonTree(existing);
    offsetAt = path => nodeAt(root, path)?.offset;
  } else {
    const root = parseYamlDocument(existing).contents;
    offsetAt = path => yamlOffsetAt(root, path);
  }
  const nearest = (path: JsonPath): number => {
    for (let length = path.length; length > 0; length--) {
      const offset = offsetAt(path.slice(0, length));
      if (offset !== undefined) return offset;
    }
    return 0;
  };
  return paths
    .map((path, index) => ({ path, index, offset: nearest(path) }))
    .sort((a, b) => a.offset - b.offset || a.index - b.index)
    .map(entry => entry.path);
}
