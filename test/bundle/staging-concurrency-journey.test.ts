import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from '../util';

/**
 * Journey 46: CI jobs in containers share one cache folder (a runner's cache volume). A run that starts removes the
 * staging folders of runs that are gone, judged by the process id in their names; a process of another container
 * has an id that names another process here, or none. Each run here is in a process-id namespace (and /proc) of its own, as a
 * container's processes are; without the rights to make one, there is nothing to test.
 */

const namespaces = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

/** Runs `script` as process 1 of a new process-id namespace; resolves when it prints its first line. */
function startInNamespace(script: string, ...args: string[]) {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '-e', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
    });
    child.on('close', code => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const ended = new Promise<number | null>(resolve => child.on('close', resolve));
  return { child, firstLine, ended, stderr: () => stderr };
}

const staging = JSON.stringify(path.join(ROOT, 'lib', 'bundle', 'staging'));

(namespaces ? test : test.skip)("a run in another container never removes the staging folder of one still going", async () => {
  const target = path.join(tempDir(), 'packages', 'blueprint@1.0.0');
  // The first run makes its staging folder (an npm install's, say) and holds it until told to stop.
  const holder = startInNamespace(`const { createStaging } = require(${staging});
process.stdout.write(createStaging(process.argv[1]) + '\\n');
process.stdin.on('data', () => process.exit(0));`, target);
  const held = await holder.firstLine;
  expect(fs.existsSync(held)).toBe(true);
  try {
    // A second run, in another container, starts writing the same entry.
    const second = startInNamespace(`const { createStaging } = require(${staging});
process.stdout.write(createStaging(process.argv[1]) + '\\n');`, target);
    const own = await second.firstLine;
    expect(await second.ended).toBe(0);
    expect(own).not.toBe(held);
    expect(fs.existsSync(held)).toBe(true);
  } finally {
    holder.child.stdin.write('stop\n');
    await holder.ended;
  }
});

(namespaces ? test : test.skip)('a run in the same container still removes the staging folder of a run that is gone', async () => {
  const target = path.join(tempDir(), 'packages', 'blueprint@1.0.0');
  const script = `const { createStaging } = require(${staging});
const made = createStaging(process.argv[1]);
process.stdout.write(made + '\\n');
if (process.argv[2] === 'then-remove-it') process.exit(require('fs').existsSync(process.argv[3]) ? 1 : 0);`;
  // One namespace for both: a shell that runs the first, which ends leaving its folder (as one killed would), then the second.
  const result = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c',
    `left=$("$0" -e "$1" "$2") && "$0" -e "$1" "$2" then-remove-it "$left"`, process.execPath, script, target], { encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
});

(namespaces ? test : test.skip)('a bundle another container is writing is refused with words that say so, naming the marker', async () => {
  const target = path.join(tempDir(), 'out', 'synth.defaults', 'proposed-bundle');
  const holder = startInNamespace(`const { InPlaceBundle } = require(${staging});
InPlaceBundle.begin(process.argv[1]);
process.stdout.write('writing\\n');
process.stdin.on('data', () => process.exit(0));`, target);
  await holder.firstLine;
  try {
    const second = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '-e', `const { InPlaceBundle } = require(${staging});
try { InPlaceBundle.check(process.argv[1]); } catch (error) { process.stdout.write(error.message); }`, target], { encoding: 'utf8' });
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/is being written by a run in another container or on another machine \(its process 1\): wait for it to end, or stop it \(if it was killed, remove .*\.proposed-bundle\.writing-1-/);
  } finally {
    holder.child.stdin.write('stop\n');
    await holder.ended;
  }
});
