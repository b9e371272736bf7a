import * as path from 'path';

/**
 * This process's environment without what a package manager or ts-node adds when it runs a script
 * (`npm_*`, `YARN_*`, `TS_NODE_*`, `INIT_CWD`, and the `node_modules/.bin` and `/tmp/yarn--*` shim
 * folders on PATH), plus `extra`. A command measured from `yarn bench:...` then sees the environment it
 * would see from a shell: yarn's `npm_config_registry`, say, would otherwise redirect an `npm install`,
 * and its PATH shims would put a wrapper script between a measured command and `node`.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|YARN_|TS_NODE_)/i.test(name) || name === 'INIT_CWD' || name === 'PROJECT_CWD') continue;
    env[name] = value;
  }
  if (env.PATH) {
    env.PATH = env.PATH.split(path.delimiter)
      .filter(dir => !/[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir) && !/[\\/]yarn--\d+/.test(dir))
      .join(path.delimiter);
  }
  return { ...env, ...extra };
}
