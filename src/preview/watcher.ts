import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import type { RunRequest } from './scheduler';

/** What the preview watches in a blueprint folder: its sources (defaults and wizard configurations among them), its assets and its manifest. */
export const WATCHED = ['src', BlueprintFolder.STATIC_ASSETS, 'package.json'];

/**
 * Which configurations a changed file affects: a wizard configuration only its own; anything else
 * (sources, `defaults.json`, static assets, the manifest) every configuration.
 */
export function affectedBy(relativePath: string): RunRequest {
  const posix = relativePath.split(path.sep).join('/');
  const wizard = BlueprintFolder.WIZARD_CONFIGURATIONS.split(path.sep).join('/') + '/';
  if (posix.startsWith(wizard) && posix.endsWith('.json') && !posix.slice(wizard.length).includes('/')) {
    return [posix.slice(wizard.length, -'.json'.length)];
  }
  return 'all';
}

/** A running watcher; `close()` stops it. */
export interface BlueprintWatcher {
  close(): Promise<void>;
  /** Resolves once the initial scan is done and changes are reported. */
  readonly ready: Promise<void>;
}

/**
 * Watches a blueprint folder with chokidar (inotify on Linux, FSEvents on macOS) and reports each
 * change as the configurations it affects, and whether the file went. Editors that save by rename are seen as a change.
 */
export function watchBlueprint(blueprintDir: string, onChange: (request: RunRequest, file: string, removed: boolean) => void): BlueprintWatcher {
  const chokidar = require('chokidar') as typeof import('chokidar');
  const watcher = chokidar.watch(WATCHED, {
    cwd: blueprintDir,
    ignoreInitial: true,
    ignored: (file: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(file) || /(~|\.swp|\.tmp)$/.test(file),
  });
  watcher.on('all', (event: string, file: string) => onChange(affectedBy(file), file, event === 'unlink' || event === 'unlinkDir'));
  const ready = new Promise<void>(resolve => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close(), ready };
}
