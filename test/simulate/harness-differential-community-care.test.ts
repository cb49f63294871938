import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/cli.js';
import { cleanup, compareAll, compileForHarness, firstDifference, harnessAvailable, loadScenario, SKIP_MESSAGE, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/community-care');
const TIME_ZONES = ['Africa/Nairobi', 'America/New_York'];

const scenarios: Record<string, Scenario> = {
  // Contact tasks (households, new members, the weekly area check that reads the clock), malaria follow-ups
  // resolved mid-window, referrals with duplicate event ids, a headless patient and a subject-less report,
  // vaccinations due across both of New York's 2024 DST changes, a deleted report; month start day 26.
  // (Reports without any subject id are left out: the harness gives them the subject's id, cht-core does not;
  // test/simulate/containers.test.ts covers them.)
  'chw: contact tasks, a headless report, DST-crossing dates': {
    project,
    fixture: path.join(project, 'harness.defaults.json'),
    ranges: [['2024-01-20', '2024-05-10'], ['2024-10-25', '2024-11-20']],
    months: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-10', '2024-11', '2024-12'],
  },
  // The same households seen by a supervisor (no can_refer permission, other roles), at 00:00 exactly.
  'supervisor at midnight: permissions from roles': {
    project,
    fixture: path.join(project, 'supervisor.fixture.json'),
    ranges: [['2024-02-25', '2024-03-25']],
    months: ['2024-03'],
    at: { hours: 0, minutes: 0 },
  },
};

describe.skipIf(!harnessAvailable())('dry-run vs cht-conf-test-harness: community-care', () => {
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
