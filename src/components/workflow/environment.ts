import type { Environment } from '../environment/environment';

/** An action's `Environment`: the environment's name and one connection per role of each account. */
export interface WorkflowEnvironment {
  /** The environment's name. */
  Name: string;
  /** The account and role an action uses. */
  Connections: ConnectionDefinition[];
}

/** One account-and-role pair of a {@link WorkflowEnvironment}. */
export interface ConnectionDefinition {
  /** The account connection's name. */
  Name: string;
  /** The role's name. */
  Role: string;
}

/**
 * The workflow view of an {@link Environment}: a connection for every role of every account, in
 * definition order; a missing name is written as ''. Undefined for an undefined environment.
 */
export function convertToWorkflowEnvironment(environment: Environment | undefined): WorkflowEnvironment | undefined {
  if (!environment) return undefined;
  const connections: ConnectionDefinition[] = [];
  for (const key of environment.accountKeys ?? []) {
    const account = environment.definition[key];
    for (const role of environment.getRoles(key)) {
      connections.push({ Name: account?.name || '', Role: role?.name || '' });
    }
  }
  return { Name: environment.name || '', Connections: connections };
}
