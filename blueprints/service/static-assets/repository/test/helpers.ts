import * as http from 'http';
import { AddressInfo } from 'net';
import { Config } from '../src/config';
import { createLogger } from '../src/logger';
import { createServer } from '../src/server';

/** A configuration for tests: any free port, errors only, CORS for one origin. */
export const TEST_CONFIG: Config = {
  serviceName: 'test',
  port: 0,
  logLevel: 'error',
  slowRequestMs: 10_000,
  corsOrigins: ['https://app.example.com'],
};

/** A response as the tests see it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** Sends one request to the server under test. */
export type Request = (method: string, path: string, body?: unknown, headers?: http.OutgoingHttpHeaders) => Promise<TestResponse>;

/** Starts the service on a free port, runs `test` against it, and stops it. */
export async function withServer(test: (request: Request) => Promise<void>, config: Config = TEST_CONFIG): Promise<void> {
  const server = createServer(config, createLogger(config.serviceName, config.logLevel, () => undefined));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await test((method, path, body, headers) => send(port, method, path, body, headers));
  } finally {
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}

function send(port: number, method: string, path: string, body?: unknown, headers: http.OutgoingHttpHeaders = {}): Promise<TestResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json', ...headers } }, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
