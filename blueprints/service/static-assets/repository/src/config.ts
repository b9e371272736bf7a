import * as fs from 'fs';
import * as path from 'path';
import { isLogLevel, LogLevel } from './logger';

/** The service's settings. */
export interface Config {
  /** The name in every log line. */
  readonly serviceName: string;
  /** The port to listen on. */
  readonly port: number;
  /** The least severe level logged. */
  readonly logLevel: LogLevel;
  /** Requests slower than this (milliseconds) are logged as slow. */
  readonly slowRequestMs: number;
  /** Origins allowed by CORS; `*` allows any. */
  readonly corsOrigins: readonly string[];
}

/** `config/default.json`, beside `lib/` and `src/`. */
export const CONFIG_FILE = path.join(__dirname, '..', 'config', 'default.json');

/** Reads the configuration file; `PORT` and `LOG_LEVEL` override it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file: string = CONFIG_FILE): Config {
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Config;
  const port = env.PORT === undefined ? config.port : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  }
  const logLevel = env.LOG_LEVEL ?? config.logLevel;
  if (!isLogLevel(logLevel)) {
    throw new Error(`LOG_LEVEL must be debug, info, warn or error, not '${logLevel}'`);
  }
  return { ...config, port, logLevel };
}
