export { OptionsSchema } from './options-schema';
