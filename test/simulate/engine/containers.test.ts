/* eslint-disable @typescript-eslint/no-explicit-any -- docs are user-shaped */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildContainers, contactsInViewOrder, reportsInViewOrder } from '../../../src/simulate/engine/containers.js';
import type { Doc } from '../../../src/simulate/engine/fixtures.js';

const core = createRequire(import.meta.url)('cht-conf-test-harness/dist/all-chts-bundle.dev')['4.11'];

const docs: Doc[] = [
  { _id: 'p-b', type: 'person', name: 'B', parent: { _id: 'hh' } },
  { _id: 'hh', type: 'clinic', place_id: 'PL1' },
  { _id: 'p-a', type: 'person', patient_id: '1001' },
  { _id: 'm-1', type: 'contact', contact_type: 'member' },
  { _id: 'x-1', type: 'contact' },
  { _id: '42', type: 'person' },
  { _id: 'office', type: 'national_office' },
  { _id: 'r-3', type: 'data_record', form: 'v', reported_date: 30, patient_id: 'p-a' },
  { _id: 'r-1', type: 'data_record', form: 'v', reported_date: 10, fields: { patient_id: '1001' } },
  { _id: 'r-2', type: 'data_record', form: 'v', reported_date: 10, fields: { patient_uuid: 'p-a' } },
  { _id: 'r-place', type: 'data_record', form: 's', reported_date: 5, place_id: 'PL1' },
  { _id: 'r-headless', type: 'data_record', form: 'v', reported_date: 1, patient_id: 'ghost' },
  { _id: 'r-case', type: 'data_record', form: 'v', reported_date: 2, case_id: 'c1' },
  { _id: 'r-case2', type: 'data_record', form: 'v', reported_date: 1, fields: { case_id: 'c2' } },
  { _id: 'r-uuid-top', type: 'data_record', form: 'v', reported_date: 1, patient_uuid: 'p-a' },
  { _id: 'r-noform', type: 'data_record', reported_date: 1, patient_id: 'p-a' },
  { _id: 'r-num', type: 'data_record', form: 'v', reported_date: 3, patient_id: '42' },
  { _id: 'r-nan', type: 'data_record', form: 'v', patient_id: 'p-b' },
  { _id: 'r-late', type: 'data_record', form: 'v', reported_date: 2, patient_id: 'p-b' },
];

describe('containers (cht-core 4.11.0 pouchdb-provider.js)', () => {
  it('takes contacts in contacts_by_type order: key [type] (contact_type for "contact" docs), then id', () => {
    expect(contactsInViewOrder(docs).map((d) => d._id)).toEqual(['x-1', 'hh', 'm-1', '42', 'p-a', 'p-b']);
  });

  it('takes reports that reports_by_subject indexes, each at its lowest key (top-level patient_uuid alone is not indexed)', () => {
    expect(reportsInViewOrder(docs).map((d) => d._id)).toEqual(
      ['r-1', 'r-num', 'r-place', 'r-case', 'r-case2', 'r-headless', 'r-2', 'r-3', 'r-late', 'r-nan'],
    );
  });

  it('marshals like cht-core\'s rules emitter: subject claims, headless and subject-less containers, Object.keys order', () => {
    const mine = buildContainers(docs).map((c) => ({ contact: c.contact ?? null, reports: c.reports.map((r) => r._id) }));
    // cht-core's own marshalling, fed the same view-ordered docs; a tiny rules script reports each container.
    core.RulesEmitter.shutdown();
    core.RulesEmitter.initialize({
      rules: "emit('task', { _id: 'x', contact: c.contact || null, reports: c.reports.map(function (r) { return r._id; }) });",
      rulesAreDeclarative: true,
      contact: {},
    });
    const theirs = core.RulesEmitter.getEmissionsFor(contactsInViewOrder(docs), reportsInViewOrder(docs), []);
    return theirs.then((emissions: any) => {
      core.RulesEmitter.shutdown();
      expect(mine).toEqual(emissions.tasks.map((t: any) => ({ contact: t.contact, reports: t.reports })));
      // Integer-like keys first ('42'), then contacts in view order, then headless containers in the order of their
      // first report (the case_id-only reports share the contact-less container).
      expect(mine.map((c) => c.contact?._id ?? null)).toEqual(['42', 'x-1', 'hh', 'm-1', 'p-a', 'p-b', null, 'ghost']);
      expect(mine[6]!.reports).toEqual(['r-case2', 'r-case']);
      // Reports sorted by reported_date, stable for ties (r-1 before r-2, both 10).
      expect(mine[4]!.reports).toEqual(['r-1', 'r-2', 'r-3']);
    });
  });
});
