import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/cli.js';
import { cleanup, compareAll, compileForHarness, firstDifference, harnessAvailable, loadScenario, SKIP_MESSAGE, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/clock-patterns');
const TIME_ZONES = ['Africa/Nairobi', 'America/New_York'];

const scenarios: Record<string, Scenario> = {
  // Rules that read the clock every way (day of week, age in days, today's ISO string, bundled moment, a
  // contact without reported_date, month arithmetic), over a leap day and New York's DST changes.
  'rules reading the clock every way': {
    project,
    fixture: path.join(project, 'harness.defaults.json'),
    ranges: [['2024-02-20', '2024-03-20'], ['2024-06-25', '2024-07-10'], ['2024-10-28', '2024-11-08']],
    months: ['2024-03', '2024-07'],
  },
};

describe.skipIf(!harnessAvailable())('dry-run vs cht-conf-test-harness: clock-patterns', () => {
  let appSettings: string;
  beforeAll(async () => {
    appSettings = await compileForHarness(project);
  });
  afterAll(cleanup);

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, { timeout: 600_000 }, async () => {
      const loaded = await loadScenario(scenario);
      for (const result of await compareAll(scenario, TIME_ZONES, appSettings, loaded)) {
        expect(result.harnessSelfCheck, `harness self-check in ${result.tz}`).toEqual([]);
        expect(firstDifference(result), `first difference in ${result.tz}`).toBeUndefined();
        expect(result.ours).toEqual(result.harness);
        expect(result.readyTasks).toBeGreaterThan(0);
      }
    });
  }
});

if (!harnessAvailable()) console.warn(SKIP_MESSAGE);
