import { asText, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { devEnvironmentScenarios } from '../../fixtures/components/scenarios';

describe('DevEnvironment: same bundle as the SDK', () => {
  test('the SDK refused none of these scenarios', () => {
    expect(sdkErrors('dev-environment')).toEqual({});
  });

  for (const scenario of devEnvironmentScenarios) {
    test(scenario.name, () => {
      const { files, error } = runWithBluesynth(scenario);
      expect(error).toBeUndefined();
      const expected = sdkBundle('dev-environment', scenario.name);
      expect(asText(files)).toEqual(asText(expected));
      for (const file of Object.keys(expected)) expect(files[file].equals(expected[file])).toBe(true);
    });
  }
});
