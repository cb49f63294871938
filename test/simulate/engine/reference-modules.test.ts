/* eslint-disable @typescript-eslint/no-explicit-any -- cht-core's modules are untyped */
/**
 * chtkit's re-implementations checked against cht-core 4.11's own modules, which cht-conf-test-harness ships
 * prebuilt (CalendarInterval, RegistrationUtils, cht-datasource's permission checks). Pure functions, no browser.
 */
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { intervalAt } from '../../../src/simulate/engine/calendar-interval.js';
import { hasAnyPermission, hasPermissions } from '../../../src/simulate/engine/cht-api.js';
import { contactSubjectIds, reportSubjectId } from '../../../src/simulate/engine/containers.js';

const core = createRequire(import.meta.url)('cht-conf-test-harness/dist/all-chts-bundle.dev')['4.11'];
const previousTz = process.env.TZ;
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('calendar interval = cht-core calendar-interval', () => {
  for (const tz of ['Africa/Nairobi', 'America/New_York', 'Pacific/Auckland']) {
    it(`every start day 1..31 (and invalid ones), every day of 2024–2025, in ${tz}`, () => {
      process.env.TZ = tz;
      const starts = [...Array.from({ length: 31 }, (_, i) => i + 1), 0, 32, '15', 'x', undefined];
      for (let t = new Date(2024, 0, 1, 9).getTime(); t < new Date(2026, 0, 1).getTime(); t += 86400000) {
        for (const d of starts) {
          expect(intervalAt(d, t), `${tz} ${new Date(t).toISOString()} d=${String(d)}`).toEqual(core.CalendarInterval.getInterval(d, t));
        }
      }
    });
  }
});

describe('subject ids = cht-core registration-utils', () => {
  const docs: any[] = [
    { _id: 'c1', type: 'person', patient_id: '123', place_id: 'x' },
    { _id: 'c2', type: 'clinic', place_id: 'c2' },
    { _id: 'c3', type: 'contact', contact_type: 'member' },
    { _id: 'r1', type: 'data_record', form: 'a', patient_id: 'p', fields: { patient_id: 'q' } },
    { _id: 'r2', type: 'data_record', form: 'a', fields: { patient_uuid: 'u', place_id: 'pl' } },
    { _id: 'r3', type: 'data_record', form: 'a', place_uuid: 'pu' },
    { _id: 'r4', type: 'data_record', form: 'a', case_id: 'case' },
    { _id: 'r5', type: 'data_record', form: 'a', patient_uuid: '', fields: { place_uuid: 'fpu' } },
  ];
  it('matches getSubjectIds (contacts) and getSubjectId (reports)', () => {
    for (const doc of docs) {
      if (doc.type === 'data_record') expect(reportSubjectId(doc), doc._id).toEqual(core.RegistrationUtils.getSubjectId(doc));
      else expect(contactSubjectIds(doc), doc._id).toEqual(core.RegistrationUtils.getSubjectIds(doc));
    }
  });
});

describe('cht.v1 permissions = cht-datasource', () => {
  // cht-datasource explains every refusal on console.debug.
  beforeAll(() => {
    vi.spyOn(console, 'debug').mockImplementation(() => undefined);
  });
  const datasource = core.DataSource.getDatasource(core.DataSource.getRemoteDataContext());
  const settings = { can_a: ['chw', 'nurse'], can_b: ['nurse'], can_c: [], can_d: ['_admin'] };
  const permissionSets: unknown[] = [
    'can_a', 'can_b', ['can_a', 'can_b'], ['can_a', '!can_b'], ['!can_b'], ['can_x'], ['!can_x'], [], '', 'can_c', ['can_d'],
  ];
  const roleSets: unknown[] = [['chw'], ['nurse'], ['chw', 'nurse'], ['_admin'], [], undefined, 'chw'];
  const configs: unknown[] = [settings, {}, undefined];
  it('hasPermissions agrees for every combination', () => {
    for (const p of permissionSets) for (const r of roleSets) for (const s of configs) {
      expect(hasPermissions(p, r, s), JSON.stringify([p, r, s])).toBe(datasource.v1.hasPermissions(p, r, s));
    }
  });
  it('hasAnyPermission agrees for every combination', () => {
    const groups: unknown[] = [[['can_a'], ['can_b']], [['can_b', '!can_a']], [['!can_a'], ['can_x']], [], ['can_a'], [['can_a', 'can_b'], ['!can_c']]];
    for (const g of groups) for (const r of roleSets) for (const s of configs) {
      expect(hasAnyPermission(g, r, s), JSON.stringify([g, r, s])).toBe(datasource.v1.hasAnyPermission(g, r, s));
    }
  });
});
