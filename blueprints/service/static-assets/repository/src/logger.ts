/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Extra fields of a log line. */
export type LogFields = Record<string, unknown>;

/** Writes one JSON object per line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Whether `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in RANK;
}

/** A logger that drops lines below `level` and hands the others to `write` (standard output by default). */
export function createLogger(service: string, level: LogLevel, write: (line: string) => void = line => process.stdout.write(line + '\n')): Logger {
  const at = (lineLevel: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (RANK[lineLevel] < RANK[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, service, message, ...fields }));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
