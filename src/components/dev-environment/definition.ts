/**
 * A dev environment's devfile (https://devfile.io/docs/2.0.0/devfile-schema), as far as CodeCatalyst
 * reads it. The names are the SDK's (`Workspace...`).
 */

/** The whole devfile. */
export interface WorkspaceDefinition {
  /** The devfile schema version, for example `2.0.0`. */
  schemaVersion: string;
  /** What the dev environment is. */
  metadata: WorkspaceMetadata;
  /** Containers and volumes. */
  components: WorkspaceComponent[];
  /** Commands run at lifecycle events. @default none */
  events?: WorkspaceEvents;
  /** Commands. @default none */
  commands?: WorkspaceCommand[];
}

/** A container or a volume. */
export interface WorkspaceComponent {
  /** Its name, referred to by commands and volume mounts. */
  name: string;
  /** The container, for a container component. @default none */
  container?: WorkspaceComponentContainer;
  /** The volume, for a volume component. @default none */
  volume?: WorkspaceComponentVolume;
}

/** A container the dev environment runs. */
export interface WorkspaceComponentContainer {
  /** The image. */
  image: string;
  /** Whether the project's sources are mounted. */
  mountSources: boolean;
  /** The container's command. @default the image's */
  command?: string[];
  /** Volumes mounted into it. */
  volumeMounts: VolumeMount[];
}

/** A volume mounted into a container. */
export interface VolumeMount {
  /** The volume component's name. */
  name: string;
  /** Where it is mounted. */
  path: string;
}

/** A volume. */
export interface WorkspaceComponentVolume {
  /** Its size, for example `16Gi`. */
  size: string;
}

/** What the dev environment is. */
export interface WorkspaceMetadata {
  /** Its name. */
  name: string;
  /** Its version. */
  version: string;
  /** A readable name. @default the name */
  displayName?: string;
  /** A description. */
  description: string;
  /** Tags. */
  tags: string[];
  /** Always `aws`. */
  projectType: 'aws';
}

/** Commands run at lifecycle events; only `postStart` is read by CodeCatalyst so far. */
export interface WorkspaceEvents {
  /** Ids of commands run after the dev environment starts. @default none */
  postStart?: WorkspaceEventsPostStart;
}

/** Ids of commands run after the dev environment starts. */
export type WorkspaceEventsPostStart = string[];

/** A command. */
export interface WorkspaceCommand {
  /** Its id, referred to by events. */
  id: string;
  /** What it runs. */
  exec: {
    /** The command line. */
    commandLine: string;
    /** Where it runs. @default '$PROJECT_SOURCE' when added by `addPostStartEvent` */
    workingDir?: string;
    /** The group it belongs to. @default none */
    group?: WorkspaceCommandGroup;
    /** The container component it runs in. */
    component: string;
  };
}

/** The group of a command (https://devfile.io/docs/2.0.0/devfile-schema#commands-exec-group). */
export interface WorkspaceCommandGroup {
  /** The kind of group. */
  kind: WorkspaceCommandGroupKind;
  /** Whether this is the group's default command. */
  isDefault: boolean;
}

/** Kinds of command group. */
export enum WorkspaceCommandGroupKind {
  /** Builds. */
  BUILD = 'build',
  /** Runs. */
  RUN = 'run',
  /** Tests. */
  TEST = 'test',
  /** Debugs. */
  DEBUG = 'debug',
}
