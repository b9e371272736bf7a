import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError } from '../../errors';
import { ForgeProvider, PullRequestRequest } from './forge';

/** One request the fake forge recorded: the request, and the process that made it. */
export interface FakeForgeRecord extends PullRequestRequest {
  /** `host:pid` of the process that asked (a fleet job or worker). */
  readonly worker: string;
}

/**
 * `fake`: appends each request as one JSON line to the file of option `file`, and opens nothing. A request
 * `ifMissing` for a remote and branch the file already has is answered `found` and not recorded again.
 * One `appendFileSync` per request opens the file with O_APPEND and writes the whole line at once, so the job
 * processes of a fleet, or its workers on one machine, can record to one file without a lock.
 */
export const fakeForge: ForgeProvider = {
  alias: 'fake',
  help: 'record each pull request as one JSON line in a file and open nothing (tests, dry runs)',
  options: [{ name: 'file', help: 'the file the requests are appended to (its folder must exist)', required: true }],
  create(options) {
    // Workers may run in another folder than the command that named the file.
    const file = path.resolve(options.file);
    if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
      throw new InputError(`--forge-option file: the fake forge cannot record to '${options.file}': its folder does not exist`);
    }
    const worker = `${os.hostname()}:${process.pid}`;
    return {
      async openPullRequest(request) {
        if (request.ifMissing && readFakeForgeRecord(file).some(r => r.remote === request.remote && r.head === request.head)) return { action: 'found' };
        const record: FakeForgeRecord = { remote: request.remote, head: request.head, base: request.base, title: request.title, body: request.body, ...(request.draft ? { draft: true } : {}), worker };
        fs.appendFileSync(file, JSON.stringify(record) + '\n');
        return { action: 'recorded' };
      },
    };
  },
};

/**
 * The requests the fake forge recorded in `file`, in the order they were written; none when the file does not
 * exist (nothing was asked). A line that is not a whole record is an error naming the file and line.
 */
export function readFakeForgeRecord(file: string): FakeForgeRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, index) => {
    try {
      return JSON.parse(line) as FakeForgeRecord;
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not a fake forge record: ${(error as Error).message}`);
    }
  });
}
