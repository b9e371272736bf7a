import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..');

/** The compiled CLI, as users run it (tests run after `tsc --build`). */
export const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'bluesynth-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
const created: string[] = [];
const stoppers: Array<() => unknown> = [];

/**
 * Runs `stop` when the test file ends, before its temporary folders are removed. Jest runs a file's `afterAll`
 * hooks in the order they were declared, and this module's comes first, so a process stopped in the test file's
 * own hook would still be writing into a folder while it is removed (ENOTEMPTY).
 */
export function stopBeforeCleanup(stop: () => unknown): void {
  stoppers.push(stop);
}

/** Sends `signal` to `child` unless it has exited, and resolves once it has. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise(exited => {
    if (child.exitCode !== null || child.signalCode !== null) return exited();
    child.once('exit', () => exited());
    child.kill(signal);
  });
}

afterAll(async () => {
  await Promise.all(stoppers.splice(0).map(stop => stop()));
  // Retries: a git process that a killed command had started may still finish writing.
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

/** Runs the CLI as a child process and returns its exit code and output. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; cli?: string } = {}) {
  const result = spawnSync(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

/** Every file below `dir`, as a map from POSIX relative path to content (utf8). */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const absolute = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    tree[path.relative(dir, absolute).split(path.sep).join('/')] = fs.readFileSync(absolute, 'utf8');
  }
  return tree;
}

/** Writes files (relative path to content) below `dir`. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(dir, relative);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
}

/**
 * Makes a blueprint folder from a class body: `src/index.ts` imports from 'bluesynth' as a real
 * blueprint does, and the folder has its own package.json and no node_modules.
 */
export function makeBlueprint(dir: string, source: string, extra: Record<string, string | Buffer> = {}): string {
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'test-blueprint', version: '1.2.3' }),
    'src/defaults.json': '{}',
    'src/index.ts': source,
    ...extra,
  });
  return dir;
}

/**
 * Runs `count` Node processes of `script` (`node -e script ...args`) at the same time, as concurrent runs of a
 * command would; resolves with each one's exit code and output once all have ended.
 */
export function runScriptsAtOnce(count: number, script: string, args: string[] = [], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return Promise.all(Array.from({ length: count }, () => new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve => {
    const child = spawn(process.execPath, ['-e', script, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('close', code => resolve({ code, stdout, stderr }));
  })));
}

/** A published blueprint package as npm installs one: compiled JavaScript (its package.json `main`), `lib/defaults.json`, no `src/`. */
export const PUBLISHED_PACKAGE: Record<string, string> = {
  'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js' }),
  'lib/defaults.json': JSON.stringify({ greeting: 'hello' }),
  'lib/index.js': `
const { Blueprint: ParentBlueprint, SourceFile, SourceRepository } = require('bluesynth');
class Blueprint extends ParentBlueprint {
  constructor(options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', options.greeting + '\\n');
  }
}
exports.Blueprint = Blueprint;
`,
};
