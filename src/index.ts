export { BlueprintSynthesisError } from './blueprint/errors';
