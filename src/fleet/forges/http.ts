import { setTimeout as sleep } from 'timers/promises';
import { JobFailedError } from '../../errors';

/**
 * A forge's REST API refused a request or could not be reached: the message names the forge, the method,
 * the URL, the HTTP status and the API's own message, because that is what a person needs to fix a token,
 * a repository name or a permission. It fails that repository's job, not the fleet.
 */
export class ForgeRequestError extends JobFailedError {
  /** The HTTP status the API answered, if it answered. */
  public readonly status?: number;

  constructor(message: string, status?: number) {
    super(message, { name: 'ForgeRequestError' });
    this.status = status;
  }
}

/** One call of a forge's REST API. */
export interface ForgeRequest {
  /** The forge's alias, for messages. */
  readonly forge: string;
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** The whole URL, query included. */
  readonly url: string;
  /** The API's headers (token, version); `Content-Type` is added when there is a body. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON. @default no body */
  readonly body?: unknown;
  /** Which non-2xx answers the caller handles itself (GitHub's 422, GitLab's and Gitea's 409 for an existing request). @default none */
  readonly handles?: (answer: ForgeAnswer) => boolean;
  /** How long to wait for the answer. @default 60 s */
  readonly timeoutMs?: number;
  /**
   * How long to wait before asking again after a transient fault (see {@link forgeRequest}), one entry per
   * retry; a `Retry-After` the forge sends is waited instead. @default DEFAULT_RETRY_DELAYS_MS
   */
  readonly retryDelaysMs?: readonly number[];
}

/** The answer of a call: its status and its JSON body (`undefined` when the body is not JSON). */
export interface ForgeAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** The parsed JSON body. */
  readonly body: any;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Two retries, a second and then five apart: a forge's hiccup (a deploy, a proxy's 502) is over by then. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000];

/**
 * The longest `Retry-After` waited for. GitHub's primary rate limit can ask for most of an hour: a fleet job
 * that waited so long would hold its worker, so such an answer fails the repository at once, saying when the
 * forge takes requests again (a re-run then opens the pull request of the branch this run pushed).
 */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Answers that say "not now" rather than "no": rate limits (429; GitHub's limits are also a 403 with
 * `Retry-After`, or with `X-RateLimit-Remaining: 0`) and a gateway in front of the forge that failed or timed out.
 */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Connection faults worth one more try: the forge (or a proxy) dropped a connection it had accepted. Not a
 * timeout: the request already waited a minute, and asking again would triple the time a hung forge holds
 * each repository; nor a refused connection, which is a wrong `api-url` far more often than a restart.
 */
const TRANSIENT_CAUSES = /ECONNRESET|EPIPE|socket hang up|other side closed|UND_ERR_SOCKET/i;

/**
 * Calls a forge's REST API with Node's own `fetch`. A 2xx answer, or one the caller `handles`, is returned. A
 * transient fault (a rate limit, a 502/503/504, a reset connection) is asked again after the
 * forge's `Retry-After` or a short pause, up to twice, because a fleet's requests come in a burst and a
 * forge's hiccup must not fail the repositories that met it; asking again is safe, since a pull request the
 * lost answer had opened is found as already existing and updated. Any other answer (401, 404, 422), a
 * refused connection, a timeout, or a fault that lasts is a {@link ForgeRequestError}. A fleet job waits on this call,
 * so it never waits forever.
 */
export async function forgeRequest(request: ForgeRequest): Promise<ForgeAnswer> {
  const delays = request.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    const tried = await attemptRequest(request);
    const last = attempt >= delays.length;
    if ('answer' in tried) return tried.answer;
    if (!tried.transient || last) throw tried.error;
    const retryAfterMs = tried.retryAfterMs ?? delays[attempt];
    if (retryAfterMs > MAX_RETRY_AFTER_MS) {
      throw new ForgeRequestError(`${tried.error.message} (the forge asks to wait ${Math.ceil(retryAfterMs / 1000)} s before the next request)`, tried.error.status);
    }
    await waitToAskAgain(retryAfterMs, tried.error);
  }
}

/** Aborted by {@link stopForgeWaits}: no request of this process waits to be asked again any more. */
const waits = new AbortController();

/**
 * Gives up every wait to ask a forge again, now and later in this process: the fleet run was interrupted (its first
 * Ctrl-C). A fleet process waiting out a forge's rate limit (a `Retry-After` of up to a minute, twice) held the
 * interrupted run for as long, to fail the pull request all the same (journey 92); the repository's branch is pushed,
 * its row says so, and the next run opens its pull request. A request in flight is not cut: its answer may open one.
 */
export function stopForgeWaits(): void {
  waits.abort();
}

async function waitToAskAgain(ms: number, error: ForgeRequestError): Promise<void> {
  try {
    if (waits.signal.aborted) throw waits.signal.reason;
    await sleep(ms, undefined, { signal: waits.signal });
  } catch {
    throw new ForgeRequestError(`${error.message} (not asked again: the run was interrupted)`, error.status);
  }
}

type Attempt = { answer: ForgeAnswer } | { error: ForgeRequestError; transient: boolean; retryAfterMs?: number };

