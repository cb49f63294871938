/* eslint-disable @typescript-eslint/no-explicit-any -- compiled settings and emissions are untyped JSON */
/**
 * The emitters' quirks (cht-conf 6.6.1 src/nools/task-emitter.js and target-emitter.js: shared `this`, substring appliesToType, unnamed events,
 * missing windows, null/0 target dates, emitCustom, a deleted contact that aborts the batch) must behave
 * exactly as cht-conf's. cht-conf's schema rejects some of these, so both compile with --debug.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, runChtConf, tempCopy } from '../helpers/cli.js';
import { containersOf, lineageOf, runContactSummary, runRules } from '../helpers/rules.js';
import { at } from './fixture-docs.js';

const docs = (): any[] => [
  { _id: 'clinic-undated', type: 'clinic', name: 'Undated clinic' },
  { _id: 'clinic-dated', type: 'clinic', name: 'Dated', reported_date: at(-10) },
  { _id: 'p-1', type: 'person', name: 'P1', parent: { _id: 'clinic-dated' }, reported_date: at(-30) },
  { _id: 'p-2', type: 'person', name: 'P2', parent: { _id: 'clinic-dated' }, reported_date: at(-31) },
  { _id: 'r-visit', type: 'data_record', form: 'visit', reported_date: at(-1), fields: { patient_id: 'p-1', ids: ['a', 'b'] } },
  { _id: 'r-visit-2', type: 'data_record', form: 'visit', reported_date: at(-1), fields: { patient_id: 'p-2', ids: 'single' } },
  { _id: 'r-pv', type: 'data_record', form: 'pregnancy_visit', reported_date: at(-2), fields: { patient_id: 'p-1' } },
  { _id: 'r-preg', type: 'data_record', form: 'pregnancy', reported_date: at(-3), fields: { patient_id: 'p-1' } },
  { _id: 'r-followup', type: 'data_record', form: 'followup', reported_date: at(0), fields: { patient_id: 'p-1' } },
  {
    _id: 'r-sched', type: 'data_record', form: 'registration', reported_date: at(-4), fields: { patient_id: 'p-2' },
    scheduled_tasks: [{ due: at(1) }, { due: at(2) }, { due: at(3) }],
  },
  { _id: 'r-headless', type: 'data_record', form: 'visit', reported_date: at(-1), fields: { patient_id: 'nobody', ids: ['h'] } },
  { _id: 'r-no-subject', type: 'data_record', form: 'visit', reported_date: at(-1), fields: {} },
];

let ours: any;
let theirs: any;

beforeAll(async () => {
  const a = path.join(tempCopy(fixture('projects')), 'edge-cases');
  const b = path.join(tempCopy(fixture('projects')), 'edge-cases');
  const [ra, rb] = await Promise.all([
    runCht([`--source=${a}`, 'compile-app-settings', '--debug']),
    runChtConf([`--source=${b}`, 'compile-app-settings', '--', '--debug']),
  ]);
  expect(ra.code, ra.stderr).toBe(0);
  expect(rb.code, rb.stdout).toBe(0);
  ours = JSON.parse(readFileSync(path.join(a, 'app_settings.json'), 'utf8'));
  theirs = JSON.parse(readFileSync(path.join(b, 'app_settings.json'), 'utf8'));
});

afterAll(cleanupTemps);

describe('emitter quirks, chtkit vs cht-conf 6.6.1', () => {
  for (const zone of ['UTC', 'Pacific/Auckland']) {
    it(`emit the same tasks and targets (${zone})`, () => {
      const previous = process.env.TZ;
      process.env.TZ = zone;
      try {
        const containers = containersOf(docs());
        for (const now of [at(0), at(1, 13), at(30)]) {
          const a = runRules(ours.tasks.rules, containers, { now });
          const b = runRules(theirs.tasks.rules, containers, { now });
          expect(a).toStrictEqual(b);
          expect(a.tasks.some((t: any) => t._id === 'r-sched~a~scheduled-2')).toBe(true);
          expect(a.tasks.some((t: any) => t._id.includes('~second-sharer'))).toBe(true);
          expect(a.targets.some((t: any) => t._id === 'a~ids')).toBe(true);
        }
      } finally {
        process.env.TZ = previous;
      }
    });
  }

  const thrown = (rules: string, containers: ReturnType<typeof containersOf>) => {
    try {
      runRules(rules, containers, { now: at(0) });
      return 'no error';
    } catch (e) {
      return String(e);
    }
  };

  it('a deleted contact aborts the batch with the same TypeError', () => {
    const containers = containersOf([{ _id: 'gone', type: 'clinic', deleted: true, reported_date: at(-1) }]);
    expect(thrown(ours.tasks.rules, containers)).toMatch(/TypeError: Cannot read properties of undefined \(reading 'deleted'\)/);
    expect(thrown(ours.tasks.rules, containers)).toBe(thrown(theirs.tasks.rules, containers));
  });

  it('a null anywhere in a definition aborts the batch, as in cht-core', () => {
    const withNull = (rules: string) => rules.replace('"undefined-date"', '"undefined-date", nothing: null').replace("'undefined-date'", "'undefined-date', nothing: null");
    const containers = containersOf(docs());
    expect(thrown(withNull(ours.tasks.rules), containers)).toMatch(/TypeError: Cannot convert undefined or null to object/);
    expect(thrown(withNull(ours.tasks.rules), containers)).toBe(thrown(withNull(theirs.tasks.rules), containers));
  });

  it('contact summaries agree on negated types, falsy appliesIf and per-report cards', () => {
    const all = docs();
    for (const c of containersOf(all).filter((x) => x.contact && x.contact.type)) {
      const input = { contact: c.contact, reports: c.reports, lineage: lineageOf(c.contact, all), now: at(0) };
      expect(runContactSummary(ours.contact_summary, input)).toStrictEqual(runContactSummary(theirs.contact_summary, input));
    }
  });
});
