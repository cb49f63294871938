import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/simulate/messages/index.js';
import { CONTACTS, msg, run, schedule, settings, sms } from './helpers.js';

const oneMessage = (extra: Json) => settings({ schedules: [schedule([msg('1 day', 1, extra)])] });
const first = (s: Json, reports: Json[], options = {}, contacts?: Json[]) => run(s, reports, options, contacts).messages[0]!;

describe('dry-run-messages: recipients', () => {
  const P = [sms('p', 'P', '2024-01-01T00:00')];

  it('reporting_unit and an empty recipient are the sender, named from the fixtures', () => {
    for (const recipient of ['reporting_unit', '', undefined]) {
      expect(first(oneMessage({ recipient }), P).recipient).toEqual({ setting: recipient ?? '', phone: '+254722000002', contact: { id: 'chw', name: 'CHW Cate' }, via: 'the sender' });
    }
  });

  it('ancestor:<type> and health_center are the primary contact of the nearest place of that type', () => {
    for (const recipient of ['ancestor:health_center', 'health_center']) {
      const r = first(oneMessage({ recipient }), P).recipient;
      expect(r.phone).toBe('+254711000001');
      expect(r.contact).toEqual({ id: 'nurse', name: 'Nurse Nia' });
      expect(r.via).toBe('the primary contact of the nearest health_center');
    }
  });

  it('a field of the report holding a number is used as is', () => {
    const r = first(oneMessage({ recipient: 'husband_phone' }), [sms('p', 'P', '2024-01-01T00:00', { husband_phone: '+254733000003' })]).recipient;
    expect(r).toEqual({ setting: 'husband_phone', phone: '+254733000003', via: 'the report field husband_phone' });
  });

  it('a bare international number is itself', () => {
    expect(first(oneMessage({ recipient: '+254744000004' }), P).recipient.phone).toBe('+254744000004');
  });

  it('an unknown keyword or an ancestor type without a phone goes to the sender, and says so', () => {
    const unknown = first(oneMessage({ recipient: 'supervisor' }), P).recipient;
    expect(unknown.phone).toBe('+254722000002');
    expect(unknown.via).toContain('"supervisor" names no rule, field or property: cht-core falls back to the sender');
    const noPhone = first(oneMessage({ recipient: 'ancestor:district_hospital' }), P).recipient;
    expect(noPhone.phone).toBe('+254722000002');
    expect(noPhone.via).toContain('has no phone in the fixtures');
  });

  it('parent is the primary contact of the subject\'s grandparent place (a patient in a household: the health centre)', () => {
    expect(first(oneMessage({ recipient: 'parent' }), P).recipient.phone).toBe('+254711000001');
  });

  it('outgoing_phone_replace rewrites the number', () => {
    const s = oneMessage({ recipient: 'reporting_unit' });
    s.outgoing_phone_replace = { match: '+254', replace: '0' };
    expect(first(s, P).recipient.phone).toBe('0722000002');
  });
});

