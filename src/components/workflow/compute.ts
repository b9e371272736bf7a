import { ComputeDefinition, ComputeFleet, ComputeType, WorkflowDefinition } from './definition';

/** Sets `workflow.Compute`, replacing any compute it had; the fleet is written only when given. */
export function addGenericCompute(workflow: WorkflowDefinition, type: ComputeType, fleet?: ComputeFleet): void {
  const compute: ComputeDefinition = { Type: type };
  if (fleet) compute.Fleet = fleet;
  workflow.Compute = compute;
}
