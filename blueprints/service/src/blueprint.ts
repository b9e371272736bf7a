import {
  AccountConnection,
  Blueprint as ParentBlueprint,
  BlueprintOwnershipFile,
  BlueprintSynthesisError,
  BlueprintSynthesisErrorTypes,
  DevEnvironment,
  Environment,
  EnvironmentDefinition,
  Issue,
  MergeStrategies,
  Options as ParentOptions,
  PullRequestEvent,
  Region,
  Role,
  SampleWorkspaces,
  Secret,
  SourceFile,
  SourceRepository,
  Strategy,
  SubstitutionAsset,
  Workflow,
  WorkflowBuilder,
  addPostStartEvent,
  convertToWorkflowEnvironment,
  generateInputs,
} from 'bluesynth';
import { JestReporter, NodePackageManager, UpdateSnapshot } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import defaults from './defaults.json';

/**
 * The options of the service blueprint. The wizard shows them in this order; `src/defaults.json` holds the
 * value of each, and every wizard configuration is deep-merged over it.
 */
export interface Options extends ParentOptions {
  /**
   * The service's name. It names the source repository, the npm package, the container image and the
   * `service` field of every log line.
   * @displayName Service name
   * @validationRegex /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
   * @validationMessage Lower-case letters and digits in words joined by single dashes, starting with a letter (for example 'order-service').
   */
  serviceName: string;

  /**
   * One or two sentences on what the service is for. They open the README and the package description.
   * @displayName Description
   * @textArea 3
   */
  description: string;

  /**
   * The Node.js major version the service is built, tested, run and containerized with.
   * @displayName Node.js version
   */
  nodeVersion: '20' | '22';

  /**
   * The HTTP resources the service serves, one per entry: `/<name>` gets list, create, read, replace and
   * delete routes in `src/routes/<name>.ts`, with a test in `test/routes/<name>.test.ts`.
   * @displayName Resources
   * @validationRegex /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
   * @validationMessage Lower-case letters and digits in words joined by single dashes (for example 'line-items').
   */
  resources: string[];

  /**
   * How the service runs; written to `config/default.json`, which the environment can override.
   * @displayName Runtime settings
   * @collapsed true
   */
  runtime: {
    /**
     * The port the service listens on, from 1 to 65535 (`PORT` overrides it).
     * @displayName Port
     */
    port: number;

    /**
     * The least severe level logged (`LOG_LEVEL` overrides it).
     * @displayName Log level
     */
    logLevel: 'debug' | 'info' | 'warn' | 'error';

    /**
     * Requests that take at least this many milliseconds are logged at `warn` as slow.
     * @displayName Slow request threshold (ms)
     */
    slowRequestMs: number;

    /**
     * Browser origins allowed to call the service (CORS), for example `https://app.example.com`; `*` allows any.
     * Leave empty to allow none.
     * @displayName Allowed CORS origins
     * @validationRegex /^(\*|https?:\/\/[a-zA-Z0-9.-]+(:[0-9]+)?)$/
     * @validationMessage An origin such as 'https://app.example.com' (no path), or '*'.
     */
    corsOrigins: string[];
  };

  /**
   * Whether to build a container image and how to publish it.
   * @displayName Container image
   * @collapsed true
   */
  container: {
    /**
     * Adds a Dockerfile, and a workflow that builds the image and pushes it to Amazon ECR on every push to the
     * default branch.
     * @displayName Build and publish a container image
     */
    enabled: boolean;

    /**
     * The Amazon ECR repository the image is pushed to.
     * @displayName ECR repository
     * @validationRegex /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/
     * @validationMessage Lower-case letters, digits and '.', '_', '-' or '/' between them.
     */
    ecrRepository: string;

    /**
     * The AWS region of the ECR repository.
     * @displayName Region
     */
    region: Region<['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']>;
  };

