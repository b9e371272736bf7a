import type { Blueprint } from '../../blueprint/blueprint';
import { BuildActionParameters, addGenericBuildAction } from './actions/build';
import { CdkBootstrapActionParameters, CdkDeployActionParameters, addGenericCdkBootstrapAction, addGenericCdkDeployAction } from './actions/cdk';
import { CfnCleanupActionParameters, addGenericCloudFormationCleanupAction } from './actions/cfn-cleanup';
import { CfnDeployActionParameters, addGenericCloudFormationDeployAction } from './actions/cfn-deploy';
import { PublishBlueprintActionParameters, addGenericPublishBlueprintAction } from './actions/publish-blueprint';
import { TestReportActionParameters, addGenericTestReports } from './actions/test-reports';
import { ComputeDefinition, PullRequestEvent, TriggerDefinition, WorkflowDefinition } from './definition';
import { addGenericBranchTrigger, addGenericPullRequestTrigger } from './triggers';

/**
 * Builds a {@link WorkflowDefinition} step by step. It starts as a workflow named `build` (schema 1.0,
 * no triggers, no actions) with the given definition's keys on top, and every `add...` method returns
 * the builder. Action identifiers follow the blueprint's `context.environmentId` (`prod`: released actions).
 */
export class WorkflowBuilder {
  /** The definition being built; `new Workflow(..., builder.definition)` writes it. */
  public definition: WorkflowDefinition;
  /** The blueprint the workflow belongs to. */
  public blueprint: Blueprint;

  constructor(blueprint: Blueprint, workflowDefinition?: WorkflowDefinition) {
    // A shallow copy, as in the SDK: the given definition's arrays and objects are shared, not cloned.
    this.definition = { Name: 'build', SchemaVersion: '1.0', Triggers: [], Actions: {}, ...workflowDefinition };
    this.blueprint = blueprint;
  }

  /** Sets the workflow's name, which is also its file name. */
  setName(name: string): void {
    this.definition.Name = name;
  }

  /** The definition built so far (not a copy). */
  getDefinition(): WorkflowDefinition {
    return this.definition;
  }

  /** Replaces the whole definition. */
  setDefinition(definition: WorkflowDefinition): void {
    this.definition = definition;
  }

  /** Appends any trigger. */
  addTrigger(trigger: TriggerDefinition): WorkflowBuilder {
    this.definition.Triggers = this.definition.Triggers ?? [];
    this.definition.Triggers.push(trigger);
    return this;
  }

  /** Sets the compute unless the workflow has one already: the first compute given wins. */
  addCompute(compute: ComputeDefinition): WorkflowBuilder {
    this.definition.Compute = this.definition.Compute || compute;
    return this;
  }

  /** Appends a `PUSH` trigger on `branches`, optionally only for changes to `filesChanged`. */
  addBranchTrigger(branches: string[] = ['main'], filesChanged?: string[]): WorkflowBuilder {
    addGenericBranchTrigger(this.definition, branches, filesChanged);
    return this;
  }

  /** Appends a `PULLREQUEST` trigger for `events` on `branches`. */
  addPullRequestTrigger(events: PullRequestEvent[], branches: string[] = ['main'], filesChanged?: string[]): WorkflowBuilder {
    addGenericPullRequestTrigger(this.definition, events, branches, filesChanged);
    return this;
  }

  /** Adds a build action (`aws/build@v1` in production). */
  addBuildAction(configuration: BuildActionParameters): WorkflowBuilder {
    addGenericBuildAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds a managed test action (`aws/managed-test@v1` in production) that publishes coverage and test reports. */
  addTestAction(configuration: TestReportActionParameters): WorkflowBuilder {
    addGenericTestReports({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds a CloudFormation deploy action (`aws/cfn-deploy@v1` in production). */
  addCfnDeployAction(configuration: CfnDeployActionParameters): WorkflowBuilder {
    addGenericCloudFormationDeployAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds a build action that deletes a CloudFormation stack and the storage it leaves behind. */
  addCfnCleanupAction(configuration: CfnCleanupActionParameters): WorkflowBuilder {
    addGenericCloudFormationCleanupAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds a CDK deploy action (`aws/cdk-deploy@v1` in production). */
  addCdkDeployAction(configuration: CdkDeployActionParameters): WorkflowBuilder {
    addGenericCdkDeployAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds a CDK bootstrap action (`aws/cdk-bootstrap@v1` in production). */
  addCdkBootstrapAction(configuration: CdkBootstrapActionParameters): WorkflowBuilder {
    addGenericCdkBootstrapAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /** Adds the action that publishes a custom blueprint. */
  addPublishBlueprintAction(configuration: PublishBlueprintActionParameters): WorkflowBuilder {
    addGenericPublishBlueprintAction({ ...configuration, blueprint: this.blueprint, workflow: this.definition });
    return this;
  }

  /**
   * Adds any action: `configuration.actionName` (lower-case `a`, whatever the type says) is its key, and
   * the rest of `configuration` is written as it is. Like the SDK, this removes `actionName` from the
   * object given.
   */
  addGenericAction<
    T extends {
      /** The action's name, the SDK's type parameter; the key comes from `actionName`. */
      ActionName: string;
    },
  >(configuration: T & any): WorkflowBuilder {
    this.definition.Actions = this.definition.Actions ?? {};
    const actionName = configuration.actionName;
    delete configuration.actionName;
    this.definition.Actions[actionName] = configuration;
    return this;
  }
}
