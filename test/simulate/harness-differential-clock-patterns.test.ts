import path from 'node:path';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/clock-patterns');

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

describeDifferential('clock-patterns', project, scenarios);
