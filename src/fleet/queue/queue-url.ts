import type { RedisOptions } from 'bullmq';
import { InputError } from '../../errors';

/** Where a fleet's queue lives: the Redis server of `--queue redis://[:password@]HOST:PORT/DB`. */
export interface QueueUrl {
  /** The URL as the user gave it, for messages: the password, if any, replaced by `***`. */
  readonly shown: string;
  /** The server, as the Redis client takes it (no retry or timeout settings: each side adds its own). */
  readonly server: RedisOptions;
}

const DEFAULT_PORT = 6379;

/**
 * Reads a `--queue` value: `redis://` or `rediss://` (TLS), an optional `user:password@` or `:password@`,
 * a host, an optional port (6379) and an optional database number (0). Anything else (another scheme, a
 * query, a database that is not a number) is refused rather than ignored, so a typo never sends a fleet
 * to the wrong queue.
 * @param text the value as the user gave it
 * @param option the option it came from, for messages
 * @throws InputError naming the option and the value
 */
export function parseQueueUrl(text: string, option = '--queue'): QueueUrl {
  // A password is never repeated in a message or a report, which may land in a CI log.
  const shown = text.replace(/^([a-z][\w+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(option, shown, 'not a URL; expected redis://[:password@]HOST:PORT/DB');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw bad(option, shown, `the scheme must be redis:// or rediss://, not ${url.protocol}//`);
  }
  if (!url.hostname) throw bad(option, shown, 'no host');
  if (url.search || url.hash) throw bad(option, shown, 'a queue URL takes no query or fragment');
  const db = url.pathname === '' || url.pathname === '/' ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0 || !/^\/?\d*$/.test(url.pathname)) {
    throw bad(option, shown, `the database must be a number (/0, /1, ...), not '${url.pathname.slice(1)}'`);
  }
  const server: RedisOptions = {
    // WHATWG URLs keep IPv6 hosts in brackets; the client wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORT,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
  };
  return { shown, server };
}

function bad(option: string, shown: string, why: string): InputError {
  return new InputError(`${option} ${shown}: ${why}`);
}
