import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { displayPath } from '../bundle/paths';
import { InputError } from '../errors';
import { mergeOptions } from '../blueprint/options-files';
import { OptionsValidationError, unsavedConfigurationErrors } from '../schema/validate-configurations';

/** Why a configuration was not saved; `status` is the HTTP status to answer with. */
export class SaveRefusedError extends InputError {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message, { name: 'SaveRefusedError' });
  }
}

/** Where the preview saves a configuration, and what the page says of it beside the file's name. */
export interface SaveFolder {
  /** The folder the file is written into. */
  readonly dir: string;
  /** Said with the file saved, when it is not one of the blueprint's own wizard configurations. @default nothing */
  readonly note?: string;
}

/**
 * Where a preview of `blueprintDir` saves the form's options: its own `src/wizard-configurations/`, which the
 * preview then runs; but a published package (a folder without `src/`, installed under `node_modules/`) is not
 * the user's to edit, and a `src/` added to it would make it pass for a blueprint's sources (its schema rebuilt
 * and written into its `lib/`): its configurations go to `<outdir>/wizard-configurations/`, beside the bundles.
 */
export function saveFolderOf(blueprintDir: string, outdir: string): SaveFolder {
  if (fs.existsSync(path.join(blueprintDir, 'src'))) return { dir: path.join(blueprintDir, BlueprintFolder.WIZARD_CONFIGURATIONS) };
  return {
    dir: path.join(outdir, 'wizard-configurations'),
    note: `${displayPath(blueprintDir)} is an installed package (no src/): nothing is written into it, and the preview does not run the file; ` +
      `give it to blueprint synth or create with --options`,
  };
}

/**
 * Writes the form's options as `<name>.json` in `folder` (see {@link saveFolderOf}), keeping only what differs from
 * the defaults (a wizard configuration is merged over them). The name must be a plain file name; an existing
 * file is replaced only with `overwrite`. Returns the file written.
 */
export function saveConfiguration(blueprintDir: string, folder: SaveFolder, name: string, options: Record<string, unknown>, defaults: Record<string, unknown>, overwrite = false): string {
  const base = name.replace(/\.json$/, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(base) || base.endsWith('.')) {
    throw new SaveRefusedError(400, `'${name}' is not a plain file name (letters, digits, '.', '_' and '-', starting with a letter or digit)`);
  }
  const file = path.join(folder.dir, `${base}.json`);
  const overlay = (difference(options, defaults) ?? {}) as Record<string, unknown>;
  // Checked before it is written: a saved configuration that does not validate would only fail its job later.
  const errors = unsavedConfigurationErrors(blueprintDir, file, mergeOptions(defaults, overlay), overlay);
  if (errors.length) throw new SaveRefusedError(400, `not saved: ${new OptionsValidationError(errors).message}`);
  const text = JSON.stringify(overlay, null, 2) + '\n';
  fs.mkdirSync(folder.dir, { recursive: true });
  try {
    fs.writeFileSync(file, text, { flag: overwrite ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SaveRefusedError(409, `${displayPath(file)} exists; tick 'overwrite' to replace it`);
    throw error;
  }
  return file;
}

/** The parts of `value` that differ from `base`: objects key by key, anything else (arrays too) whole. */
export function difference(value: unknown, base: unknown): unknown {
  if (isObject(value) && isObject(base)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const diff = key in base ? difference(child, base[key]) : child;
      if (diff !== undefined) result[key] = diff;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  return JSON.stringify(value) === JSON.stringify(base) ? undefined : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
