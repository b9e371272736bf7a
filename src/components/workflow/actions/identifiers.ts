/** Short names of the actions the builder adds, resolved to an identifier by {@link getDefaultActionIdentifier}. */
export enum ActionIdentifierAlias {
  /** A build action. */
  build = 'build',
  /** A CloudFormation deploy action. */
  deploy = 'deploy',
  /** A managed test action. */
  test = 'test',
  /** A CDK deploy action. */
  cdkDeploy = 'cdkDeploy',
  /** A CDK bootstrap action. */
  cdkBootstrap = 'cdkBootstrap',
  /** The publish-blueprint action. */
  publishBlueprint = 'publishBlueprint',
}

/** An action's identifier in the production environment, and in every other (pre-release) environment. */
interface IdentifierByEnvironment {
  readonly prod: string;
  readonly default: string;
}

function released(name: string, preRelease: string): IdentifierByEnvironment {
  return { prod: `aws/${name}@v1`, default: `aws/${name}-${preRelease}@v1` };
}

const BUILD = released('build', 'beta');
const TEST = released('managed-test', 'gamma');
const CFN_DEPLOY = released('cfn-deploy', 'gamma');
const CDK_DEPLOY = released('cdk-deploy', 'gamma');
const CDK_BOOTSTRAP = released('cdk-bootstrap', 'gamma');

/**
 * The identifier table of the SDK: an alias or a released identifier maps to the identifier of the
 * environment the blueprint runs in. CodeCatalyst's own environment id is `prod`; anything else
 * (including no id at all, as when a blueprint is constructed outside the CLI) gets the pre-release actions.
 */
const IDENTIFIERS: { readonly [aliasOrIdentifier: string]: IdentifierByEnvironment } = {
  [ActionIdentifierAlias.build]: BUILD,
  [ActionIdentifierAlias.test]: TEST,
  [ActionIdentifierAlias.deploy]: CFN_DEPLOY,
  [ActionIdentifierAlias.cdkDeploy]: CDK_DEPLOY,
  [ActionIdentifierAlias.cdkBootstrap]: CDK_BOOTSTRAP,
  [ActionIdentifierAlias.publishBlueprint]: { prod: 'aws/publish-blueprint-action@v1', default: 'aws/publish-blueprint-action@v1' },
  [BUILD.prod]: BUILD,
  [TEST.prod]: TEST,
  [CFN_DEPLOY.prod]: CFN_DEPLOY,
  [CDK_DEPLOY.prod]: CDK_DEPLOY,
  [CDK_BOOTSTRAP.prod]: CDK_BOOTSTRAP,
  'aws/github-actions-runner@v1': released('github-actions-runner', 'beta'),
};

/**
 * The action identifier for an alias (`build`, `test`, ...) or a released identifier (`aws/build@v1`)
 * in the given environment (the blueprint's `context.environmentId`); anything else is returned as it is.
 */
export function getDefaultActionIdentifier(identifier: string, environmentIdentifier: string = 'default'): string | undefined {
  const known = Object.prototype.hasOwnProperty.call(IDENTIFIERS, identifier) ? IDENTIFIERS[identifier] : undefined;
  if (!known) return identifier;
  return environmentIdentifier === 'prod' ? known.prod : known.default;
}