describe('dry-run-messages: text', () => {
  const P = [sms('p', 'P', '2024-01-01T00:00', { lmp: 8 })];
  const keyed = oneMessage({ translation_key: 'k', message: undefined });

  it('translates in the message locale, then en, else the key: a message that is its own key is never sent', () => {
    const tr = { en: { k: 'English {{patient_name}}' }, sw: { k: 'Kiswahili {{patient_name}}' } };
    expect(first({ ...keyed, locale_outgoing: 'sw' }, P, { translations: tr }).text).toBe('Kiswahili Wanja');
    expect(first({ ...keyed, locale_outgoing: 'fr' }, P, { translations: tr }).text).toBe('English Wanja');
    const missing = first(keyed, P, { translations: {} });
    expect(missing).toMatchObject({ translationKey: 'k', error: 'messages.errors.message.empty', state: 'error' });
    expect(missing.text).toBeUndefined();
  });

  it('the report locale wins over the settings', () => {
    const tr = { en: { k: 'en' }, fr: { k: 'fr' } };
    const report = { ...sms('p', 'P', '2024-01-01T00:00'), locale: 'fr' };
    expect(first({ ...keyed, locale_outgoing: 'en' }, [report], { translations: tr }).text).toBe('fr');
  });

  it('a reply reads `message`, never a plural `messages` array (cht-core\'s addMessage): no text, never sent', () => {
    const s = settings({ patient_reports: [{ form: 'V', messages: [
      { event_type: 'report_accepted', messages: [{ locale: 'en', content: 'plural' }] },
      { event_type: 'report_accepted', message: [{ locale: 'en', content: 'singular' }] },
    ] }] });
    const r = run(s, [sms('v', 'V', '2024-01-02T00:00')]);
    expect(r.messages.map((m) => [m.text, m.error, m.state])).toEqual([[undefined, 'messages.errors.message.empty', 'error'], ['singular', undefined, 'pending']]);
  });

  it('a message array takes the locale\'s entry, else the first', () => {
    const s = oneMessage({ message: [{ locale: 'fr', content: 'Bonjour' }, { locale: 'sw', content: 'Habari' }] });
    expect(first({ ...s, locale: 'sw' }, P).text).toBe('Habari');
    expect(first({ ...s, locale: 'en' }, P).text).toBe('Bonjour');
  });

  it('renders mustache without HTML escaping over the patient, place, report fields and sender; a name with a space is empty', () => {
    const s = oneMessage({ message: [{ locale: 'en', content: '{{patient_name}} ({{patient_id}}) at {{clinic.name}}, lmp {{lmp}}, by {{contact.name}}: {{note}} [{{patient name}}]' }] });
    expect(first(s, [sms('p', 'P', '2024-01-01T00:00', { lmp: 8, note: 'Tom & <Jerry>' })]).text).toBe('Wanja (40011) at Household H, lmp 8, by CHW Cate: Tom & <Jerry> []');
  });

  it('formats {{#date}} with date_format', () => {
    const s = { ...oneMessage({ message: [{ locale: 'en', content: 'Due {{#date}}{{reported_date}}{{/date}}' }] }), date_format: 'DD-MMM-YYYY' };
    expect(first(s, [sms('p', 'P', '2024-01-01T00:00')], { tz: 'Africa/Nairobi' }).text).toBe('Due 01-Jan-2024');
  });
});

describe('dry-run-messages: states', () => {
  const P = [sms('p', 'P', '2024-01-01T00:00')];

  it('a muted patient (or ancestor) keeps its schedule muted', () => {
    const contacts = CONTACTS.map((c) => (c._id === 'hh' ? { ...c, muted: 1700000000000 } : c));
    expect(first(oneMessage({}), P, {}, contacts).state).toBe('muted');
  });

  it('a sender refused by outgoing_deny_list gets denied messages', () => {
    expect(first({ ...oneMessage({}), outgoing_deny_list: '+25472' }, P).state).toBe('denied');
    expect(first({ ...oneMessage({}), outgoing_deny_list: '' }, P).state).toBe('scheduled');
  });

  it('a report with errors gets its error reply only: nothing is scheduled', () => {
    const report = { ...sms('p', 'P', '2024-01-01T00:00'), errors: [{ code: 'invalid', message: 'LMP must be a number' }] };
    const r = run(oneMessage({}), [report]);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ kind: 'reply', text: 'LMP must be a number', state: 'pending' });
    expect(r.reports[0]!.steps[0]!.outcome).toContain('rejected: the report carries errors');
  });
});

