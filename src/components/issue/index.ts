export { Issue } from './issue';
export { ISSUES_ROOT_DIR, IssueDefinition, IssueObject } from './definition';
