/**
 * The SDK's `sdk` namespace: the types of `@aws/codecatalyst-workflows-sdk` that its workflow definition
 * builders take, and that package's `WorkflowDefinition`. That package's types are generated from the JSON
 * Schemas of CodeCatalyst's workflow file (62 of them); this module keeps the workflow's top level
 * (triggers, compute, actions and action groups) and types an action by what every action has, so any
 * action the SDK's types accept is accepted here. DESIGN.md lists what is left out.
 */
import { BlueprintSynthesisError } from '../../blueprint/errors';

/** A workflow file's schema version; CodeCatalyst knows `1.0`. */
export type SchemaVersion = '1.0' | 1 | string;

/** What a workflow does with a run that starts while another one runs. */
export type RunModes = 'PARALLEL' | 'QUEUED' | 'SUPERSEDED';

/** The pull request events a {@link PullRequestTrigger} can start a workflow on. */
export type PullRequestEventType = 'DRAFT' | 'OPEN' | 'CLOSED' | 'MERGED' | 'REVISION';

/** Starts a workflow on each push to its branches. */
export interface PushTrigger {
  /** Always `PUSH`. */
  Type: 'PUSH';
  /** The branches (or patterns) watched. @default every branch */
  Branches?: string[];
  /** Only pushes that change these files (or patterns) count. @default any change */
  FilesChanged?: string[];
}

/** Starts a workflow on pull request events. */
export interface PullRequestTrigger {
  /** Always `PULLREQUEST`. */
  Type: 'PULLREQUEST';
  /** The events that start it. */
  Events: PullRequestEventType[];
  /** The pull requests' target branches (or patterns). @default every branch */
  Branches?: string[];
  /** Only pull requests that change these files (or patterns) count. @default any change */
  FilesChanged?: string[];
}

/** Starts a workflow on a schedule. */
export interface ScheduleTrigger {
  /** Always `SCHEDULE`. */
  Type: 'SCHEDULE';
  /** The schedule, a cron expression (typed as an object, as the SDK's generated type has it). */
  Expression: { [key: string]: unknown };
  /** The branches it runs on. @default the default branch */
  Branches?: string[];
}

/** Anything that starts a workflow. */
export type Trigger = PushTrigger | PullRequestTrigger | ScheduleTrigger;

/** The names of the actions or action groups that must finish first. */
export type DependsOn = string[];

/**
 * An action: its identifier and configuration, and any other key of an action (`Inputs`, `Outputs`,
 * `Environment`, `Compute`, `Caching`, `Packages`, ...), written as given. The SDK's types of each action
 * (`BuildAction`, `ManagedTestAction`, `GitHubActionRunner`, `GenericAction`) are narrower; any of them fits.
 */
export interface Action {
  /** The action's identifier, `aws/build@v1` say; the definition builders resolve the SDK's aliases of it. */
  Identifier: string;
  /** The action's own settings. @default none */
  Configuration?: { [key: string]: unknown };
  /** What must finish first. @default nothing */
  DependsOn?: DependsOn;
  /** Seconds the action may run before it is cancelled. @default CodeCatalyst's limit */
  Timeout?: number;
  /** The action's other keys. */
  [key: string]: unknown;
}

/** Actions run as one group. */
export interface ActionGroup {
  /** What must finish before the group starts. @default nothing */
  DependsOn?: DependsOn;
  /** The group's actions, by name. @default none */
  Actions?: { [name: string]: Action };
}

/** A workflow's actions and action groups, by name. */
export interface Actions {
  /** An action or an action group. */
  [name: string]: Action | ActionGroup;
}

/** A workflow's compute on Amazon EC2. */
export interface EC2Compute {
  /** `EC2`. */
  Type: 'EC2' | 'ec2';
  /** The fleet, `Linux.x86-64.Large` say. @default CodeCatalyst's default fleet */
  Fleet?: string;
  /** Whether the actions share one instance. @default CodeCatalyst's default */
  SharedInstance?: 'TRUE' | 'FALSE';
}

/** A workflow's compute on AWS Lambda. */
export interface LambdaCompute {
  /** `LAMBDA`. */
  Type: 'LAMBDA' | 'Lambda';
  /** The on-demand fleet. @default CodeCatalyst's default fleet */
  Fleet?: 'Linux.x86-64.Large' | 'Linux.x86-64.XLarge' | 'Linux.Arm64.Large' | 'Linux.Arm64.XLarge';
}

/** What a workflow runs on. */
export type WorkflowCompute = EC2Compute | LambdaCompute;

/** A whole workflow, with the keys of its file. */
export interface Workflow {
  /** The workflow's name, also its file name. */
  Name: string;
  /** The schema version. */
  SchemaVersion: SchemaVersion;
  /** What happens to overlapping runs. @default CodeCatalyst's default */
  RunMode?: RunModes;
  /** What starts it. @default nothing: started by hand */
  Triggers?: Trigger[];
  /** Its actions and action groups. */
  Actions: Actions;
  /** What it runs on. @default CodeCatalyst's default compute */
  Compute?: WorkflowCompute;
}

/**
 * A workflow definition built in memory (the generated package's class, which the SDK's
 * {@link WorkflowDefinitionBuilder} wraps): a workflow named `name`, schema `1.0`, run mode `PARALLEL`, no
 * actions, with the keys of `options.workflow` on top.
 */
export class WorkflowDefinition {
  /**
   * Not provided: the SDK checks the object against the JSON Schemas that `@aws/codecatalyst-workflows-sdk`
   * ships, which bluesynth does not. Always throws, saying so; a blueprint that needs it can install that
   * package and call its `WorkflowDefinition.validate`.
   */
  static validate(_workflowLikeObject: unknown, _options?: unknown): never {
    throw notProvided('sdk.WorkflowDefinition.validate');
  }

  /** The workflow built so far. */
  definition: Workflow;

  constructor(name: string, options?: { workflow?: Partial<Workflow> }) {
    this.definition = { Name: name, SchemaVersion: '1.0', RunMode: 'PARALLEL', Actions: {}, ...options?.workflow };
  }

  /** Appends a trigger. */
  addTrigger<T extends Trigger>(trigger: T, _options?: object): void {
    this.definition.Triggers = this.definition.Triggers ?? [];
    this.definition.Triggers.push(trigger);
  }

  /**
   * Sets `name` to `action` at the workflow's top level, beside `Actions` rather than inside it: that is what
   * the generated package does, and the SDK's builders rely on it, so ported blueprints write the same file.
   */
  addAction<T extends Action | ActionGroup>(name: string, action: T, _options?: object): void {
    (this.definition as unknown as Record<string, unknown>)[name] = action;
  }

  /** Sets the workflow's compute. */
  setCompute<T extends WorkflowCompute>(compute: T, _options?: object): void {
    this.definition.Compute = compute;
  }
}

/**
 * Not provided: the SDK reads one of the JSON Schemas that `@aws/codecatalyst-workflows-sdk` ships, which
 * bluesynth does not. Always throws, saying so.
 */
export function fetchSchema(_location: string): never {
  throw notProvided('sdk.fetchSchema');
}

function notProvided(name: string): BlueprintSynthesisError {
  return new BlueprintSynthesisError({
    message:
      `${name} is not provided by bluesynth: it reads the JSON Schemas that ship with the SDK's @aws/codecatalyst-workflows-sdk, ` +
      "which bluesynth does not include (DESIGN.md, 'Where the SDK and this framework differ on purpose'); " +
      'install that package in the blueprint and import it from there',
  });
}
