import type { WorkflowEnvironment } from '../environment';

/** The compute an action runs on, when it differs from the workflow's. */
export interface ComputeConfiguration {
  /** `EC2` or `Lambda`. @default the workflow's compute type */
  Type?: string;
  /** The fleet. @default the workflow's fleet */
  Fleet?: string;
}

/** An action's `Inputs`. */
export interface InputsDefinition {
  /** Any other input the action accepts. */
  [key: string]: any;
  /** Source names, for example `WorkflowSource`. @default none */
  Sources?: string[];
  /** Variables passed to the action. @default none */
  Variables?: InputVariable[];
  /** Artifacts of earlier actions. @default none */
  Artifacts?: string[];
}

/** One input variable. */
export interface InputVariable {
  /** The variable's name. */
  Name: string;
  /** Its value. */
  Value: string;
}

/** An action's `Outputs`. */
export interface OutputDefinition {
  /** Any other output the action produces. */
  [key: string]: any;
  /** Artifacts the action produces. @default none */
  Artifacts?: Artifact[];
  /** Names of the reports the action produces. @default none */
  Reports?: string[];
  /** Whether and how test reports are discovered. @default CodeCatalyst's default (enabled) */
  AutoDiscoverReports?: AutoDiscoverReportDefinition;
  /** Names of variables the action exports. @default none */
  Variables?: string[];
}

/** A named set of files an action produces. */
export interface Artifact {
  /** The artifact's name. */
  Name: string;
  /** Globs of the files in it. */
  Files: string[];
}

/** Report auto-discovery settings. */
export interface AutoDiscoverReportDefinition {
  /** Whether reports are discovered. @default true */
  Enabled?: boolean;
  /** Prefix of the discovered reports' names. @default none */
  ReportNamePrefix?: string;
  /** Paths left out of discovery. @default none */
  ExcludePaths?: string[];
  /** Paths searched. @default every path */
  IncludePaths?: string[];
  /** What a report must meet for the action to pass. @default none */
  SuccessCriteria?: SuccessCriteriaDefinition;
}

/** Thresholds a report must meet. */
export interface SuccessCriteriaDefinition {
  /** Minimum test pass rate, in percent. @default none */
  PassRate?: number;
  /** Minimum line coverage, in percent. @default none */
  LineCoverage?: number;
  /** Minimum branch coverage, in percent. @default none */
  BranchCoverage?: number;
  /** Maximum number of vulnerabilities of a severity or above. @default none */
  Vulnerabilities?: {
    /** The lowest severity counted. */
    Severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
    /** How many vulnerabilities of that severity or above are allowed. */
    Number: number;
  };
}

/** A step of a build or test action. */
export interface Step {
  /** The shell command. */
  Run: string;
}

/** The container a build runs in. */
export interface BuildContainer {
  /** Where the image comes from. */
  Registry: 'DockerHub' | 'ECR' | 'Other' | 'CODECATALYST';
  /** The image. */
  Image: string;
}

/** A build action's `Configuration`. */
export interface BuildActionConfiguration {
  /** A role the action assumes. @default the environment's role */
  ActionRoleArn?: string;
  /** The steps. @default none */
  Steps?: Step[];
  /** The container. @default CodeCatalyst's default image */
  Container?: BuildContainer;
}

/** A test action's `Configuration`. */
export interface TestActionConfiguration {
  /** The steps. */
  Steps: Step[];
}

/** A CloudFormation deploy action's `Configuration`. */
export interface CfnDeployActionConfiguration {
  /** The fleet the deployment runs on. @default the workflow's */
  ComputeName?: 'Linux.x86-64.Large' | 'Linux.x86-64.XLarge' | 'Linux.x86-64.2XLarge' | string;
  /** The action's parameters (`capabilities` comma-separated). */
  Parameters: {
    [key: string]: string;
    /** The stack's name. */
    name: string;
    /** The AWS region of the stack. */
    region: string;
    /** The template's path in the action's inputs. */
    template: string;
    /** IAM capabilities, comma-separated. */
    capabilities: string;
  };
}

/** A CDK deploy action's `Configuration` as written: every structured value is a JSON string, because the action reads strings. */
export interface CdkDeployActionYamlOutput {
  /** The stack. */
  StackName: string;
  /** The region. @default the environment's */
  Region?: string;
  /** Tags, as a JSON object string. @default none */
  Tags?: string;
  /** CDK context, as a JSON object string. @default none */
  Context?: string;
  /** Stack outputs to export, as a JSON array string. @default none */
  CfnOutputVariables?: string;
  /** The CDK app's folder. @default the repository root */
  CdkRootPath?: string;
  /** The CDK CLI version. @default the action's */
  CdkCliVersion?: string;
}

/** A CDK bootstrap action's `Configuration`. */
export interface CdkBootstrapActionConfiguration {
  /** The region to bootstrap. */
  Region: string;
  /** The CDK CLI version. @default the action's */
  CdkCliVersion?: string;
}

/** The publish-blueprint action's `Configuration`. */
export interface PublishBlueprintActionConfiguration {
  /** Path of the packed blueprint inside the input artifact. */
  ArtifactPackagePath: string;
  /** Path of the blueprint's package.json. */
  PackageJSONPath: string;
  /** The input artifact's name. */
  InputArtifactName: string;
  /** Timeout, in seconds. @default the action's */
  TimeoutInSeconds?: string;
}

/** One action of a workflow, with its keys in the order the builder writes them. */
export interface ActionDefinition {
  /** The action, for example `aws/build@v1`. @default none */
  Identifier?: string;
  /** The compute. @default the workflow's */
  Compute?: ComputeConfiguration | string;
  /** The action's configuration. @default none */
  Configuration?:
  | BuildActionConfiguration
  | CfnDeployActionConfiguration
  | TestActionConfiguration
  | CdkDeployActionYamlOutput
  | CdkBootstrapActionConfiguration
  | PublishBlueprintActionConfiguration;
  /** Actions that must finish first. @default none */
  DependsOn?: string[];
  /** Inputs. @default none */
  Inputs?: InputsDefinition;
  /** Outputs. @default none */
  Outputs?: OutputDefinition;
  /** The environment the action deploys to. @default none */
  Environment?: WorkflowEnvironment;
}

/** @deprecated the SDK's spelling of {@link ActionDefinition}. */
export type ActionDefiniton = ActionDefinition;

/**
 * A value as the CDK actions read it: strings unchanged, arrays and objects as JSON, anything else dropped.
 */
export function convertInputsToJsonString(input: any): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof Object) return JSON.stringify(input);
  return undefined;
}

/** Action names may not contain `-`; the SDK turns each into `_`. */
function actionKey(actionName: string | undefined, fallback: string): string {
  return (actionName || fallback).replace(/-/g, '_');
}

/** Adds an action to a workflow under its key (see {@link actionKey}) and returns the key. */
export function addAction(workflow: { Actions?: { [key: string]: unknown } }, actionName: string | undefined, fallback: string, action: ActionDefinition): string {
  const key = actionKey(actionName, fallback);
  workflow.Actions = workflow.Actions ?? {};
  workflow.Actions[key] = action;
  return key;
}
