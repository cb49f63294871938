import path from 'node:path';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/sms-clinic');

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

describeDifferential('sms-clinic', project, scenarios);
