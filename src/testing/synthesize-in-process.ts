import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { BLUEPRINT_DIR_ENV, OUTDIR_AS_GIVEN_ENV } from '../blueprint/job-environment';
import type { Configuration } from '../blueprint/options-files';
import { FileMap } from '../bundle/file-map';
import { BundleNames, jobFolderName } from '../bundle/layout';
import { readBundle } from '../bundle/read';
import { WorkFolder } from '../project/work-folder';
import { runInProcess } from '../runner/in-process';
import { blueprintEnvironment, durableStorage } from '../runner/synthesize';

/**
 * Synthesizes one configuration of a blueprint folder in this process, with no CLI and no job process,
 * and returns the bundle as a file map (see `runInProcess`: the blueprint's modules and the framework's
 * own load afresh for each call, and the loader hooks are in place only during it). It sees the context variables, working
 * directory and recorded `outdir` (`synth/synth.<config>/proposed-bundle`) a CLI job would, so the bytes
 * are the CLI's. projen writes files itself, so the bundle is written to a work folder and read back. The
 * folder has a fixed place per blueprint folder and configuration on this machine (unless another call holds
 * it), so that a blueprint that records `this.outdir` gives the same bytes on every test run.
 */
export async function synthesizeInProcess(blueprintDir: string, configuration: Configuration): Promise<FileMap> {
  const dir = path.resolve(blueprintDir);
  const folder = new WorkFolder(`testing-${crypto.createHash('sha256').update(`${dir}\0${configuration.file}`).digest('hex').slice(0, 16)}`);
  const synth = folder.path('synth');
  const asGiven = path.posix.join('synth', jobFolderName('synth', configuration.file), BundleNames.PROPOSED);
  const outdir = folder.path(...asGiven.split('/'));
  fs.mkdirSync(outdir, { recursive: true });
  try {
    await runInProcess({
      kind: 'synth', name: configuration.name, blueprintDir: dir, entry: path.join(dir, BlueprintFolder.ENTRY), transpile: true,
      options: configuration.options, outdir,
      env: {
        ...(blueprintEnvironment(dir) as Record<string, string>),
        // The CLI's durable storage folder, made as the CLI makes it: the context takes DURABLE_STORAGE_ABS only
        // when it exists, and would otherwise keep durable storage in the bundle (the SDK's default).
        DURABLE_STORAGE_ABS: durableStorage(synth, configuration.name),
        [OUTDIR_AS_GIVEN_ENV]: asGiven,
        [BLUEPRINT_DIR_ENV]: dir,
      },
    });
    return readBundle(outdir);
  } finally {
    folder.remove();
  }
}
