import * as path from 'path';
import { snapshotBlueprint } from 'bluesynth/testing';

// Synthesizes every wizard configuration (src/wizard-configurations/*.json over src/defaults.json) and
// compares each generated file with its snapshot. After an intended change: yarn test:update.
snapshotBlueprint(path.join(__dirname, '..'), require('../package.json').blueprintSnapshotConfiguration);
