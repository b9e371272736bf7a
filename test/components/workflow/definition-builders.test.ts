import { ActionGroupDefinitionBuilder, BlueprintSynthesisError, WorkflowDefinitionBuilder, sdk } from '../../../src';
import { Blueprint } from '../../../src/blueprint/blueprint';
import { tempDir } from '../../util';

/**
 * The SDK's experimental definition builders. What they write is checked against the SDK's own output in
 * workflow.test.ts (scenarios definition-builders-*); these are the rules around it.
 */
describe('WorkflowDefinitionBuilder and ActionGroupDefinitionBuilder', () => {
  const blueprint = () => new Blueprint({ outdir: tempDir() });

  test("start from the generated class's defaults, the starter definition on top; the definition is not a copy", () => {
    const builder = new WorkflowDefinitionBuilder(blueprint(), { starterDefinition: { Name: 'mine', Compute: { Type: 'LAMBDA' } } });
    expect(builder.getDefinition()).toEqual({ Name: 'mine', SchemaVersion: '1.0', RunMode: 'PARALLEL', Actions: {}, Compute: { Type: 'LAMBDA' } });
    expect(builder.getDefinition()).toBe(builder.genericBuilder.definition);
    expect(new WorkflowDefinitionBuilder(blueprint()).getDefinition().Name).toBe('build-workflow');
  });

  test('a group keeps its starter keys but not its actions; the action given is not changed', () => {
    const action: sdk.Action = { Identifier: 'build', Configuration: { Steps: [] } };
    const group = new ActionGroupDefinitionBuilder(blueprint(), { starterDefinition: { DependsOn: ['a'], Actions: { old: { Identifier: 'x' } } } });
    group.addAction('new', action);
    expect(group.definition).toEqual({ DependsOn: ['a'], Actions: { new: { Identifier: 'aws/build-beta@v1', Configuration: { Steps: [] } } } });
    expect(action.Identifier).toBe('build');
  });

  test.each([
    ['sdk.WorkflowDefinition.validate', () => sdk.WorkflowDefinition.validate({})],
    ['sdk.fetchSchema', () => sdk.fetchSchema('workflow/Workflow.json')],
  ])('%s, which needs the SDK package\'s JSON Schemas, says that bluesynth does not provide it', (name, call) => {
    expect(call).toThrow(BlueprintSynthesisError);
    expect(call).toThrow(`${name} is not provided by bluesynth`);
    expect(call).toThrow(/install that package in the blueprint/);
  });
});
