/**
 * bluesynth/projen: the projen project type of a custom blueprint's repository. A separate entry, so that
 * the runtime entry blueprints import never loads projen's project types.
 */
export { BlueprintHealthConfiguration, BlueprintSnapshotConfiguration, ProjenBlueprint, ProjenBlueprintOptions } from './blueprint';
