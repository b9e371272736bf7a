import * as path from 'path';

/**
 * The layout of a blueprint folder, in one place: what the CLI and the runners look for.
 */
export const BlueprintFolder = {
  /** The module that exports the class `Blueprint`. */
  ENTRY: path.join('src', 'index.ts'),
  /** The default options. */
  DEFAULTS: path.join('src', 'defaults.json'),
  /** One JSON file per wizard configuration. */
  WIZARD_CONFIGURATIONS: path.join('src', 'wizard-configurations'),
  /** Files repositories copy from. */
  STATIC_ASSETS: 'static-assets',
} as const;
