/** The folder of the bundle that holds issues. */
export const ISSUES_ROOT_DIR = 'issues';

/** An issue of the project's issue tracker. */
export interface IssueDefinition {
  /** The title, 1 to 255 characters. */
  title: string;
  /** The body (markdown), up to 32,767 characters. @default none */
  content?: string;
  /** The priority, for example `HIGH`. @default CodeCatalyst's default */
  priority?: string;
  /** 1 to 50 labels of 1 to 63 characters each. @default none */
  labels?: string[];
}

/** What `issues/<id>.json` holds: the definition with its id first. */
export interface IssueObject extends IssueDefinition {
  /** The issue's id, unique within the blueprint. */
  id: string;
}
