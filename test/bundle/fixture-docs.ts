/* eslint-disable @typescript-eslint/no-explicit-any -- CHT docs are untyped JSON */
/**
 * Contacts and reports that exercise every task and target of the fixture projects: pregnancies at several
 * stages, danger signs, deliveries, sick children, scheduled tasks, a deleted report, a headless report,
 * a contact without reported_date, a configurable hierarchy.
 */
export const DAY = 24 * 60 * 60 * 1000;
/** 2026-03-10 09:00 UTC: reports are dated relative to it. */
export const BASE = Date.UTC(2026, 2, 10, 9);
export const at = (days: number, hours = 0) => BASE + days * DAY + hours * 60 * 60 * 1000;
const iso = (days: number) => new Date(at(days)).toISOString().slice(0, 10);

const hierarchy = { _id: 'hc-1', parent: { _id: 'dh-1' } };
const household = (id: string) => ({ _id: id, parent: hierarchy });
const report = (id: string, form: string, subject: string, days: number, fields: Record<string, unknown> = {}, extra: object = {}) => ({
  _id: id,
  type: 'data_record',
  form,
  reported_date: at(days, 2),
  fields: { patient_id: subject, ...fields },
  contact: { _id: 'chw-1', parent: household('hh-chw') },
  ...extra,
});

export function exampleAppDocs(): any[] {
  return [
    { _id: 'dh-1', type: 'district_hospital', name: 'District Hospital', reported_date: at(-900) },
    { _id: 'hc-1', type: 'health_center', name: 'Kibera Health Centre', parent: { _id: 'dh-1' }, reported_date: at(-800) },
    { _id: 'hh-1', type: 'clinic', name: 'Otieno household', parent: hierarchy, contact: { _id: 'p-mother' }, reported_date: at(-400) },
    { _id: 'hh-2', type: 'clinic', name: 'Wanjiru household', parent: hierarchy, reported_date: at(-20) },
    { _id: 'hh-3', type: 'clinic', name: 'Household without a date', parent: hierarchy },
    { _id: 'p-mother', type: 'person', name: 'Akinyi Otieno', sex: 'female', date_of_birth: '1998-04-02', phone: '+254700111222', parent: household('hh-1'), reported_date: at(-400) },
    { _id: 'p-child', type: 'person', name: 'Baraka Otieno', sex: 'male', date_of_birth: '2024-01-15', parent: household('hh-1'), reported_date: at(-100) },
    { _id: 'p-newborn', type: 'person', name: 'Neema Wanjiru', sex: 'female', date_of_birth: iso(-18), parent: household('hh-2'), reported_date: at(-18) },
    { _id: 'p-preg2', type: 'person', name: 'Wanjiru Kamau', sex: 'female', date_of_birth: '1995-09-09', parent: household('hh-2'), reported_date: at(-300) },
    { _id: 'p-elder', type: 'person', name: 'Mzee Juma', sex: 'male', date_of_birth: '1940-01-01', parent: household('hh-2'), reported_date: at(-600) },
    { _id: 'p-undated', type: 'person', name: 'No Date', date_of_birth: '2023-06-01', parent: household('hh-3') },

    report('r-preg-1', 'pregnancy', 'p-mother', -120, { weeks_since_lmp: 10, lmp_date: iso(-190), risk_factors: 'hypertension' }),
    report('r-anc-1', 'pregnancy_visit', 'p-mother', -90, { danger_signs: 'none' }),
    report('r-anc-2', 'pregnancy_visit', 'p-mother', -40, { danger_signs: '' }),
    report('r-anc-3', 'pregnancy_visit', 'p-mother', -3, { danger_signs: 'bleeding' }),
    report('r-anc-del', 'pregnancy_visit', 'p-mother', -2, { danger_signs: 'fever' }, { deleted: true }),
    report('r-preg-2', 'pregnancy', 'p-preg2', -200, { weeks_since_lmp: 8, lmp_date: iso(-256) }),
    report('r-delivery', 'delivery', 'p-preg2', -5, { outcome: 'live_birth', delivery_place: 'health_facility' }),
    report('r-pnc-1', 'pnc_visit', 'p-preg2', -4),
    report('r-assess', 'assessment', 'p-child', -2, { referred: 'yes', danger_signs: 'none' }),
    report('r-assess-ok', 'assessment', 'p-child', -60, { referred: 'no', danger_signs: 'none' }),
    report('r-childreg', 'child_registration', 'p-newborn', -17, { date_of_birth: iso(-18) }, {
      scheduled_tasks: [
        { due: at(10), group: 'immunization', state: 'scheduled', message_key: 'schedule.immunization.6_weeks' },
        { due: at(40), group: 'immunization', state: 'scheduled' },
        { due: at(-5), group: 'reminders', state: 'sent' },
        { due: at(3), group: 'immunization', state: 'cleared' },
      ],
    }),
    { ...report('r-survey', 'household_survey', 'hh-1', -200), fields: { place_id: 'hh-1' } },
    report('r-death', 'death_report', 'p-elder', -1, { date_of_death: iso(-1) }),
    report('r-headless', 'assessment', 'unknown-person', -1, { referred: 'yes' }),
    { ...report('r-uuid', 'pregnancy_visit', 'ignored', -6, { danger_signs: 'headache' }), fields: { patient_uuid: 'p-preg2', danger_signs: 'headache' } },
  ];
}

