import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from '../util';

/**
 * Journey 46: CI jobs in containers share one cache folder (a runner's cache volume), and a container's processes
 * have small ids, the same in each. Each writer runs here in a process-id namespace of its own, where it is
 * process 1, as a container's first process is; without the rights to make one, there is nothing to test.
 */
jest.setTimeout(120_000);

const namespaces = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

(namespaces ? test : test.skip)('processes with the same id writing one cache entry at once never let a reader see half of it', async () => {
  const work = tempDir();
  const target = path.join(work, 'cache', 'transpiled', 'entry.js');
  // The same bytes from every writer, as a transpiled file's entry is; large enough that a write takes a while.
  const script = `const fs = require('fs');
const { writeFileAtomically } = require(${JSON.stringify(path.join(ROOT, 'lib', 'cache', 'atomic-write'))});
const data = Buffer.alloc(4 << 20, 'x');
let short = 0;
for (let i = 0; i < 60; i++) {
  writeFileAtomically(process.argv[1], data);
  if (fs.readFileSync(process.argv[1]).length !== data.length) short++;
}
process.stdout.write(JSON.stringify({ pid: process.pid, short }));`;
  const runs = await Promise.all(Array.from({ length: 6 }, () => new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve => {
    const child = spawn('unshare', ['--pid', '--fork', process.execPath, '-e', script, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('close', code => resolve({ code, stdout, stderr }));
  })));
  for (const run of runs) expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
  const results = runs.map(run => JSON.parse(run.stdout));
  expect(results.map(result => result.pid)).toEqual(results.map(() => 1));
  expect(results.map(result => result.short)).toEqual(results.map(() => 0));
  expect(fs.statSync(target).size).toBe(4 << 20);
  expect(fs.readdirSync(path.dirname(target))).toEqual(['entry.js']);
});
