import type { WorkspaceDefinition } from './definition';

function universal(image: string): WorkspaceDefinition {
  return {
    schemaVersion: '2.0.0',
    metadata: {
      name: 'aws-universal',
      version: '1.0.1',
      displayName: 'AWS Universal',
      description: 'Stack with AWS Universal Tooling',
      tags: ['aws', 'a12'],
      projectType: 'aws',
    },
    components: [
      {
        name: 'aws-runtime',
        container: {
          image,
          mountSources: true,
          volumeMounts: [{ name: 'docker-store', path: '/var/lib/docker' }],
        },
      },
      { name: 'docker-store', volume: { size: '16Gi' } },
    ],
  };
}

/**
 * Devfiles for CodeCatalyst's universal image. As in the SDK these are shared objects: blueprints
 * add events to them in place (`addPostStartEvent(SampleWorkspaces.default, ...)`) and then write them
 * (`new DevEnvironment(this, repository, SampleWorkspaces.default)`), so each access must return the same
 * object, and a getter making a fresh one per access would drop those events. Code that constructs
 * blueprints one after another in one module registry sees the earlier ones' changes; a job process
 * starts from a fresh registry, and `runInProcess` loads the framework afresh for each job to match.
 */
export class SampleWorkspaces {
  /** The universal image, version 4.0. */
  static readonly default: WorkspaceDefinition = universal('public.ecr.aws/aws-mde/universal-image:4.0');
  /** The universal image, latest version. */
  static readonly latest: WorkspaceDefinition = universal('public.ecr.aws/aws-mde/universal-image:latest');
}
