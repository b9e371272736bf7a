/**
 * Calls Node 20's permission model does not check, though each writes files where it is told or where the
 * process happens to be: a V8 flag (`--redirect-code-traces-to=FILE` makes V8 itself write the source of
 * every function it optimises into any file, `--trace-turbo` into the working directory), a trace of
 * `trace_events` (`node_trace.1.log` in the working directory, which `process.chdir` moves to any folder the
 * job may read) and a heap snapshot written near the heap limit (into the working directory). A sandboxed job
 * refuses them.
 */
const REFUSED: ReadonlyArray<{ module: string; name: string; why: string }> = [
  { module: 'v8', name: 'setFlagsFromString', why: 'V8 flags can make V8 write files the permission model does not check' },
  { module: 'v8', name: 'setHeapSnapshotNearHeapLimit', why: 'the snapshot is written where the permission model does not check' },
  { module: 'trace_events', name: 'createTracing', why: 'the trace is written where the permission model does not check' },
];

/**
 * Replaces the calls of {@link REFUSED} in this process with ones that throw `ERR_ACCESS_DENIED`, as Node's
 * own refusals do, so that the job reports them as the sandbox's. Call it before any blueprint code loads:
 * the replacements can be neither written over nor deleted, and blueprint code has no other way to Node's
 * own functions (`process.binding` is refused under the permission model). An `import()` of the module sees
 * the replacements too: its namespace is made from the same exports when first imported.
 */
export function refuseUncheckedCalls(): void {
  for (const { module, name, why } of REFUSED) {
    const exports = require(module) as Record<string, unknown>;
    const refused = () => {
      throw Object.assign(new Error(`${module}.${name}() is refused in the sandbox: ${why}`), { code: 'ERR_ACCESS_DENIED' });
    };
    Object.defineProperty(exports, name, { value: refused, writable: false, configurable: false, enumerable: true });
  }
}
