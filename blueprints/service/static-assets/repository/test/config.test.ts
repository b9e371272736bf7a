import { loadConfig } from '../src/config';

test('reads config/default.json', () => {
  const config = loadConfig({});
  expect(config.port).toBeGreaterThan(0);
  expect(['debug', 'info', 'warn', 'error']).toContain(config.logLevel);
});

test('PORT and LOG_LEVEL override the file', () => {
  expect(loadConfig({ PORT: '9999', LOG_LEVEL: 'warn' })).toMatchObject({ port: 9999, logLevel: 'warn' });
});

test('a bad PORT or LOG_LEVEL is an error that names it', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
});
