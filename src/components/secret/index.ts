export { Secret } from './secret';
export { SecretDefinition } from './definition';
