import { ProjenBlueprint } from 'bluesynth/projen';

/**
 * The projen definition of this blueprint's repository: package.json, tsconfig, jest and .gitignore
 * are generated from here. Edit this file and run `npx projen`.
 */
const project = new ProjenBlueprint({
  name: '<%= name %>',
  displayName: '<%= displayName %>',
  description: 'A custom blueprint.',
  defaultReleaseBranch: 'main',
  bluesynthVersion: '<%= bluesynthVersion %>',
  // Which generated files the snapshot tests compare, for example ['**', '!**/package-lock.json'].
  blueprintSnapshotConfiguration: { snapshotGlobs: ['**'] },
});

project.synth();
