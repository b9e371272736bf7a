import { Router } from '../src/router';

const noop = () => undefined;

describe('Router', () => {
  const router = new Router().get('/things', noop).get('/things/:id', noop).delete('/things/:id', noop);

  test('matches a path and extracts its parameters', () => {
    const match = router.match('GET', '/things/a%20b');
    expect(match.kind).toBe('found');
    expect(match.kind === 'found' && match.params).toEqual({ id: 'a b' });
  });

  test('ignores a trailing slash', () => {
    expect(router.match('GET', '/things/').kind).toBe('found');
  });

  test('reports the methods allowed on a known path', () => {
    expect(router.match('POST', '/things/1')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'DELETE'] });
  });

  test('reports an unknown path', () => {
    expect(router.match('GET', '/nothing/here')).toEqual({ kind: 'not-found' });
  });
});
