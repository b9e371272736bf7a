/**
 * The shape of a CodeCatalyst workflow file (`.codecatalyst/workflows/<Name>.yaml`), with the SDK's
 * names. Keys are PascalCase because they are written to YAML as they are.
 */

/** How a workflow treats a run started while another is in progress. */
export enum RunMode {
  /** Runs side by side. */
  PARALLEL = 'PARALLEL',
  /** Waits for the running one. */
  QUEUED = 'QUEUED',
  /** Replaces the waiting one. */
  SUPERSEDED = 'SUPERSEDED',
}

/** @deprecated the SDK's spelling of {@link RunMode}, kept so that ported blueprints compile unchanged. */
export const RunModeDefiniton = RunMode;
/** @deprecated the SDK's spelling of {@link RunMode}. */
export type RunModeDefiniton = RunMode;

/** What starts a workflow. */
export enum TriggerType {
  /** Started by hand. */
  MANUAL = 'MANUAL',
  /** A push to one of `Branches`. */
  PUSH = 'PUSH',
  /** A pull request event on one of `Branches`. */
  PULLREQUEST = 'PULLREQUEST',
}

/** The pull request events a `PULLREQUEST` trigger reacts to. */
export enum PullRequestEvent {
  /** A draft pull request is created. */
  DRAFT = 'DRAFT',
  /** A pull request is opened. */
  OPEN = 'OPEN',
  /** A pull request is closed. */
  CLOSED = 'CLOSED',
  /** A pull request is merged. */
  MERGED = 'MERGED',
  /** A pull request gets a new revision. */
  REVISION = 'REVISION',
}

/** One entry of a workflow's `Triggers`. */
export interface TriggerDefinition {
  /** What kind of event starts the workflow. */
  Type: TriggerType;
  /** Branches (or branch patterns) the trigger watches. @default every branch */
  Branches?: string[];
  /** Pull request events, for `PULLREQUEST` triggers. @default none */
  Events?: PullRequestEvent[];
  /** The source the trigger watches. @default the workflow's own repository */
  SourceName?: string;
}

/** @deprecated the SDK's spelling of {@link TriggerDefinition}. */
export type TriggerDefiniton = TriggerDefinition;

/** The kind of machine a workflow runs on. */
export enum ComputeType {
  /** AWS Lambda: quick to start, limited. */
  LAMBDA = 'Lambda',
  /** Amazon EC2: flexible. */
  EC2 = 'EC2',
}

/** The fleet (machine size and architecture) a workflow runs on. */
export enum ComputeFleet {
  /** x86-64, large. */
  LINUX_X86_64_LARGE = 'Linux.x86-64.Large',
  /** x86-64, extra large. */
  LINUX_X86_64_XLARGE = 'Linux.x86-64.XLarge',
  /** x86-64, 2x extra large. */
  LINUX_X86_64_2XLARGE = 'Linux.x86-64.2XLarge',
  /** Arm64, large. */
  LINUX_ARM64_LARGE = 'Linux.Arm64.Large',
  /** Arm64, extra large. */
  LINUX_ARM64_XLARGE = 'Linux.Arm64.XLarge',
  /** Arm64, 2x extra large. */
  LINUX_ARM64_2XLARGE = 'Linux.Arm64.2XLarge',
}

/** A workflow's `Compute`. */
export interface ComputeDefinition {
  /** The kind of machine. */
  Type: ComputeType;
  /** The fleet. @default CodeCatalyst's default fleet for the type */
  Fleet?: ComputeFleet;
}

/** @deprecated the SDK's spelling of {@link ComputeDefinition}. */
export type ComputeDefintion = ComputeDefinition;

/** The only kind of workflow source. */
export type SourceType = 'SOURCE_REPOSITORY';

/** A workflow's `Sources` entry. */
export interface SourceDefinition {
  /** Always `SOURCE_REPOSITORY`. */
  Type: SourceType;
  /** The repository's name. */
  RepositoryName: string;
  /** The branch. */
  branch: string;
}

/** @deprecated the SDK's spelling of {@link SourceDefinition}. */
export type SourceDefiniton = SourceDefinition;

/** A whole workflow; written to YAML with its keys in insertion order. */
export interface WorkflowDefinition {
  /** The workflow's name, also its file name. */
  Name: string;
  /** The workflow schema version. @default none (the builder sets '1.0') */
  SchemaVersion?: string;
  /** What happens to overlapping runs. @default CodeCatalyst's default, QUEUED */
  RunMode?: RunMode;
  /** Where the workflow's sources come from. @default the repository holding the workflow */
  Sources?: SourceDefinition;
  /** What starts the workflow. @default none: started by hand */
  Triggers?: TriggerDefinition[];
  /** What the workflow runs on. @default CodeCatalyst's default compute */
  Compute?: ComputeDefinition;
  /** Actions and action groups, by name. @default none */
  Actions?: { [id: string]: any };
}
