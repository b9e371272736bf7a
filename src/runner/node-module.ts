import Module from 'module';

/**
 * Node's own CommonJS module system. Under jest, `require('module')` is jest's subclass of it (its
 * `createRequire` loads through jest's transformers, and a hook assigned to it patches only the subclass),
 * so this is the root of the class chain, which is `Module` itself everywhere else.
 */
export const NodeModule: typeof Module = rootClass(Module);

/** The topmost class of `cls`'s chain that is still a module system (jest's runs in another realm, so `Function.prototype` differs). */
function rootClass<T extends Function>(cls: T): T {
  let root = cls;
  for (let parent = Object.getPrototypeOf(root); parent && Object.prototype.hasOwnProperty.call(parent, '_extensions'); parent = Object.getPrototypeOf(parent)) root = parent;
  return root;
}
