/* eslint-disable @typescript-eslint/no-explicit-any -- harness state is untyped JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../src/simulate/engine/fixtures.js';
import { fixture } from '../helpers/cli.js';
import { describeDifferential, type Scenario } from './harness/differential.js';

const project = fixture('dry-run/harness-defaults');
const defaults = path.join(project, 'harness.defaults.json');

// The same docs with the subject given inline: the harness then gives every report without a subject id the
// subject's id, also the visit listed before the subject's contact.
const temp = mkdtempSync(path.join(os.tmpdir(), 'chtkit-harness-defaults-'));
const inlineSubject = (() => {
  const fx = JSON.parse(readFileSync(defaults, 'utf8'));
  fx.subject = fx.docs[3][1];
  const file = path.join(temp, 'inline-subject.json');
  writeFileSync(file, JSON.stringify(fx));
  return file;
})();

// The corners of pushMockedDoc: a report before the subject's contact, a hydrated `patient` on a doc without a
// type (minified before its type is set), linked_docs on a contact and on a report, subject ids the harness
// reads (top-level patient_uuid, fields.place_uuid) and does not (case_id, ''), values lodash `defaults` keeps
// (0, null), an empty group, a custom type.
const corners = path.join(temp, 'corners.json');
writeFileSync(corners, JSON.stringify({
  user: 'u',
  subject: 'm',
  docs: [
    { form: 'early', patient: { _id: 'x', name: 'X' } },
    { _id: 'u', type: 'person', parent: { _id: 'hc', name: 'HC', parent: { _id: 'dh' } } },
    [
      { _id: 'm', type: 'contact', contact_type: 'member', linked_docs: { head: { _id: 'q', name: 'Q' } } },
      [{ form: 'v', case_id: 'c1' }, { form: 'w', patient_uuid: 'zz' }, []],
    ],
    { _id: 'hh', type: 'household' },
    { type: 'data_record', form: 'r', linked_docs: { a: { _id: 'q' } }, patient_id: '', contact: { _id: 'u', name: 'U', parent: { _id: 'hc', name: 'HC' } } },
    { _id: 'dated', form: 'd', reported_date: 0, fields: null },
    { _id: 'place', type: 'data_record', form: 'p', place: { _id: 'hh' }, fields: { place_uuid: 'hh' } },
  ],
}));

const HARNESS_CONTACT_TYPES = ['contact', 'district_hospital', 'health_center', 'clinic', 'person'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The harness's state for a fixture file (no browser, no rules: the constructor pushes the docs). */
function harnessState(file: string): { contacts: any[]; reports: any[] } {
  const Harness = createRequire(import.meta.url)('cht-conf-test-harness');
  const appSettingsPath = path.join(temp, 'app_settings.json');
  writeFileSync(appSettingsPath, '{}');
  const warn = console.warn;
  console.warn = () => {}; // its "report without subject id" warning, once per report
  try {
    const harness = new Harness({ directory: temp, appSettingsPath, harnessDataPath: file });
    return { contacts: harness.state.contacts, reports: harness.state.reports };
  } finally {
    console.warn = warn;
  }
}

describe('fixture docs equal the harness\'s state (pushMockedDoc), key for key and in order', () => {
  for (const [name, file] of [['harness-defaults project', defaults], ['inline subject', inlineSubject], ['corner cases', corners]] as const) {
    it(name, () => {
      const ours = loadFixtures([file]).docs;
      const theirs = harnessState(file);
      const ourReports = ours.filter((d) => !HARNESS_CONTACT_TYPES.includes(d.type));
      expect(JSON.stringify(ours.filter((d) => HARNESS_CONTACT_TYPES.includes(d.type)))).toBe(JSON.stringify(theirs.contacts));
      expect(ourReports.map((d) => d._id.includes('#'))).toEqual(theirs.reports.map((d) => UUID.test(d._id)));
      // The harness's random ids in place of ours (same key position), then every key and value in order.
      const renamed = ourReports.map((doc, i) => (doc._id.includes('#') ? { ...doc, _id: theirs.reports[i]._id } : doc));
      expect(JSON.stringify(renamed)).toBe(JSON.stringify(theirs.reports));
      expect(ourReports.length).toBeGreaterThan(3);
    });
  }
});

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
