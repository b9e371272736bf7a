import * as fs from 'fs';
import * as path from 'path';
import { dependencyFolders } from '../../src/runner/sandbox';
import { tempDir, writeTree } from '../util';

/**
 * The folders a sandboxed blueprint folder of one's own may read for its dependencies: what its package.json and
 * theirs name, as the package author wrote them, which need not be what npm would accept.
 */
test('a dependency whose package.json is JSON but no object (null) is granted, and names no dependency of its own', () => {
  const root = tempDir();
  writeTree(root, {
    'bp/package.json': JSON.stringify({ name: 'bp', dependencies: { odd: '1.0.0', plain: '1.0.0' } }),
    'node_modules/odd/package.json': 'null',
    'node_modules/plain/package.json': JSON.stringify({ name: 'plain', dependencies: null }),
  });
  const real = fs.realpathSync(root);
  expect(dependencyFolders(path.join(root, 'bp')).sort()).toEqual([path.join(real, 'node_modules/odd'), path.join(real, 'node_modules/plain')]);
});
