import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../../src/blueprint/errors';
import { asText, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { secretErrorScenarios, secretScenarios } from '../../fixtures/components/scenarios';

describe('Secret: same bundle as the SDK', () => {
  for (const scenario of secretScenarios) {
    test(scenario.name, () => {
      const { files, error } = runWithBluesynth(scenario);
      expect(error).toBeUndefined();
      const expected = sdkBundle('secret', scenario.name);
      expect(asText(files)).toEqual(asText(expected));
      for (const file of Object.keys(expected)) expect(files[file].equals(expected[file])).toBe(true);
    });
  }
});

/** What bluesynth says for each input the SDK refuses: the field and the bad value, quoted. */
const MESSAGES: { [scenario: string]: RegExp } = {
  'name-pattern-space': /^Secret: name "my secret" must be letters and digits, joined by single '-' or '_'/,
  'name-pattern-leading-dash': /^Secret: name "-secret" must be letters and digits/,
  'name-pattern-double-underscore': /^Secret: name "a__b" must be letters and digits/,
  'name-too-short': /^Secret 'ab': name "ab" must have 3 to 255 characters \(it has 2\)$/,
  'name-too-long': /^Secret 'x{256}': name "x{39}… must have 3 to 255 characters \(it has 256\)$/,
  'description-too-long': /^Secret 'token': description "d{39}… must have at most 1000 characters \(it has 1001\)$/,
  'same-file-prefix': /^Secret 'abcde-2': name "abcde-2" gives the file secrets\/abcde-bbe50\.yaml, which secret "abcde-1" already writes/,
};

describe('Secret: refuses what the SDK refuses', () => {
  const refused = sdkErrors('secret');

  test('every refused scenario is covered', () => {
    expect(Object.keys(refused).sort()).toEqual(secretErrorScenarios.map(s => s.name).sort());
    expect(Object.keys(MESSAGES).sort()).toEqual(Object.keys(refused).sort());
  });

  for (const scenario of secretErrorScenarios) {
    test(scenario.name, () => {
      const { error } = runWithBluesynth(scenario);
      expect(error).toBeInstanceOf(BlueprintSynthesisError);
      expect((error as BlueprintSynthesisError).type).toBe(BlueprintSynthesisErrorTypes.ValidationError);
      expect((error as Error).message).toMatch(MESSAGES[scenario.name]);
    });
  }
});
