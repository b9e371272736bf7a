import type { OptionsOverrides } from '../project/options';

/** The options flags `create` and `update` share. */
export const PROJECT_OPTION_FLAGS = {
  'options': { type: 'string' },
  'set': { type: 'string', multiple: true },
} as const;

/** Their help lines. */
export const PROJECT_OPTION_USAGE = `  --options FILE          options deep-merged over the base options (JSON object); an unknown
                          key is refused
  --set KEY=VALUE         set one option (dotted key, JSON value or text; a text option takes
                          the text as given); repeatable, applied last; an unknown key is refused`;

/** The overrides the flags ask for. */
export function optionOverrides(values: { options?: string; set?: string[] }): OptionsOverrides {
  return { file: values.options, sets: values.set ?? [] };
}