async function attemptRequest(request: ForgeRequest): Promise<Attempt> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = `${request.forge}: ${request.method} ${request.url}`;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetchFollowing(request, headers, AbortSignal.timeout(timeoutMs));
    text = await response.text();
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : reasonOf(error);
    return { error: new ForgeRequestError(`${what} failed: ${cause}`), transient: TRANSIENT_CAUSES.test(cause) };
  }
  const answer: ForgeAnswer = { status: response.status, body: parseJson(text) };
  if ((answer.status >= 200 && answer.status < 300) || request.handles?.(answer)) return { answer };
  const location = REDIRECTS.has(answer.status) ? response.headers.get('location') : null;
  // A redirect not followed (to another host, or too many): where it points is what a person needs.
  const message = (apiMessage(answer.body) ?? textMessage(text, response.statusText)) + (location ? ` (redirected to ${location}, not followed)` : '');
  const retryAfterMs = retryAfter(response.headers.get('retry-after')) ?? rateLimitReset(response.headers);
  return {
    error: new ForgeRequestError(`${what} answered ${answer.status}: ${message}`, answer.status),
    transient: TRANSIENT_STATUSES.has(answer.status) || (answer.status === 403 && retryAfterMs !== undefined),
    retryAfterMs,
  };
}

/** The redirects that move a resource (GitHub's renamed repository); a 303 asks for another resource with a GET. */
const REDIRECTS = new Set([301, 302, 307, 308]);

/** How many redirects one request follows, as fetch's own limit is 20: a moved repository takes one. */
const MAX_REDIRECTS = 5;

/**
 * `fetch`, following a redirect with the request's own method and body. fetch follows a 301 or 302 by sending a
 * POST again as a GET with no body, as browsers do: a moved (renamed) repository's `POST .../pulls` became a
 * `GET .../pulls` at its new address, answered 200 with the list of its pull requests, and the fleet reported a
 * pull request opened that nobody had opened (journey 92). GitHub asks a client to repeat the request as it was at
 * the address its `Location` gives. Only on the same origin: the token is not sent to another host, whose
 * redirect is answered as it came (an error naming the status and where it points).
 */
async function fetchFollowing(request: ForgeRequest, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  let url = request.url;
  for (let hops = 0; ; hops++) {
    const response = await fetch(url, { method: request.method, headers, body, signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null || hops >= MAX_REDIRECTS) return response;
    const next = new URL(location, url);
    if (next.origin !== new URL(url).origin) return response;
    await response.body?.cancel();
    url = next.href;
  }
}

/**
 * How long until a spent rate limit is reset, from `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset` (the epoch
 * second it resets at): GitHub answers its primary limit so, a 403 or 429 with no `Retry-After`, and asks a client
 * to wait until then. Without it a 403 was no transient fault, and every repository whose pull request met the limit
 * failed at once, even where it was reset seconds later (journey 92). A second more: the reset is a whole second,
 * and the forge's clock is not ours. Undefined when the headers do not say so.
 */
function rateLimitReset(headers: Headers): number | undefined {
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (headers.get('x-ratelimit-remaining')?.trim() !== '0' || !reset || !/^\d+$/.test(reset)) return undefined;
  return Math.max(0, Number(reset) * 1000 - Date.now()) + 1000;
}

/** `Retry-After` in milliseconds: a number of seconds or an HTTP date (RFC 9110, 10.2.3); undefined when absent or unreadable. */
function retryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The message an API put in an error answer, in the shapes GitHub and GitLab use: `message` as a string, a
 * list or a map of field to list (GitLab), with GitHub's `errors[].message` details; or `error` (OAuth), or
 * `error.message` (Bitbucket Cloud); or `errors[].message` alone (Bitbucket Data Center).
 */
export function apiMessage(body: any): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const parts: string[] = [];
  const add = (value: unknown, prefix = '') => {
    if (typeof value === 'string') parts.push(prefix + value);
    else if (Array.isArray(value)) value.forEach(item => add(item, prefix));
    else if (typeof value === 'object' && value !== null) Object.entries(value).forEach(([key, item]) => add(item, `${key} `));
  };
  // Bitbucket Cloud nests it: `{ type: 'error', error: { message } }`.
  add(body.message ?? (typeof body.error?.message === 'string' ? body.error.message : body.error));
  const details: string[] = Array.isArray(body.errors) ? body.errors.map((e: any) => (typeof e === 'string' ? e : e?.message)).filter(Boolean) : [];
  if (parts.length === 0 && details.length === 0) return undefined;
  // Bitbucket Data Center has no message but `errors[].message`: those are the message, not details of one.
  if (parts.length === 0) return details.join('; ');
  return details.length > 0 ? `${parts.join('; ')} (${details.join('; ')})` : parts.join('; ');
}

/**
 * The message of an answer that is not the API's JSON. A gateway's or the forge's own error page (GitHub's 502 is
 * a page of styles and an image) is HTML whose first 200 characters are markup: its title says what happened,
 * where the markup said nothing (journey 74).
 */
function textMessage(text: string, statusText: string): string {
  const trimmed = text.trim();
  if (!/^<(!doctype html|html)\b/i.test(trimmed)) return trimmed.slice(0, 200) || statusText;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1].replace(/\s+/g, ' ').trim();
  return `an HTML page, not the API's answer${title ? ` (${title.slice(0, 200)})` : statusText ? ` (${statusText})` : ''}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown): string {
  // fetch reports network failures as "fetch failed" and keeps the reason (ECONNREFUSED ...) in `cause`.
  // (Compared by shape: the cause may come from another realm, whose Error is not this one.)
  const cause = (error as { cause?: { message?: unknown; code?: unknown } }).cause;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return (error as Error).message;
}
