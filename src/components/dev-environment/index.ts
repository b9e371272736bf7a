export { DevEnvironment, Workspace, DEVFILE_PATH } from './dev-environment';
export { SampleWorkspaces } from './samples';
export { addPostStartEvent, PostStartEventOptions, DEFAULT_WORKING_DIR } from './post-start-event';
export {
  WorkspaceDefinition,
  WorkspaceComponent,
  WorkspaceComponentContainer,
  VolumeMount,
  WorkspaceComponentVolume,
  WorkspaceMetadata,
  WorkspaceEvents,
  WorkspaceEventsPostStart,
  WorkspaceCommand,
  WorkspaceCommandGroup,
  WorkspaceCommandGroupKind,
} from './definition';
