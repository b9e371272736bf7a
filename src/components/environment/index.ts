export { Environment } from './environment';
export { AccountConnection, EnvironmentDefinition, Role } from './definition';