  /**
   * How changes reach the default branch.
   * @displayName Delivery
   * @collapsed true
   */
  delivery: {
    /**
     * The branch that workflows build on push and pull requests target.
     * @displayName Default branch
     * @validationRegex /^[a-zA-Z0-9][a-zA-Z0-9._\/-]{0,99}$/
     * @validationMessage A branch name: letters, digits, '.', '_', '-' and '/', at most 100 characters.
     */
    defaultBranch: string;

    /**
     * The share of lines the tests must cover, in percent; below it the test action fails.
     * @displayName Coverage threshold (%)
     */
    coverageThreshold: number;

    /**
     * The npm registry packages are installed from, without the scheme (for example `registry.npmjs.org` or a
     * CodeArtifact endpoint).
     * @displayName npm registry
     * @validationRegex /^[a-zA-Z0-9.-]+(:[0-9]+)?(\/[a-zA-Z0-9._~-]+)*\/?$/
     * @validationMessage A host name, optionally with a port and a path, without 'https://'.
     */
    npmRegistry: string;

    /**
     * The project secret that holds the registry's token; the wizard asks for its value.
     * @displayName Registry token secret
     * @validationRegex /^(?=.{3,255}$)[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/
     * @validationMessage 3 to 255 letters and digits in words joined by single '-' or '_'.
     */
    registryTokenSecret: string;
  };

  /**
   * Opens one issue per resource, tracking its move from the in-memory store to real storage.
   * @displayName Open an issue per resource
   */
  storageIssues: boolean;

  /**
   * The environment the container image is published through.
   * @displayName Environment
   * @showName true
   * @showEnvironmentType true
   * @collapsed false
   */
  environment: EnvironmentDefinition<{
    /**
     * The AWS account that holds the ECR repository.
     * @displayName AWS account connection
     * @collapsed false
     */
    awsAccountConnection: AccountConnection<{
      /**
       * The role the workflow assumes to push images: it needs `ecr:GetAuthorizationToken` and push access to the
       * repository.
       * @displayName Image publishing role
       */
      publishRole: Role<['CodeCatalyst', 'ECR']>;
    }>;
  }>;

  /**
   * Labels put on every issue the blueprint opens. The platform team sets them; the wizard does not show them.
   * @hidden true
   */
  issueLabels: string[];
}

/** Names derived from a resource name such as `line-items`. */
interface ResourceNames {
  /** The path segment and file name: `line-items`. */
  readonly name: string;
  /** The record type: `LineItemsRecord`. */
  readonly type: string;
  /** The function that adds its routes: `registerLineItemsRoutes`. */
  readonly register: string;
  /** The function that empties its store: `clearLineItems`. */
  readonly clear: string;
}

/** The workflow every configuration gets. */
const BUILD_WORKFLOW = 'build-and-test';
/** The workflow that publishes the container image. */
const PUBLISH_WORKFLOW = 'publish-image';

/**
 * A Node.js HTTP service in TypeScript: a source repository (service code, tests, a route module per
 * resource, configuration from the options, scripts, docs and optionally a Dockerfile) managed as a projen
 * TypeScript project, a build-and-test workflow (and one publishing the container image), the environment the
 * image is published through, the registry token secret, a dev environment and starter issues.
 */
