import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/cli.js';
import { cleanup, compareAll, compileForHarness, firstDifference, harnessAvailable, loadScenario, SKIP_MESSAGE, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/sms-clinic');
const TIME_ZONES = ['Africa/Nairobi', 'America/New_York'];

const scenarios: Record<string, Scenario> = {
  // SMS registrations with ANC reminder schedules (scheduled_tasks: due dates as date-only strings and as
  // timestamps, states and groups filtered by appliesIf; a scheduled_tasks task without appliesIf), a
  // registration and a visit for a woman unknown on this phone (headless), shortcodes as subject ids,
  // postnatal events from task-schedules.json, fractional start/end, due dates returned as a string and as
  // epoch ms; targets with month start day 31 (moment's day-overflow quirks around February and April).
  'SMS schedules (scheduled_tasks), shortcodes and a headless patient': {
    project,
    fixture: path.join(project, 'harness.defaults.json'),
    ranges: [['2024-01-25', '2024-06-10']],
    months: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'],
    at: { hours: 7, minutes: 30 },
  },
};

describe.skipIf(!harnessAvailable())('dry-run vs cht-conf-test-harness: sms-clinic', () => {
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
