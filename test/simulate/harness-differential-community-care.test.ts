import path from 'node:path';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/community-care');

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

describeDifferential('community-care', project, scenarios);
