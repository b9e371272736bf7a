import { PullRequestEvent, TriggerType, WorkflowDefinition } from './definition';

/**
 * Appends a `PUSH` trigger to `workflow.Triggers`. `FilesChanged` is written only when given, after
 * `Branches`, as the SDK writes it.
 */
export function addGenericBranchTrigger(workflow: WorkflowDefinition, branches: string[] = ['main'], filesChanged?: string[]): void {
  workflow.Triggers = workflow.Triggers ?? [];
  workflow.Triggers.push({
    Type: TriggerType.PUSH,
    Branches: branches,
    ...(filesChanged && { FilesChanged: filesChanged }),
  });
}

/** Appends a `PULLREQUEST` trigger for `events` on `branches` to `workflow.Triggers`. */
export function addGenericPullRequestTrigger(
  workflow: WorkflowDefinition,
  events: PullRequestEvent[],
  branches: string[] = ['main'],
  filesChanged?: string[],
): void {
  workflow.Triggers = workflow.Triggers ?? [];
  workflow.Triggers.push({
    Type: TriggerType.PULLREQUEST,
    Events: events,
    Branches: branches,
    ...(filesChanged && { FilesChanged: filesChanged }),
  });
}
