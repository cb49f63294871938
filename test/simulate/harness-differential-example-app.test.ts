import path from 'node:path';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('example-app');

const scenarios: Record<string, Scenario> = {
  // Two pregnancies followed for 320 days, the reports arriving on their dates (--as-reported): ANC visits
  // resolving tasks mid-window, a danger-sign follow-up, a missed visit, a facility delivery and postnatal
  // visits; a pregnancy that stops being active by the clock. A child's immunization schedule (scheduled_tasks),
  // quarterly under-5 checks (contact tasks), household surveys (contactLabel, unassigned), a death report;
  // targets every month.
  'pregnancy follow-ups over 320 days as the reports arrive, scheduled_tasks, contact tasks': {
    project,
    fixture: path.join(project, 'harness.defaults.json'),
    ranges: [['2024-01-01', '2024-11-15']],
    months: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11'],
    asReported: true,
  },
  // The same database as one snapshot (every report there from the start), around the delivery.
  'the whole database at once': {
    project,
    fixture: path.join(project, 'harness.defaults.json'),
    ranges: [['2024-07-20', '2024-09-20']],
    months: ['2024-08'],
  },
};

describeDifferential('example-app', project, scenarios);
