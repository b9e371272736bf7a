import * as path from 'path';
import { snapshotBlueprint } from 'bluesynth/testing';

// Every file each wizard configuration of the example generates, against its snapshot (yarn test:update to accept a change).
snapshotBlueprint(path.join(__dirname, '..', '..', 'blueprints', 'empty'));
