import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * Whether writer threads ({@link WriteBehind}) would find a core to run on beside their caller: at least one
 * core idle over the last minute (`cores` minus the one-minute load average), the test `make --load-average`
 * makes before it starts another job. On a machine busy with other work the writers only take turns with
 * their caller: on two cores under load, a 2,000-file merge with writers took a fifth more CPU time than
 * one without, and longer (bench/RESULTS.md, "Merge"). Where the system has no load average (Windows: 0),
 * writers are used.
 */
export function coreToSpare(cores = os.availableParallelism(), load = os.loadavg()[0]): boolean {
  return cores - load >= 1;
}

/**
 * Creates files on worker threads while the caller goes on, for a sink that writes thousands of new files
 * into a fresh folder. Creating a file is most of a merge's time and nearly all of it is the kernel's, so
 * with two cores the creating overlaps the reading and merging on the caller's thread, and two writers
 * create in different folders at once. The caller stays synchronous: {@link write} copies the bytes into
 * a batch and returns; {@link flush} waits for every file and raises the first failure.
 *
 * The folder of every file must exist before {@link write} (the caller creates folders), so writers never
 * depend on each other's order.
 */
export class WriteBehind {
  /** Bytes per batch; a larger file gets a batch of its own. */
  private static readonly BATCH_BYTES = 512 * 1024;
  private static readonly BATCH_FILES = 128;
  /** Batches the caller may fill ahead of the writers before it waits. */
  private static readonly BATCHES_AHEAD = 16;
  /** How long the caller waits without any file written before it gives up. */
  private static readonly STALL_MS = 60_000;

  private readonly counters = new Int32Array(new SharedArrayBuffer(Counter.COUNT * 4));
  private readonly writers: { worker: Worker; port: MessagePort }[] = [];
  /** Batch buffers the writers gave back, to fill again: fresh memory costs the kernel more than the copy. */
  private readonly spare: ArrayBuffer[] = [];
  private batch: { buffer: ArrayBuffer; used: number; files: [string, number, number, number][] } | undefined;
  private posted = 0;
  private outstanding = 0;
  private next = 0;
  private failure: string | undefined;

  constructor(umask: number, threads = 2) {
    for (let i = 0; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(`(${writeBehindWorker.toString()})()`, {
        eval: true,
        workerData: { counters: this.counters, port: port2, umask },
        transferList: [port2],
      });
      // Never keeps the process alive; a writer that fails stalls flush, which then fails.
      worker.unref();
      this.writers.push({ worker, port: port1 });
    }
  }

  /** Queues a new file (`absolute` must not exist; an existing one is overwritten) with `mode`. */
  write(absolute: string, buffer: Buffer, mode: number): void {
    if (this.batch && (this.batch.used + buffer.length > this.batch.buffer.byteLength || this.batch.files.length >= WriteBehind.BATCH_FILES)) this.post();
    if (!this.batch) this.batch = { buffer: this.bufferFor(buffer.length), used: 0, files: [] };
    new Uint8Array(this.batch.buffer, this.batch.used, buffer.length).set(buffer);
    this.batch.files.push([absolute, this.batch.used, buffer.length, mode]);
    this.batch.used += buffer.length;
  }

  /** Waits until every queued file is written; throws the first failure. The writers stop either way. */
  flush(): void {
    this.post();
    this.waitForAll();
    if (this.failure) throw new Error(this.failure);
  }

  /** Drops what is not written yet and waits until the writers are idle, so nothing is written after it. */
  stop(): void {
    Atomics.store(this.counters, Counter.STOP, 1);
    this.waitForAll();
  }

  /** Waits until every batch posted is done, then ends the writers. */
  private waitForAll(): void {
    this.waitFor(() => Atomics.load(this.counters, Counter.DONE) >= this.posted);
    this.close();
  }

  private post(): void {
    const batch = this.batch;
    if (!batch?.files.length) return;
    this.batch = undefined;
    this.posted += batch.files.length;
    this.outstanding++;
    this.writers[this.next++ % this.writers.length].port.postMessage(batch, [batch.buffer]);
  }

  private bufferFor(size: number): ArrayBuffer {
    if (size > WriteBehind.BATCH_BYTES) return new ArrayBuffer(size);
    this.receive();
    if (this.outstanding >= WriteBehind.BATCHES_AHEAD) this.waitFor(() => (this.receive(), this.outstanding < WriteBehind.BATCHES_AHEAD));
    return this.spare.pop() ?? new ArrayBuffer(WriteBehind.BATCH_BYTES);
  }

  /** Takes what the writers sent back: batch buffers to reuse, and failures. */
  private receive(): void {
    for (const { port } of this.writers) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const done = message.message as { buffer: ArrayBuffer; failure?: string };
        this.outstanding--;
        if (done.buffer.byteLength === WriteBehind.BATCH_BYTES) this.spare.push(done.buffer);
        this.failure ??= done.failure;
      }
    }
  }

  private waitFor(condition: () => boolean): void {
    while (!condition()) {
      const done = Atomics.load(this.counters, Counter.DONE);
      if (condition()) return;
      if (Atomics.wait(this.counters, Counter.DONE, done, WriteBehind.STALL_MS) === 'timed-out') {
        this.close();
        throw new Error(`writing the bundle stalled: no file was written for ${WriteBehind.STALL_MS / 1000}s`);
      }
    }
    this.receive();
  }

  private close(): void {
    for (const { worker, port } of this.writers) {
      port.close();
      void worker.terminate();
    }
    this.writers.length = 0;
  }
}

/** Slots of the shared counters. */
const enum Counter {
  /** Files of batches finished (written, or dropped after a stop). */
  DONE,
  /** 1 once the caller wants nothing more written. */
  STOP,
  COUNT,
}

/**
 * A writer's code, run from its source text (`eval`), so that it needs no file of its own next to the
 * compiled module and loads nothing but `fs`. It must not use anything from outside its own body.
 */
function writeBehindWorker(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs = require('fs') as typeof import('fs');
  const { workerData } = require('worker_threads') as typeof import('worker_threads');
  const { counters, port, umask } = workerData as { counters: Int32Array; port: MessagePort; umask: number };
  const [DONE, STOP] = [0, 1];
  const CREATE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;

  const writeFile = (absolute: string, bytes: Uint8Array, mode: number) => {
    let fd: number;
    try {
      fd = fs.openSync(absolute, CREATE, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      fs.writeFileSync(absolute, bytes, { mode });
      fs.chmodSync(absolute, mode);
      return;
    }
    try {
      for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    } finally {
      fs.closeSync(fd);
    }
    if ((mode & umask) !== 0) fs.chmodSync(absolute, mode); // the umask narrowed it
  };

  port.on('message', (batch: { buffer: ArrayBuffer; files: [string, number, number, number][] }) => {
    let failure: string | undefined;
    for (const [absolute, offset, length, mode] of batch.files) {
      if (Atomics.load(counters, STOP)) break;
      try {
        writeFile(absolute, new Uint8Array(batch.buffer, offset, length), mode);
      } catch (error) {
        failure = `cannot write '${absolute}': ${(error as Error).message}`;
        Atomics.store(counters, STOP, 1); // the bundle is discarded: the other writers need not go on
      }
    }
    // The buffer (and failure) goes back first, so that a caller who sees the batch done finds them.
    port.postMessage({ buffer: batch.buffer, failure }, [batch.buffer]);
    Atomics.add(counters, DONE, batch.files.length);
    Atomics.notify(counters, DONE);
  });
}
