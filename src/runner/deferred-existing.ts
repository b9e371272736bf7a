import { deferredFolderOf, fillDeferredFolder } from '../bundle/deferred-folder';

/**
 * Makes a job's deferred existing bundle (see `DeferredFolder`) complete before any code reads where it
 * is: the first read of `EXISTING_BUNDLE_ABS` from `proc.env` (by the blueprint, at load time or later;
 * by a child process it starts, which copies the environment) writes the folder, then puts the plain
 * environment back. The framework's own context knows the folder from the deferral and writes it only
 * when asked for its files. Returns how to put the plain environment back, for a job that ran in its
 * caller's process; a job whose environment names no deferred folder changes nothing.
 */
export function fillExistingOnFirstRead(proc: NodeJS.Process, env: Record<string, string>): () => void {
  const deferred = deferredFolderOf(env);
  if (!deferred) return () => {};
  const plain = proc.env;
  const restore = () => {
    if (proc.env !== plain) proc.env = plain;
  };
  proc.env = new Proxy(plain, {
    get(target, name) {
      if (name === 'EXISTING_BUNDLE_ABS') {
        restore();
        fillDeferredFolder(deferred);
      }
      return Reflect.get(target, name);
    },
    // With the target as receiver: process.env takes only whole data descriptors, which a set through the proxy would not give.
    set: (target, name, value) => Reflect.set(target, name, value),
  });
  return restore;
}
