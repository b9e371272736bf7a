import { loadConfig } from './config';
import { createLogger } from './logger';
import { createServer } from './server';

const config = loadConfig();
const logger = createLogger(config.serviceName, config.logLevel);
const server = createServer(config, logger);

server.listen(config.port, () => logger.info('listening', { port: config.port }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info('shutting down', { signal });
    server.close(() => process.exit(0));
  });
}
