// Orders the test files for jest's workers, longest first, so that no worker is left running one long file at the
// end while the others idle. Jest does this itself from the durations it cached on the last run; a fresh checkout
// (CI) has none, and jest then goes by file size, which put the slowest file (blueprint new's installs, three minutes)
// anywhere. There, the durations recorded in durations.json stand in. `RECORD_TEST_DURATIONS=1 yarn test` records
// them again (a run of some files, theirs).
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const RECORD = path.join(__dirname, 'durations.json');
const ROOT = path.dirname(__dirname);

/** Seconds by file path relative to the repository; empty when the file is missing. */
function recorded() {
  try {
    return JSON.parse(fs.readFileSync(RECORD, 'utf8'));
  } catch {
    return {};
  }
}

class LongestFirst extends Sequencer {
  constructor(...args) {
    super(...args);
    this.recorded = recorded();
  }

  /** Jest's own duration of the file's last run (ms), or else the recorded one; undefined for a file new to both. */
  time(test) {
    const seconds = this.recorded[path.relative(ROOT, test.path).split(path.sep).join('/')];
    return super.time(test) ?? (seconds === undefined ? undefined : seconds * 1000);
  }

  cacheResults(tests, results) {
    super.cacheResults(tests, results);
    if (!process.env.RECORD_TEST_DURATIONS) return;
    // A run of some files updates theirs and keeps the others'.
    const durations = recorded();
    for (const result of results.testResults) {
      const seconds = (result.perfStats.end - result.perfStats.start) / 1000;
      durations[path.relative(ROOT, result.testFilePath).split(path.sep).join('/')] = Math.round(seconds * 10) / 10;
    }
    const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => (a < b ? -1 : 1)));
    fs.writeFileSync(RECORD, JSON.stringify(sorted, null, 2) + '\n');
  }
}

module.exports = LongestFirst;
