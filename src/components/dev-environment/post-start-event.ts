import type { WorkspaceCommand, WorkspaceCommandGroupKind, WorkspaceDefinition } from './definition';

/** Where a command runs unless told otherwise: the project's sources (https://devfile.io/docs/2.0.0/devfile-schema#commands-exec-working-dir). */
export const DEFAULT_WORKING_DIR = '$PROJECT_SOURCE';

/** What {@link addPostStartEvent} takes. */
export interface PostStartEventOptions {
  /** The event's name, also the command's id. */
  readonly eventName: string;
  /** The command line. */
  readonly command: string;
  /** The container component it runs in. */
  readonly component: string;
  /** Where it runs. @default DEFAULT_WORKING_DIR */
  readonly workingDirectory?: string;
  /** The command's group kind. @default no group */
  readonly groupKind?: WorkspaceCommandGroupKind;
  /** Whether it is its group's default command. @default false */
  readonly groupIsDefault?: boolean;
}

/**
 * Adds a command run after the dev environment starts: its id to `events.postStart` and the command
 * to `commands`, changing `definition` in place.
 */
export function addPostStartEvent(definition: WorkspaceDefinition, options: PostStartEventOptions): void {
  const postStart = definition.events?.postStart ?? [];
  postStart.push(options.eventName);
  const commands = definition.commands ?? [];
  const command: WorkspaceCommand = {
    id: options.eventName,
    exec: {
      commandLine: options.command,
      workingDir: options.workingDirectory ?? DEFAULT_WORKING_DIR,
      // Written in this position even when undefined; YAML leaves undefined values out.
      group: options.groupKind ? { kind: options.groupKind, isDefault: options.groupIsDefault ?? false } : undefined,
      component: options.component,
    },
  };
  commands.push(command);
  definition.events = { ...definition.events, postStart };
  definition.commands = commands;
}
