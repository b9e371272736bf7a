import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../../src/blueprint/errors';
import { asText, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { issueErrorScenarios, issueScenarios } from '../../fixtures/components/scenarios';

describe('Issue: same bundle as the SDK', () => {
  for (const scenario of issueScenarios) {
    test(scenario.name, () => {
      const { files, error } = runWithBluesynth(scenario);
      expect(error).toBeUndefined();
      const expected = sdkBundle('issue', scenario.name);
      expect(asText(files)).toEqual(asText(expected));
      for (const file of Object.keys(expected)) expect(files[file].equals(expected[file])).toBe(true);
    });
  }
});

const ID_RULE = "must be letters and digits, joined by single '-' or '_'";

/** What bluesynth says for each input the SDK refuses: the field and the bad value, quoted. */
const MESSAGES: { [scenario: string]: string | RegExp } = {
  'id-with-space': `Issue: id "bad id" ${ID_RULE} (^[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*$)`,
  'id-trailing-dash': `Issue: id "bad-" ${ID_RULE} (^[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*$)`,
  'id-path': `Issue: id "../escape" ${ID_RULE} (^[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*$)`,
  'id-empty': `Issue: id "" ${ID_RULE} (^[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*$)`,
  'title-empty': `Issue 'i1': title "" must have 1 to 255 characters (it has 0)`,
  'title-too-long': /^Issue 'i1': title "t{39}… must have 1 to 255 characters \(it has 256\)$/,
  'content-too-long': /^Issue 'i1': content "c{39}… must have at most 32767 characters \(it has 32768\)$/,
  'labels-empty': `Issue 'i1': labels [] must be a list of 1 to 50 labels (it has 0)`,
  'labels-too-many': /^Issue 'i1': labels \["l0","l1",.*… must be a list of 1 to 50 labels \(it has 51\)$/,
  'label-empty': `Issue 'i1': labels[1] "" must have 1 to 63 characters (it has 0)`,
  'label-too-long': /^Issue 'i1': labels\[0\] "l{39}… must have 1 to 63 characters \(it has 64\)$/,
  'duplicate-id': `Issue 'same': id "same" is already used by another issue of this blueprint (ids must be unique)`,
};

describe('Issue: refuses what the SDK refuses', () => {
  const refused = sdkErrors('issue');

  test('every refused scenario is covered', () => {
    expect(Object.keys(refused).sort()).toEqual(issueErrorScenarios.map(s => s.name).sort());
    expect(Object.keys(MESSAGES).sort()).toEqual(Object.keys(refused).sort());
  });

  for (const scenario of issueErrorScenarios) {
    test(scenario.name, () => {
      const { error } = runWithBluesynth(scenario);
      expect(error).toBeInstanceOf(BlueprintSynthesisError);
      expect((error as BlueprintSynthesisError).type).toBe(BlueprintSynthesisErrorTypes.ValidationError);
      const expected = MESSAGES[scenario.name];
      if (typeof expected === 'string') expect((error as Error).message).toBe(expected);
      else expect((error as Error).message).toMatch(expected);
    });
  }

  test('a missing title is a validation error, not a TypeError', () => {
    const { error } = runWithBluesynth({
      name: 'no-title',
      run(lib, outdir) {
        new lib.Issue(new lib.Blueprint({ outdir }), 'x', {});
      },
    });
    expect((error as Error).message).toBe("Issue 'x': title undefined must be a string");
  });
});
