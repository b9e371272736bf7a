import type { AccountConnection, EnvironmentDefinition, Role } from '../../../src/components/environment';
import type { DynamicKVInput, KVSchema, MultiSelect, OptionsSchemaDefinition, Region, Selector, SimpleDynamicElement, Tuple } from '../../../src/schema/wizard-types';

/** An `Options` interface as SDK blueprints declare it: it must compile, and wizard JSON must fit it. */
interface Options {
  environment: EnvironmentDefinition<{
    awsAccount: AccountConnection<{ deployRole: Role<['CloudFormation', 'Lambda']> }>;
  }>;
  repository: Selector<{ kind: 'repository' }>;
  runtimes: MultiSelect<'node' | 'python'>;
  pair: Tuple<['key', 'value']>;
  regions: Region<['us-east-1', 'us-west-2']>;
  tags: SimpleDynamicElement<Tuple<[string, string]>>[];
  dynamic: OptionsSchemaDefinition<'my-schema', KVSchema, { [key: string]: string }>;
}

test('wizard JSON fits the option types', () => {
  const options: Options = {
    environment: {
      name: 'prod',
      environmentType: 'PRODUCTION',
      awsAccount: { id: '1', name: 'a', deployRole: { name: 'r', arn: 'arn', capabilities: ['CloudFormation'] } },
    },
    repository: 'my-repo',
    runtimes: ['node'],
    pair: ['a', 1],
    regions: 'us-east-1',
    tags: [{ element: ['k', 'v'], required: true }],
    dynamic: undefined,
  };
  const schema: DynamicKVInput = { key: 'k', value: null, displayType: 'environment', environmentOptions: { accountConnections: [{ name: 'a', roles: [{ name: 'r', capabilities: [] }] }] } };
  expect(options.environment.awsAccount?.deployRole?.capabilities).toEqual(['CloudFormation']);
  expect(schema.key).toBe('k');
});