export class Blueprint extends ParentBlueprint {
  constructor(options_: Options) {
    super(options_);
    // The CLI has merged the wizard configuration over the defaults already; this covers a direct construction.
    const options: Options = { ...(defaults as Omit<Options, 'outdir'>), ...options_ };
    validate(this, options);

    const resources = options.resources.map(resourceNames);
    const repository = new SourceRepository(this, { title: options.serviceName });

    const environment = new Environment(this, options.environment);
    const secret = new Secret(this, {
      name: options.delivery.registryTokenSecret,
      description: `Token of the npm registry ${options.delivery.npmRegistry}, read by the ${options.serviceName} workflows.`,
    });

    // The repository is a projen TypeScript project: package.json, the tsconfigs, .gitignore and .projen/.
    this.addProjenProject(repository, options);

    // Static assets, with the options substituted; the registry of routes is generated for the chosen resources.
    const image = `${options.container.ecrRepository}:latest`;
    repository.copyStaticFiles({
      from: 'repository',
      substitute: {
        serviceName: options.serviceName,
        description: options.description,
        nodeVersion: options.nodeVersion,
        port: String(options.runtime.port),
        logLevel: options.runtime.logLevel,
        slowRequestMs: String(options.runtime.slowRequestMs),
        coverageThreshold: String(options.delivery.coverageThreshold),
        defaultBranch: options.delivery.defaultBranch,
        npmRegistry: options.delivery.npmRegistry,
        tokenSecret: secret.name,
        blueprintName: this.context.package.name ?? 'service',
        resources: resources.map(resource => ({ name: resource.name })),
        // A one-element list is Mustache's "if": the section renders once, with these values.
        docker: options.container.enabled ? [{ image, region: options.container.region, environmentName: environment.name }] : [],
      },
      map: file => (file.path === 'src/routes/index.ts' ? { ...file, content: routeRegistry(resources) } : file),
    });
    if (!options.container.enabled) {
      repository.removeFile('Dockerfile');
      repository.removeFile('.dockerignore');
    }

    // From the options: one route module and one test per resource, and the configuration file.
    const routeTemplate = new SubstitutionAsset('templates/route.ts.mustache');
    const testTemplate = new SubstitutionAsset('templates/route.test.ts.mustache');
    for (const resource of resources) {
      new SourceFile(repository, `src/routes/${resource.name}.ts`, routeTemplate.substitute(resource));
      new SourceFile(repository, `test/routes/${resource.name}.test.ts`, testTemplate.substitute(resource));
    }
    const config = {
      serviceName: options.serviceName,
      port: options.runtime.port,
      logLevel: options.runtime.logLevel,
      slowRequestMs: options.runtime.slowRequestMs,
      corsOrigins: options.runtime.corsOrigins,
    };
    new SourceFile(repository, 'config/default.json', JSON.stringify(config, null, 2) + '\n');

    this.addWorkflows(repository, options, environment, secret);
    this.addDevEnvironment(repository, options);
    this.addIssues(options, resources);

    // Who owns what after generation; recorded in the repository and registered for resynthesis alike.
    const strategies = ownershipStrategies(options);
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies } });
    repository.setResynthStrategies(strategies);
  }

  /** The projen TypeScript project of the repository. Nothing is installed: a bundle is files only. */
  private addProjenProject(repository: SourceRepository, options: Options): void {
    const project = new TypeScriptProject({
      parent: this,
      outdir: repository.relativePath,
      name: options.serviceName,
      description: options.description,
      defaultReleaseBranch: options.delivery.defaultBranch,
      entrypoint: 'lib/main.js',
      minNodeVersion: `${options.nodeVersion}.0.0`,
      packageManager: NodePackageManager.NPM,
      tsconfig: { compilerOptions: { target: 'ES2022', lib: ['es2022'] } },
      projenDevDependency: true,
      licensed: false,
      sampleCode: false,
      npmignoreEnabled: false,
      // Only the project: CodeCatalyst workflows build it, so no GitHub files, and no tools that install on their own.
      github: false,
      buildWorkflow: false,
      release: false,
      depsUpgrade: false,
      pullRequestTemplate: false,
      vscode: false,
      eslint: false,
      prettier: false,
      devDeps: ['jest-junit'],
      // Test results and coverage where the workflow's test action collects them (reports/report.xml, reports/cov.xml).
      jestOptions: {
        junitReporting: false,
        updateSnapshot: UpdateSnapshot.NEVER,
        jestConfig: {
          coverageDirectory: 'reports',
          coverageReporters: ['cobertura'],
          coverageThreshold: { lines: options.delivery.coverageThreshold },
          reporters: [new JestReporter('jest-junit', { outputDirectory: 'reports', outputName: 'report.xml' })],
        },
      },
    });
    project.package.addField('private', true);
    project.package.file.addDeletionOverride('publishConfig');
    // A subproject's default task runs projen in its parent's folder; this repository stands alone, and its
    // projen files are regenerated by the blueprint rather than by a .projenrc of its own.
    project.defaultTask?.reset();
  }

  /** `build-and-test` always; `publish-image` when the service has a container image. */
  private addWorkflows(repository: SourceRepository, options: Options, environment: Environment, secret: Secret): void {
    const branch = options.delivery.defaultBranch;
    const install = `npm config set "//${options.delivery.npmRegistry}/:_authToken=$NPM_TOKEN" && npm install --no-audit --no-fund`;
    const inputs = {
      Sources: ['WorkflowSource'],
      Variables: { NPM_TOKEN: secret.reference, npm_config_registry: `https://${options.delivery.npmRegistry}/` },
    };

    const build = new WorkflowBuilder(this);
    build.setName(BUILD_WORKFLOW);
    build.addBranchTrigger([branch]);
    build.addPullRequestTrigger([PullRequestEvent.OPEN, PullRequestEvent.REVISION], [branch]);
    build.addBuildAction({
      actionName: 'build',
      input: inputs,
      steps: [install, 'npx projen compile'],
      output: { Artifacts: [{ Name: 'compiled', Files: ['lib/**/*'] }] },
    });
    build.addTestAction({
      actionName: 'test',
      dependsOn: ['build'],
      coverageArtifactName: 'coverage',
      testArtifactName: 'tests',
      steps: [{ Run: install }, { Run: 'npx projen test' }, { Run: 'mv reports/cobertura-coverage.xml reports/cov.xml' }],
    });
    // addTestAction takes no inputs; the test action installs packages too, so it needs the build's variables.
    const actions = build.getDefinition().Actions!;
    actions.test = { DependsOn: actions.test.DependsOn, Identifier: actions.test.Identifier, Inputs: generateInputs(inputs), ...actions.test };
    new Workflow(this, repository, build.getDefinition());

    if (!options.container.enabled) return;
    const registry = `${options.environment.awsAccountConnection?.id ?? '<account>'}.dkr.ecr.${options.container.region}.amazonaws.com`;
    const publish = new WorkflowBuilder(this);
    publish.setName(PUBLISH_WORKFLOW);
    publish.addBranchTrigger([branch], ['src/**', 'config/**', 'package.json', 'Dockerfile']);
    publish.addBuildAction({
      actionName: 'publish',
      input: { ...inputs, Variables: { ...inputs.Variables, IMAGE: `${registry}/${options.container.ecrRepository}` } },
      environment: convertToWorkflowEnvironment(environment),
      steps: [
        `npm config set "//${options.delivery.npmRegistry}/:_authToken=$NPM_TOKEN"`,
        `aws ecr get-login-password --region ${options.container.region} | docker login --username AWS --password-stdin ${registry}`,
        'DOCKER_BUILDKIT=1 docker build --secret id=npmrc,src=$HOME/.npmrc -t "$IMAGE:${WorkflowSource.CommitId}" -t "$IMAGE:latest" .',
        'docker push --all-tags "$IMAGE"',
      ],
    });
    new Workflow(this, repository, publish.getDefinition());
  }

  /** A dev environment on the universal image that installs the dependencies when it starts. */
  private addDevEnvironment(repository: SourceRepository, options: Options): void {
    // SampleWorkspaces are shared objects that addPostStartEvent changes in place: work on a copy.
    const devfile = structuredClone(SampleWorkspaces.latest);
    devfile.metadata.description = `Develops ${options.serviceName} on Node.js ${options.nodeVersion}`;
    addPostStartEvent(devfile, { eventName: 'npm-install', command: 'npm install --no-audit --no-fund', component: 'aws-runtime' });
    new DevEnvironment(this, repository, devfile);
  }

  /** A production-readiness checklist, and with `storageIssues` one issue per resource. */
  private addIssues(options: Options, resources: ResourceNames[]): void {
    const labels = options.issueLabels.length ? options.issueLabels : undefined;
    new Issue(this, 'production-readiness', {
      title: `${options.serviceName}: production readiness`,
      priority: 'HIGH',
      labels,
      content: [
        `Before ${options.serviceName} takes production traffic:`,
        '',
        `- [ ] Store the registry token in the secret \`${options.delivery.registryTokenSecret}\``,
        `- [ ] Alarm on the error rate and on \`slow request\` log lines (over ${options.runtime.slowRequestMs} ms)`,
        '- [ ] Route `/readyz` to the load balancer\'s health check',
        '- [ ] Run a load test at twice the expected peak',
        '- [ ] Fill in `docs/runbook.md` with the on-call contacts',
      ].join('\n'),
    });
    if (!options.storageIssues) return;
    for (const resource of resources) {
      new Issue(this, `storage-${resource.name}`, {
        title: `Persist /${resource.name} in real storage`,
        priority: 'MEDIUM',
        labels,
        content: `\`src/routes/${resource.name}.ts\` keeps its records in memory: they are lost on restart and not shared between instances. Move them to the team's datastore and keep \`test/routes/${resource.name}.test.ts\` passing.`,
      });
    }
  }
}

