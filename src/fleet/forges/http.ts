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
  /** Which non-2xx answers the caller handles itself (GitHub's 422, GitLab's 409 for an existing request). @default none */
  readonly handles?: (answer: ForgeAnswer) => boolean;
  /** How long to wait for the answer. @default 60 s */
  readonly timeoutMs?: number;
}

/** The answer of a call: its status and its JSON body (`undefined` when the body is not JSON). */
export interface ForgeAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** The parsed JSON body. */
  readonly body: any;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Calls a forge's REST API with Node's own `fetch`. A 2xx answer, or one the caller `handles`, is returned; any
 * other answer, a refused connection or a timeout is a {@link ForgeRequestError}. A fleet job waits on this
 * call, so it never waits forever.
 */
export async function forgeRequest(request: ForgeRequest): Promise<ForgeAnswer> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = `${request.forge}: ${request.method} ${request.url}`;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : reasonOf(error);
    throw new ForgeRequestError(`${what} failed: ${cause}`);
  }
  const answer: ForgeAnswer = { status: response.status, body: parseJson(text) };
  if ((answer.status >= 200 && answer.status < 300) || request.handles?.(answer)) return answer;
  const message = apiMessage(answer.body) ?? (text.trim().slice(0, 200) || response.statusText);
  throw new ForgeRequestError(`${what} answered ${answer.status}: ${message}`, answer.status);
}

/**
 * The message an API put in an error answer, in the shapes GitHub and GitLab use: `message` as a string, a
 * list or a map of field to list (GitLab), with GitHub's `errors[].message` details; or `error` (OAuth).
 */
export function apiMessage(body: any): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const parts: string[] = [];
  const add = (value: unknown, prefix = '') => {
    if (typeof value === 'string') parts.push(prefix + value);
    else if (Array.isArray(value)) value.forEach(item => add(item, prefix));
    else if (typeof value === 'object' && value !== null) Object.entries(value).forEach(([key, item]) => add(item, `${key} `));
  };
  add(body.message ?? body.error);
  const details: string[] = Array.isArray(body.errors) ? body.errors.map((e: any) => (typeof e === 'string' ? e : e?.message)).filter(Boolean) : [];
  if (parts.length === 0 && details.length === 0) return undefined;
  return details.length > 0 ? `${parts.join('; ')} (${details.join('; ')})`.trim() : parts.join('; ');
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