describe('dry-run-messages: transitions and settings it cannot run', () => {
  const P = [sms('p', 'P', '2024-01-01T00:00')];

  it('an unknown transition name disables every transition, as in cht-core', () => {
    const r = run({ ...oneMessage({}), transitions: { registration: true, registrations: true } }, P);
    expect(r.messages).toEqual([]);
    expect(r.transitions).toEqual({ update_clinics: false, registration: false, accept_patient_reports: false });
    expect(r.notes[0]).toBe('No transition runs: transitions has the unknown name "registrations": cht-core disables every transition.');
  });

  it('a disabled registration transition schedules nothing', () => {
    for (const value of [false, { disable: true }]) {
      expect(run({ ...oneMessage({}), transitions: { registration: value } }, P).messages).toEqual([]);
    }
  });

  it('an unknown schedule name in assign_schedule is a clear step, not an exception', () => {
    const s = settings({ registrations: [{ form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S,T' }] }], schedules: [schedule([msg('1 day', 1)], { name: 'S' })] });
    const r = run(s, P);
    expect(r.reports[0]!.steps.map((x) => x.outcome)).toEqual([
      'assign_schedule "S": 1 message scheduled',
      'assign_schedule: no schedule is named "T" (names match exactly, spaces included): nothing scheduled, silently',
    ]);
    expect(r.notes).toContain('Registration P: assign_schedule names "T", which no schedule is called: cht-core schedules nothing for it, silently.');
  });

  it('registration forms match case-insensitively, patient_reports exactly', () => {
    const s = settings({ registrations: [{ form: 'p', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S' }] }], schedules: [schedule([msg('1 day', 1)])],
      patient_reports: [{ form: 'v', messages: [{ event_type: 'report_accepted', message: [{ locale: 'en', content: 'ok' }] }] }] });
    const r = run(s, [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-02T00:00')]);
    expect(r.messages.map((m) => m.report)).toEqual(['p']);
  });

  it('an SMS from an unknown sender to a private form gets facility_not_found and is not a valid submission', () => {
    const report = { ...sms('p', 'P', '2024-01-01T00:00'), from: '+254799999999' };
    const r = run(oneMessage({}), [report]);
    expect(r.messages.map((m) => [m.transition, m.kind, m.translationKey, m.recipient.phone, m.text])).toEqual([
      ['update_clinics', 'reply', 'messages.generic.sys.facility_not_found', '+254799999999', undefined],
    ]);
    expect(r.reports[0]!.steps.map((x) => x.transition)).toEqual(['update_clinics', 'registration']);
    expect(r.reports[0]!.steps[1]!.outcome).toContain('skipped: not an app form report');
    expect(r.notes).toContain('Texts of cht-core\'s own translation keys (messages.generic.*) are not shown: chtkit does not carry cht-core\'s translations.');
  });

  it('without update_clinics an SMS has no sender: the known-sender rule refuses it', () => {
    const r = run({ ...oneMessage({}), transitions: { registration: true } }, P);
    expect(r.messages).toEqual([]);
    expect(r.reports[0]!.steps[0]!.outcome).toContain('skipped: not an app form report');
  });

  it('a public form accepts an SMS from anyone; the reply goes to the number it came from', () => {
    const s = { ...oneMessage({}), forms: { P: { meta: { code: 'P' }, fields: {}, public_form: true } } };
    const r = run(s, [{ ...sms('p', 'P', '2024-01-01T00:00'), from: '+254799999999' }]);
    expect(r.messages[0]!.recipient).toEqual({ setting: 'reporting_unit', phone: '+254799999999', via: 'the sender' });
  });

  it('patient report replies need event_type report_accepted; an unknown patient gets registration_not_found', () => {
    const s = settings({ patient_reports: [{ form: 'V', messages: [
      { event_type: 'report_accepted', message: [{ locale: 'en', content: 'Thanks for {{patient_name}}' }] },
      { message: [{ locale: 'en', content: 'never: no event_type' }] },
      { event_type: 'registration_not_found', message: [{ locale: 'en', content: 'Unknown {{patient_id}}' }] },
    ] }] });
    const r = run(s, [sms('v1', 'V', '2024-01-02T00:00'), sms('v2', 'V', '2024-01-03T00:00', { patient_id: '99999' })]);
    expect(r.messages.map((m) => `${m.report} ${m.text} ${m.state}`)).toEqual(['v1 Thanks for Wanja pending', 'v2 Unknown 99999 pending']);
  });

  it('add_patient without patient_id_field creates a predictable patient that later reports can name', () => {
    const s = settings({
      registrations: [{ form: 'P', events: [{ name: 'on_create', trigger: 'add_patient' }, { name: 'on_create', trigger: 'assign_schedule', params: 'S' }] }],
      schedules: [schedule([msg('1 day', 1, { message: [{ locale: 'en', content: 'Hi {{patient_name}} {{patient_id}}' }] })])],
    });
    const report = { _id: 'p', type: 'data_record', form: 'P', from: '+254722000002', reported_date: Date.parse('2024-01-01T00:00:00Z'), fields: { patient_name: 'Zuri' } };
    const r = run(s, [report]);
    expect(r.messages[0]!.text).toBe('Hi Zuri new-p');
    expect(r.notes.some((n) => n.includes('"new-<report _id>"'))).toBe(true);
  });
});
