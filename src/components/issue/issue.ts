import * as path from 'path';
import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';
import { ISSUES_ROOT_DIR, IssueDefinition, IssueObject } from './definition';
import { checkIdentifier, checkLength, invalid, quote } from '../validation';

/** The SDK's limits. */
const MAX_TITLE = 255;
const MAX_CONTENT = 32767;
const MAX_LABELS = 50;
const MAX_LABEL = 63;

/**
 * An issue of the generated project, written as `issues/<id>.json` when the blueprint synthesizes.
 * Checked when constructed: the id's form and uniqueness, the title, content and labels' lengths.
 * The definition is read when written, as in the SDK.
 */
export class Issue extends Component {
  /** The issue's id. */
  public readonly id: string;
  /** Bundle-relative path: `issues/<id>.json`. */
  public readonly relativePath: string;
  /** The blueprint it belongs to. */
  public readonly blueprint: Blueprint;

  private readonly issue: IssueObject;

  constructor(blueprint: Blueprint, id: string, issueDefinition: IssueDefinition) {
    super(blueprint);
    this.blueprint = blueprint;
    this.id = id;
    validateIssue(id, issueDefinition);
    this.relativePath = path.posix.join(ISSUES_ROOT_DIR, `${id}.json`);
    const other = blueprint.components.find(c => c instanceof Issue && c !== this && c.id === id);
    if (other) {
      throw new BlueprintSynthesisError({
        message: `Issue '${id}': id ${quote(id)} is already used by another issue of this blueprint (ids must be unique)`,
        type: BlueprintSynthesisErrorTypes.ValidationError,
      });
    }
    this.issue = { id, ...issueDefinition };
  }

  /** Writes `issues/<id>.json`. */
  override synthesize(): void {
    this.blueprint.writeBundleFile(this.relativePath, renderIssue(this.issue), `Issue '${this.id}'`);
  }
}

/** The SDK's checks, in its order, so that the first problem reported is the same one. */
function validateIssue(id: string, issue: IssueDefinition): void {
  checkIdentifier('Issue', 'id', id);
  const what = `Issue '${id}'`;
  if (issue === null || typeof issue !== 'object') throw invalid(what, 'definition', issue, 'must be an object');
  checkLength(what, 'title', issue.title, 1, MAX_TITLE);
  if (issue.content) checkLength(what, 'content', issue.content, 0, MAX_CONTENT);
  if (issue.labels !== undefined) {
    if (!Array.isArray(issue.labels) || issue.labels.length < 1 || issue.labels.length > MAX_LABELS) {
      const count = Array.isArray(issue.labels) ? ` (it has ${issue.labels.length})` : '';
      throw invalid(what, 'labels', issue.labels, `must be a list of 1 to ${MAX_LABELS} labels${count}`);
    }
    issue.labels.forEach((label, index) => checkLength(what, `labels[${index}]`, label, 1, MAX_LABEL));
  }
}

/**
 * The file as projen's `JsonFile` writes it for the SDK: two-space JSON and a final newline, without
 * undefined values, and without null or undefined list elements.
 */
function renderIssue(issue: IssueObject): string {
  return JSON.stringify(issue, (_key, value) => (Array.isArray(value) ? value.filter(element => element != null) : value), 2) + '\n';
}