/** Checks what the wizard's regular expressions cannot, with messages that name the option. */
function validate(blueprint: ParentBlueprint, options: Options): void {
  const fail = (message: string) =>
    blueprint.throwSynthesisError(new BlueprintSynthesisError({ message, type: BlueprintSynthesisErrorTypes.ValidationError }));
  const duplicate = options.resources.find((resource, index) => options.resources.indexOf(resource) !== index);
  if (duplicate) fail(`resources lists '${duplicate}' twice`);
  const port = options.runtime.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`runtime.port must be a port number, not ${port}`);
  const threshold = options.delivery.coverageThreshold;
  if (!(threshold >= 0 && threshold <= 100)) fail(`delivery.coverageThreshold must be a percentage, not ${threshold}`);
}

function resourceNames(name: string): ResourceNames {
  const pascal = name
    .split('-')
    .map(word => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  return { name, type: `${pascal}Record`, register: `register${pascal}Routes`, clear: `clear${pascal}` };
}

/** `src/routes/index.ts`: every resource's routes, in the order of the options. */
function routeRegistry(resources: ResourceNames[]): string {
  return [
    "import { Router } from '../router';",
    ...resources.map(resource => `import { ${resource.register} } from './${resource.name}';`),
    '',
    '/** Adds the routes of every resource the service serves. */',
    'export function registerResourceRoutes(router: Router): void {',
    ...resources.map(resource => `  ${resource.register}(router);`),
    ...(resources.length ? [] : ['  void router;']),
    '}',
    '',
  ].join('\n');
}

/**
 * How a resynthesis treats each file (the last entry that matches wins): source is merged line by line, the
 * team's documents are theirs after the first generation, and projen's files follow the blueprint.
 */
function ownershipStrategies(options: Options): Strategy[] {
  return [
    {
      identifier: 'service_source',
      description: 'Service code, tests, scripts and build files: merged line by line with the team\'s changes.',
      strategy: MergeStrategies.threeWayMerge,
      globs: ['src/**', 'test/**', 'scripts/**', 'config/**', '.codecatalyst/**', 'devfile.yaml', '.nvmrc', ...(options.container.enabled ? ['Dockerfile', '.dockerignore'] : [])],
    },
    {
      identifier: 'team_documents',
      description: 'Written once; the team owns them from then on.',
      strategy: MergeStrategies.neverUpdate,
      globs: ['README.md', 'CONTRIBUTING.md', 'docs/**', '.editorconfig'],
    },
    {
      identifier: 'projen_managed',
      description: 'Generated by projen from the blueprint\'s options: change the options, not the files.',
      strategy: MergeStrategies.alwaysUpdate,
      globs: ['package.json', 'tsconfig.json', 'test/tsconfig.json', '.projen/**', '.gitignore', '.gitattributes'],
    },
  ];
}
