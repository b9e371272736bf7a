import { IncomingMessage, ServerResponse } from 'http';

/** The methods a route can answer. */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler gets. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Values of the pattern's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
}

/** Answers a request. */
export type Handler = (context: RouteContext) => void | Promise<void>;

/** The result of {@link Router.match}. */
export type Match =
  | { readonly kind: 'found'; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: Method[] }
  | { readonly kind: 'not-found' };

interface Route {
  readonly method: Method;
  readonly segments: string[];
  readonly handler: Handler;
}

/** Routes by method and path pattern (`/orders/:id`); the first route added that matches wins. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: Method, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: segmentsOf(pattern), handler });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler): this {
    return this.add('PUT', pattern, handler);
  }

  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }

  match(method: string, pathname: string): Match {
    const actual = segmentsOf(pathname);
    const allowed: Method[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, actual);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function segmentsOf(pathname: string): string[] {
  return pathname.split('/').filter(segment => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      params[pattern[i].slice(1)] = decodeURIComponent(actual[i]);
    } else if (pattern[i] !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
