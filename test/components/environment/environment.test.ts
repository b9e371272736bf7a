import { Blueprint } from '../../../src/blueprint/blueprint';
import { PathEscapeError } from '../../../src/bundle/paths';
import { Environment } from '../../../src/components/environment';
import { convertToWorkflowEnvironment } from '../../../src/components/workflow';
import { asText, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { environmentScenarios } from '../../fixtures/components/scenarios';
import { tempDir } from '../../util';

describe('Environment: same bundle as the SDK', () => {
  const refused = sdkErrors('environment');

  for (const scenario of environmentScenarios.filter(s => !refused[s.name])) {
    test(scenario.name, () => {
      const { files, error } = runWithBluesynth(scenario);
      expect(error).toBeUndefined();
      const expected = sdkBundle('environment', scenario.name);
      expect(asText(files)).toEqual(asText(expected));
      for (const file of Object.keys(expected)) expect(files[file].equals(expected[file])).toBe(true);
    });
  }

  test('the same account linked twice is one file (the SDK fails on the second)', () => {
    expect(refused['same-account-twice']).toMatch(/there is already a file under aws-account-to-environment\/acct-dffe3\.yaml/);
    const { files, error } = runWithBluesynth(environmentScenarios.find(s => s.name === 'same-account-twice')!);
    expect(error).toBeUndefined();
    expect(Object.keys(files).sort()).toEqual(['aws-account-to-environment/acct-dffe3.yaml', 'environments/prod-a1dc4.yaml']);
    expect(files['aws-account-to-environment/acct-dffe3.yaml'].toString()).toBe('\nenvironmentName: prod\nname: acct\n');
  });
});

class TestBlueprint extends Blueprint {}
const newBlueprint = () => new TestBlueprint({ outdir: tempDir('bluesynth-environment-') });

describe('Environment', () => {
  test('account keys, roles and the workflow view', () => {
    const env = new Environment(newBlueprint(), {
      name: 'prod',
      environmentType: 'PRODUCTION',
      main: { id: '1', name: 'main', deploy: { name: 'deploy', arn: 'a', capabilities: [] }, build: { name: 'build', arn: 'b', capabilities: [] } },
      none: null,
    } as any);
    expect(env.accountKeys).toEqual(['main', 'none']);
    expect(env.getRoles('main').map(role => role.name)).toEqual(['deploy', 'build']);
    expect(env.getRoles('none')).toEqual([]);
    expect(convertToWorkflowEnvironment(env)).toEqual({
      Name: 'prod',
      Connections: [{ Name: 'main', Role: 'deploy' }, { Name: 'main', Role: 'build' }],
    });
    expect(env.paths).toHaveLength(2);
    expect(env.paths[0]).toBe('environments/prod-a1dc4.yaml');
    expect(env.paths[1]).toMatch(/^aws-account-to-environment\/main-[0-9a-f]{5}\.yaml$/);
  });

  test('a name that would leave the bundle is refused when constructed, naming the environment', () => {
    expect(() => new Environment(newBlueprint(), { name: '../../x', environmentType: 'PRODUCTION' })).toThrow(PathEscapeError);
    expect(() => new Environment(newBlueprint(), { name: '../../x', environmentType: 'PRODUCTION' })).toThrow(/^Environment '\.\.\/\.\.\/x': path '\.\.\/x-[0-9a-f]{5}\.yaml' escapes the bundle$/);
  });
});
