/**
 * What `bluesynth` (and the SDK's packages) look like to the schema builder: the types an `Options`
 * interface uses, and nothing that would pull projen's declarations into the compiler. Other names a
 * blueprint imports resolve to nothing, which is harmless: the builder turns types into schema and
 * does not type-check. This keeps a schema build to the blueprint's own files and these few.
 */
export * from './wizard-types';
export { AccountConnection, EnvironmentDefinition, Role } from '../components/environment/definition';
export { SecretDefinition } from '../components/secret/definition';

/** What every blueprint's options carry; set by the framework, never shown by the wizard. */
export interface ParentOptions {
  outdir: string;
}

/** The base of a blueprint's `Options` interface. */
export interface Options extends ParentOptions {}
