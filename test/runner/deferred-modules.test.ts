import { standIn } from '../../src/runner/deferred-modules';

describe('a deferred module\'s stand-in', () => {
  test('loads the module once, on first use, and then behaves as it', () => {
    let loads = 0;
    const real = { version: '1.2.3', parse: (text: string) => text.split('.').map(Number) };
    const module = standIn(() => {
      loads++;
      return real;
    }) as typeof real;
    expect(loads).toBe(0);
    expect(module.parse('1.2')).toEqual([1, 2]);
    expect(module.version).toBe('1.2.3');
    expect(loads).toBe(1);
  });

  test('its members can be listed, tested and copied, as TypeScript\'s namespace import does', () => {
    const module = standIn(() => ({ a: 1, b: 'two' }));
    expect(Object.keys(module)).toEqual(['a', 'b']);
    expect('a' in module).toBe(true);
    expect('c' in module).toBe(false);
    expect({ ...module }).toEqual({ a: 1, b: 'two' });
    expect(Object.getOwnPropertyDescriptor(module, 'b')).toEqual({ value: 'two', writable: true, enumerable: true, configurable: true });
  });
});
