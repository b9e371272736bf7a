import * as fs from 'fs';
import * as path from 'path';
import { resolveInside } from '../bundle/paths';

/**
 * JSON state kept between synthesis runs of one project, in a folder outside the bundle
 * (so that rewriting the bundle never wipes it).
 */
export class DurableStorage {
  /** The absolute folder the state lives in. */
  public readonly storagePath: string;

  constructor(storagePath: string) {
    this.storagePath = storagePath;
  }

  /** True when a value is stored under `id`. */
  exists(id: string): boolean {
    return fs.existsSync(this.location(id));
  }

  /**
   * Stores a JSON-serializable value under `id`: an object, a list, a number, a string or a boolean.
   * `Object` (not `object`) as in the SDK's declaration, which primitives satisfy, so that its blueprints type-check.
   */
  set<T extends Object>(id: string, value: T): void {
    const location = this.location(id);
    fs.mkdirSync(path.dirname(location), { recursive: true });
    fs.writeFileSync(location, JSON.stringify(value));
  }

  /** The value stored under `id`, or undefined. */
  get<T extends Object>(id: string): T | undefined {
    return this.exists(id) ? (JSON.parse(fs.readFileSync(this.location(id), 'utf8')) as T) : undefined;
  }

  /** Removes the value stored under `id`. */
  clear(id: string): void {
    fs.rmSync(this.location(id), { force: true });
  }

  private location(id: string): string {
    return resolveInside(this.storagePath, id, 'DurableStorage');
  }
}
