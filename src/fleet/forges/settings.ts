import { InputError } from '../../errors';

/**
 * An API root given as a forge option: an http(s) URL, kept without a trailing slash so paths append to it
 * (GitHub Enterprise's root has a path of its own, `/api/v3`).
 */
export function apiBaseUrl(forge: string, option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`--forge-option ${option}: '${value}' is not a URL (the ${forge} forge)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`--forge-option ${option}: '${value}' is not an http(s) URL (the ${forge} forge)`);
  }
  if (url.search || url.hash) throw new InputError(`--forge-option ${option}: '${value}' must not have a query or fragment (the ${forge} forge)`);
  return url.href.replace(/\/+$/, '');
}

/** The first of `variables` set (non-empty) in `env`: a forge's token. None set is bad input naming them. */
export function tokenFrom(forge: string, variables: readonly string[], env: NodeJS.ProcessEnv): string {
  for (const name of variables) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  throw new InputError(`the ${forge} forge needs a token: set ${variables.join(' or ')} in the environment`);
}
