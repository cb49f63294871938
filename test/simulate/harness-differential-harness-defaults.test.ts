import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/harness-defaults');
const defaults = path.join(project, 'harness.defaults.json');

// The same docs with the subject given inline: the harness then gives every report without a subject id the
// subject's id, also the visit listed before the subject's contact.
const inlineSubject = (() => {
  const fx = JSON.parse(readFileSync(defaults, 'utf8'));
  fx.subject = fx.docs[3][1];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'chtkit-inline-subject-')), 'inline-subject.json');
  writeFileSync(file, JSON.stringify(fx));
  return file;
})();

const scenarios: Record<string, Scenario> = {
  // Fixture docs with no _id, no type, no reported_date, no fields, no subject id, in nested groups: each rule's
  // answer depends on one of the harness's defaults (tasks.js, targets.js): a pregnancy follow-up reading
  // `fields` unguarded, a member's visits listed with their dates in the rules' order, a referral known only
  // by case_id, targets counting reports by id and by date; a visit listed before the subject's contact and
  // one with a top-level patient_uuid stay unseen; a doc of a custom type is ignored.
  'reports relying on every default': {
    project,
    fixture: defaults,
    ranges: [['2024-01-20', '2024-06-20']],
    months: ['2024-01', '2024-03', '2024-06'],
  },
  'an inline subject: reports anywhere in docs get its id': {
    project,
    fixture: inlineSubject,
    ranges: [['2024-01-25', '2024-04-25']],
    months: ['2024-03'],
  },
};

describeDifferential('fixtures relying on the harness defaults', project, scenarios);