export function freeformLuxonDocs(): any[] {
  const area = { _id: 'area-1' };
  const hh = { _id: 'hh-a', parent: area };
  return [
    { _id: 'area-1', type: 'contact', contact_type: 'chw_area', name: 'Area 1', reported_date: at(-500) },
    { _id: 'hh-a', type: 'contact', contact_type: 'household', name: 'Household A', parent: area, reported_date: at(-300) },
    { _id: 'hh-b', type: 'contact', contact_type: 'household', parent: area, reported_date: at(-12) },
    { _id: 'pt-1', type: 'contact', contact_type: 'patient', name: 'Patient One', parent: hh, reported_date: at(-2) },
    { _id: 'pt-2', type: 'contact', contact_type: 'patient', name: 'Patient Two', parent: hh, reported_date: at(-40) },
    { _id: 'pt-3', type: 'contact', name: 'No contact_type', parent: hh, reported_date: at(-40) },
    report('s-1', 'sick_visit', 'pt-2', -1, { vitals: { temperature: 39.8 } }),
    report('s-2', 'sick_visit', 'pt-2', -30, { vitals: { temperature: 37.1 } }),
    report('s-3', 'sick_visit', 'pt-1', 0, { vitals: { temperature: 38.2 } }),
    report('s-4', 'sick_visit', 'pt-1', -1, { vitals: {} }),
    report('e-1', 'enrolment', 'pt-2', -39),
    report('s-headless', 'sick_visit', 'ghost', -1, { vitals: { temperature: 40 } }),
  ];
}

export function inheritDocs(): any[] {
  return [
    { _id: 'hc-1', type: 'health_center', name: 'HC', reported_date: at(-100) },
    { _id: 'p-1', type: 'person', name: 'Positive', phone: '+1', parent: { _id: 'hc-1' }, reported_date: at(-50) },
    { _id: 'p-2', type: 'person', name: 'Negative', parent: { _id: 'hc-1' }, reported_date: at(-50) },
    report('m-1', 'malaria_test', 'p-1', -2, { result: 'positive' }),
    report('m-2', 'malaria_test', 'p-2', -2, { result: 'negative' }),
    report('m-3', 'malaria_follow_up', 'p-1', 1),
  ];
}

export function legacyDocs(): any[] {
  return [
    { _id: 'cl-1', type: 'clinic', name: 'Clinic', reported_date: at(-100) },
    { _id: 'baby-1', type: 'person', name: 'Baby', date_of_birth: iso(-3), parent: { _id: 'cl-1' }, reported_date: at(-3) },
    { _id: 'baby-2', type: 'person', name: 'Baby Two', parent: { _id: 'cl-1' }, reported_date: at(-10) },
    report('b-1', 'birth', 'baby-1', -3),
    report('b-2', 'birth', 'baby-2', -10, {}, { deleted: true }),
    report('v-1', 'vaccination', 'baby-2', -5),
    report('bc-1', 'birth_correction', 'baby-1', -2),
  ];
}
