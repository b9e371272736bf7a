import type { Blueprint } from '../../blueprint/blueprint';
import { getDefaultActionIdentifier } from './actions/identifiers';
import * as sdk from './sdk';

/**
 * The SDK's experimental builder over its generated workflow types ({@link sdk}). It starts as a workflow
 * named `build-workflow` (or the starter definition's name), schema `1.0`, run mode `PARALLEL`, with no
 * actions, and the starter definition's keys on top; `new Workflow(blueprint, repository,
 * builder.getDefinition())` writes it.
 *
 * Like the SDK's, `addAction` and `addActionGroup` put what they add at the workflow's top level, beside
 * `Actions`, not inside it (the generated class they call does so): ported blueprints keep their files byte
 * for byte. {@link WorkflowBuilder} puts actions inside `Actions`.
 */
export class WorkflowDefinitionBuilder {
  /** The blueprint the workflow belongs to; its `context.environmentId` picks the action identifiers. */
  blueprint: Blueprint;
  /** The generated class's definition being built. */
  genericBuilder: sdk.WorkflowDefinition;

  constructor(blueprint: Blueprint, options?: { starterDefinition?: Partial<sdk.Workflow> }) {
    const name = options?.starterDefinition?.Name || 'build-workflow';
    this.genericBuilder = new sdk.WorkflowDefinition(name, { workflow: options?.starterDefinition });
    this.blueprint = blueprint;
  }

  /** Sets the workflow's name, which is also its file name. */
  setName(name: string): void {
    this.genericBuilder.definition.Name = name;
  }

  /** The definition built so far (not a copy). */
  getDefinition(): sdk.Workflow {
    return this.genericBuilder.definition;
  }

  /** Replaces the whole definition. */
  setDefinition(definition: sdk.Workflow): void {
    this.genericBuilder.definition = definition;
  }

  /**
   * Adds an action under `name` (at the workflow's top level, see the class), with its identifier resolved as
   * {@link getDefaultActionIdentifier} resolves it for the blueprint's environment.
   */
  addAction<T extends sdk.Action>(name: string, action: T, _options?: object): void {
    this.genericBuilder.addAction(name, { ...action, Identifier: getDefaultActionIdentifier(action.Identifier, this.blueprint.context.environmentId)! });
  }

  /** Adds an action group under `name` (at the workflow's top level, see the class), as given. */
  addActionGroup<T extends sdk.ActionGroup>(name: string, actionGroup: T, _options?: object): void {
    this.genericBuilder.addAction(name, { ...actionGroup });
  }
}

/**
 * The SDK's experimental builder of an action group, for {@link WorkflowDefinitionBuilder.addActionGroup}: the
 * starter definition's keys with no actions, then the actions added, each with its identifier resolved for the
 * blueprint's environment.
 */
export class ActionGroupDefinitionBuilder {
  /** The blueprint the group belongs to; its `context.environmentId` picks the action identifiers. */
  blueprint: Blueprint;
  /** The group built so far. */
  definition: sdk.ActionGroup;

  constructor(blueprint: Blueprint, options: { starterDefinition?: Partial<sdk.ActionGroup> }) {
    this.blueprint = blueprint;
    // As in the SDK, a starter definition's actions are dropped.
    this.definition = { ...options.starterDefinition, Actions: {} };
  }

  /** Sets what must finish before the group starts. */
  setDependsOn(dependsOn: string[]): void {
    this.definition.DependsOn = dependsOn;
  }

  /** Adds an action to the group, with its identifier resolved as {@link getDefaultActionIdentifier} resolves it. */
  addAction<T extends sdk.Action>(name: string, action: T, _options?: object): void {
    this.definition.Actions = this.definition.Actions || {};
    this.definition.Actions[name] = { ...action, Identifier: getDefaultActionIdentifier(action.Identifier, this.blueprint.context.environmentId)! };
  }
}
