import { withServer } from './helpers';

test('health and readiness', async () => {
  await withServer(async request => {
    const health = await request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', service: 'test' });
    expect((await request('GET', '/readyz')).status).toBe(200);
  });
});

test('an unknown path is a JSON 404', async () => {
  await withServer(async request => {
    const response = await request('GET', '/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body.error).toContain('/no-such-thing');
  });
});

test('a known path with another method is a 405 that lists the allowed methods', async () => {
  await withServer(async request => {
    const response = await request('DELETE', '/healthz');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });
});

test('CORS headers only for the configured origins', async () => {
  await withServer(async request => {
    const allowed = await request('OPTIONS', '/healthz', undefined, { origin: 'https://app.example.com' });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await request('GET', '/healthz', undefined, { origin: 'https://elsewhere.example.com' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
