/**
 * Environment variables through which the CLI tells a job process what the blueprint cannot know itself.
 * They live here, apart from the Blueprint class, so that the CLI can name them without loading projen.
 */

/** The output folder as the user gave it, recorded in `options.json` instead of the staging folder the job writes to. */
export const OUTDIR_AS_GIVEN_ENV = 'BLUESYNTH_OUTDIR_AS_GIVEN';

/** The blueprint's folder, where `static-assets/` is read from whatever the working directory. */
export const BLUEPRINT_DIR_ENV = 'BLUESYNTH_BLUEPRINT_DIR';
