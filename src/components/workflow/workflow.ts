import * as path from 'path';
import { Component } from 'projen/lib/component';
import type * as YAML from 'yaml';
import type { Blueprint } from '../../blueprint/blueprint';
import { yaml } from '../bundle-yaml';
import { Environment } from '../environment/environment';
import { repositoryPath, SourceFile } from '../source-repository/file';
import type { SourceRepository } from '../source-repository/repository';
import type { WorkflowDefinition } from './definition';
import type { WorkflowBuilder } from './builder';

/** The folder of a repository that holds its workflows. */
export const workflowLocation = '.codecatalyst/workflows';

/** Options of a {@link Workflow}. */
export interface WorkflowOptions {
  /** Comment lines written above the workflow, each prefixed with `# `. @default none */
  readonly additionalComments?: string[];
  /** Writes the whole workflow commented out (every line prefixed with `# `). @default false */
  readonly commented?: boolean;
  /** Options of `YAML.stringify`, on top of the defaults. @default `{ indent: 2, lineWidth: 0 }` */
  readonly YAMLOptions?: YAML.DocumentOptions & YAML.SchemaOptions & YAML.ParseOptions & YAML.CreateNodeOptions & YAML.ToStringOptions;
}

/**
 * A workflow file of a source repository: `.codecatalyst/workflows/<Name>.yaml` (`no-name-workflow.yaml`
 * without a name). The YAML is rendered when the workflow is constructed, so later changes to the
 * definition do not show; the file is written when the repository synthesizes.
 */
export class Workflow extends Component {
  /** Path of the file inside its repository. */
  public readonly filePath: string;
  private readonly label: string;
  private readonly environmentsUsed: [action: string, environment: string][];

  /**
   * @param blueprint - the blueprint it belongs to
   * @param sourceRepository - the repository whose `.codecatalyst/workflows/` holds it
   * @param workflow - the definition, a {@link WorkflowDefinition}: usually `builder.getDefinition()` of a
   *   {@link WorkflowBuilder}, or one written by hand (`{ Name, SchemaVersion: '1.0', Triggers, Actions }`). Typed
   *   `WorkflowDefinition | any`, as in the SDK, so that any object a port passes compiles; what survives JSON is written.
   * @param options - comments above it, commenting it out, YAML options
   */
  constructor(blueprint: Blueprint, sourceRepository: SourceRepository, workflow: WorkflowDefinition | any, options?: WorkflowOptions) {
    super(blueprint);
    // Any object is accepted; what survives JSON is what is written (undefined keys drop out, dates become strings).
    const definition = JSON.parse(JSON.stringify(workflow));
    const name = definition.Name || 'no-name-workflow';
    this.filePath = path.posix.join(workflowLocation, `${name}.yaml`);
    this.label = `Workflow '${name}' in repository '${sourceRepository.title}'`;
    repositoryPath(sourceRepository, this.filePath, this.label);
    new SourceFile(sourceRepository, this.filePath, renderWorkflow(definition, options));
    this.environmentsUsed = environmentsOf(definition.Actions);
  }

  /**
   * Warns of an action that runs in an environment no `Environment` of the blueprint defines (a name misspelt, or
   * the component forgotten): the workflow is written as given, and fails in the project until one of that name
   * exists, which may be the project's own. Checked here, once every component is constructed.
   */
  override synthesize(): void {
    const defined = new Set(this.project.components.filter(c => c instanceof Environment).map(c => (c as Environment).name));
    for (const [action, environment] of this.environmentsUsed) {
      if (defined.has(environment)) continue;
      const known = defined.size ? `it defines ${[...defined].map(n => `'${n}'`).join(', ')}` : 'it defines none';
      console.warn(`warning: ${this.label}: action '${action}' runs in environment '${environment}', which no Environment of the blueprint defines (${known})`);
    }
  }
}

/** The actions of a workflow (and of its action groups) that name an environment, with that name. */
function environmentsOf(actions: unknown, prefix = ''): [string, string][] {
  if (actions === null || typeof actions !== 'object') return [];
  return Object.entries(actions as Record<string, any>).flatMap(([name, action]): [string, string][] => {
    if (action === null || typeof action !== 'object') return [];
    if (action.Actions) return environmentsOf(action.Actions, `${prefix}${name}.`);
    const environment = action.Environment?.Name;
    return typeof environment === 'string' && environment !== '' ? [[`${prefix}${name}`, environment]] : [];
  });
}

/** The file's text: the YAML, commented out if asked, below the additional comments. */
function renderWorkflow(definition: any, options: WorkflowOptions | undefined): string {
  let text = yaml().stringify(definition, { indent: 2, lineWidth: 0, ...options?.YAMLOptions });
  if (options?.commented) {
    // Every line, the empty one after the final newline included: the file ends with '# '.
    text = text.split('\n').map(comment).join('\n');
  }
  if (options?.additionalComments) {
    text = [options.additionalComments.map(comment).join('\n'), text].join('\n');
  }
  return text;
}

function comment(line: string): string {
  return `# ${line}`;
}
