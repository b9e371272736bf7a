/**
 * Which runs follow a job, and whether any of them is still alive. A run keeps `alive:<run>` in Redis with a TTL
 * of its `lostAfter`, refreshed by its heartbeat, and adds itself to `runs:<job id>` for each job it enqueues (or
 * shares with another run of the fleet). A worker serves a job only while one of its runs is alive: a run that
 * gave up on Redis, was killed or crashed leaves jobs that nobody would follow, and a worker that started them would
 * push branches and open pull requests under a report that already called them failed.
 */

/** The part of a BullMQ queue or worker these keys need: its key prefix and its client. */
export interface QueueKeys {
  toKey(type: string): string;
  readonly client: Promise<{ runCommand(name: string, args: unknown[]): Promise<unknown> }>;
}

/** The key a run keeps alive while it runs (expires once it has not reached Redis for its `lostAfter`). */
export function runAliveKey(queue: QueueKeys, run: string): string {
  return queue.toKey(`alive:${run}`);
}

/** The set of the runs that follow the job `id`. */
export function jobRunsKey(queue: QueueKeys, id: string): string {
  return queue.toKey(`runs:${id}`);
}

/**
 * True when every run that followed the job `id` has ended (no `alive` key left). A job with no such set was
 * enqueued by a version that kept none (or by a library caller adding jobs itself): it is served, as before.
 */
export async function runsEnded(queue: QueueKeys, id: string): Promise<boolean> {
  const client = await queue.client;
  const runs = await client.runCommand('smembers', [jobRunsKey(queue, id)]) as string[];
  if (runs.length === 0) return false;
  return await client.runCommand('exists', runs.map(run => runAliveKey(queue, run))) === 0;
}
