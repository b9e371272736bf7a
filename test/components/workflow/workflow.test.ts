import * as YAML from 'yaml';
import { Blueprint } from '../../../src/blueprint/blueprint';
import { PathEscapeError } from '../../../src/bundle/paths';
import { SourceRepository } from '../../../src/components/source-repository/repository';
import {
  Workflow,
  WorkflowBuilder,
  getDefaultActionIdentifier,
  makeCDKDeployWorkflow,
  makeCDKBootstrapWorkflow,
  cfnCleanupSteps,
  convertToWorkflowEnvironment,
} from '../../../src/components/workflow';
import { asText, readTree, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { workflowScenarios } from '../../fixtures/components/scenarios';
import { tempDir } from '../../util';

/** The SDK draws the cleanup's template bucket at random; compare everything but its name. */
const RANDOM_BUCKET = /cfn_template_upload_bucket=[0-9a-z]{63} /g;
const anyBucket = (text: string) => text.replace(RANDOM_BUCKET, 'cfn_template_upload_bucket=<bucket> ');

describe('Workflow: same bundle as the SDK', () => {
  test('the SDK refused none of these scenarios', () => {
    expect(sdkErrors('workflow')).toEqual({});
  });

  for (const scenario of workflowScenarios) {
    test(scenario.name, () => {
      const { files, error } = runWithBluesynth(scenario);
      expect(error).toBeUndefined();
      const expected = sdkBundle('workflow', scenario.name);
      if (scenario.name === 'cfn-cleanup-random-bucket') {
        expect(asText(files, anyBucket)).toEqual(asText(expected, anyBucket));
        return;
      }
      expect(asText(files)).toEqual(asText(expected));
      for (const file of Object.keys(expected)) expect(files[file].equals(expected[file])).toBe(true);
    });
  }
});

class TestBlueprint extends Blueprint {}

function newBlueprint(): { bp: Blueprint; outdir: string; repo: SourceRepository } {
  const outdir = tempDir('bluesynth-workflow-');
  const bp = new TestBlueprint({ outdir });
  return { bp, outdir, repo: new SourceRepository(bp, { title: 'app' }) };
}

describe('WorkflowBuilder', () => {
  test('starts as a build workflow with the given keys on top', () => {
    const { bp } = newBlueprint();
    expect(new WorkflowBuilder(bp).getDefinition()).toEqual({ Name: 'build', SchemaVersion: '1.0', Triggers: [], Actions: {} });
    expect(Object.keys(new WorkflowBuilder(bp, { Name: 'x', Compute: { Type: 'EC2' as any } }).getDefinition())).toEqual([
      'Name', 'SchemaVersion', 'Triggers', 'Actions', 'Compute',
    ]);
  });

  test('the first compute wins', () => {
    const { bp } = newBlueprint();
    const builder = new WorkflowBuilder(bp).addCompute({ Type: 'EC2' as any }).addCompute({ Type: 'Lambda' as any });
    expect(builder.getDefinition().Compute).toEqual({ Type: 'EC2' });
  });

  test('addGenericAction keys the action by actionName and removes it from the object given', () => {
    const { bp } = newBlueprint();
    const action: any = { actionName: 'Custom', Identifier: 'me/action@v1' };
    new WorkflowBuilder(bp).addGenericAction(action);
    expect(action).toEqual({ Identifier: 'me/action@v1' });
  });
});

describe('action identifiers', () => {
  test.each([
    ['build', 'prod', 'aws/build@v1'],
    ['build', undefined, 'aws/build-beta@v1'],
    ['build', 'gamma', 'aws/build-beta@v1'],
    ['test', 'prod', 'aws/managed-test@v1'],
    ['deploy', 'prod', 'aws/cfn-deploy@v1'],
    ['cdkDeploy', undefined, 'aws/cdk-deploy-gamma@v1'],
    ['aws/cdk-bootstrap@v1', undefined, 'aws/cdk-bootstrap-gamma@v1'],
    ['publishBlueprint', undefined, 'aws/publish-blueprint-action@v1'],
    ['aws/github-actions-runner@v1', undefined, 'aws/github-actions-runner-beta@v1'],
    ['me/my-action@v2', 'prod', 'me/my-action@v2'],
    ['constructor', 'prod', 'constructor'],
  ])('%s in %s is %s', (alias, environmentId, identifier) => {
    expect(getDefaultActionIdentifier(alias, environmentId)).toBe(identifier);
  });
});

describe('Workflow', () => {
  test('renders the definition when constructed: later changes do not show', () => {
    const { bp, outdir, repo } = newBlueprint();
    const definition = { Name: 'snap', Triggers: [] as any[] };
    new Workflow(bp, repo, definition);
    definition.Triggers.push({ Type: 'PUSH' });
    bp.synth();
    expect(readTree(outdir)['src/app/.codecatalyst/workflows/snap.yaml'].toString()).toBe('Name: snap\nTriggers: []\n');
  });

  test('is a file of its repository: listed by getFiles and removable', () => {
    const { bp, outdir, repo } = newBlueprint();
    new Workflow(bp, repo, { Name: 'gone' });
    expect(Object.keys(repo.getFiles())).toEqual(['.codecatalyst/workflows/gone.yaml']);
    repo.removeFile('.codecatalyst/workflows/gone.yaml');
    bp.synth();
    expect(Object.keys(readTree(outdir)).filter(f => f.startsWith('src/'))).toEqual([]);
  });

  test('a name that leaves the repository is refused when constructed, naming the workflow', () => {
    const { bp, repo } = newBlueprint();
    expect(() => new Workflow(bp, repo, { Name: '../../../../escape' })).toThrow(PathEscapeError);
    expect(() => new Workflow(bp, repo, { Name: '../../../../escape' })).toThrow(
      "Workflow '../../../../escape' in repository 'app': path '../../escape.yaml' escapes the bundle's repository folder 'src/app'",
    );
  });

  test('its YAML parses back to the definition', () => {
    const { bp, outdir, repo } = newBlueprint();
    const builder = new WorkflowBuilder(bp).addBranchTrigger().addBuildAction({ actionName: 'b', steps: ['x'] });
    new Workflow(bp, repo, builder.getDefinition());
    bp.synth();
    const written = YAML.parse(readTree(outdir)['src/app/.codecatalyst/workflows/build.yaml'].toString());
    expect(written).toEqual(JSON.parse(JSON.stringify(builder.getDefinition())));
  });
});

describe('samples and helpers', () => {
  test('the CDK samples return the action name, as in the SDK', () => {
    const { bp } = newBlueprint();
    const env = { Name: 'e', Connections: [] };
    expect(makeCDKDeployWorkflow(bp, env)).toBe('DeployAction');
    expect(makeCDKBootstrapWorkflow(bp, env)).toBe('BootstrapAction');
  });

  test('the cleanup bucket is stable per stack and a valid bucket name', () => {
    const first = cfnCleanupSteps('stack', 'us-west-2')[2];
    expect(first).toBe(cfnCleanupSteps('stack', 'us-west-2')[2]);
    expect(first).not.toBe(cfnCleanupSteps('stack', 'eu-west-1')[2]);
    expect(first).toMatch(/^cfn_template_upload_bucket=[0-9a-z]{63} #/);
  });

  test('convertToWorkflowEnvironment of nothing is undefined', () => {
    expect(convertToWorkflowEnvironment(undefined)).toBeUndefined();
  });
});
