/**
 * Waits for `promise` at most `ms`: its value, or `timedOut` when it is late (a rejection passes through).
 * Redis commands wait forever for a Redis that is gone, and this side must not.
 */
export async function within<T, U>(promise: Promise<T>, ms: number, timedOut: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<U>(resolve => { timer = setTimeout(() => resolve(timedOut), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
