/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, tempDir } from '../helpers/cli.js';

const example = fixture('example-app');
const sms = path.join(example, 'sms-anc.fixtures.json');
const TZ = 'Africa/Nairobi';
const CHW = { setting: 'reporting_unit', via: 'the sender', phone: '+254722000002', contact: { id: 'chw-sms', name: 'Grace Achieng' } };

afterAll(cleanupTemps);

describe('cht dry-run-messages on the example app (SMS ANC reminders)', () => {
  it('--json: header, summary, each processed report and each message due in the span, value by value', async () => {
    const r = await runCht([`--source=${example}`, 'dry-run-messages', `--fixtures=${sms}`, '--from=2024-03-01', '--to=2024-04-30', `--tz=${TZ}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['tz', 'from', 'to', 'transitions', 'summary', 'notes', 'reports', 'messages']);
    expect(out.tz).toBe(TZ);
    expect(out.from).toBe('2024-03-01');
    expect(out.to).toBe('2024-04-30');
    expect(out.transitions).toEqual({ update_clinics: true, registration: true, accept_patient_reports: true });
    expect(out.summary).toEqual({
      before: { pending: 2 },
      within: { scheduled: 3, cleared: 2, pending: 3 },
      after: { scheduled: 6, cleared: 3, pending: 1 },
    });
    expect(out.notes).toEqual(['Fixture reports are taken as valid submissions unless they carry `errors` (validations.list is not run): a report with errors gets its error reply and nothing else.']);

    expect(out.reports.map((x: any) => [x.id, x.form, x.reportedDate])).toEqual([
      ['sms-p-1', 'P', '2024-02-05T07:00:00.000Z'],
      ['sms-p-2', 'P', '2024-02-08T07:00:00.000Z'],
      ['sms-v-1', 'V', '2024-03-06T08:00:00.000Z'],
      ['sms-v-2', 'V', '2024-04-25T12:00:00.000Z'],
      ['sms-v-3', 'V', '2024-04-26T05:30:00.000Z'],
      ['sms-d-2', 'D', '2024-07-20T13:00:00.000Z'],
    ]);
    expect(out.reports[0].steps).toEqual([
      // LMP 8 weeks before the report's day (00:00 in Nairobi is 21:00 UTC the day before).
      { transition: 'registration', outcome: 'add_expected_date: lmp_date 2023-12-10T21:00:00.000Z, expected_date 2024-09-15T21:00:00.000Z' },
      { transition: 'registration', outcome: 'assign_schedule "ANC Reminders": 8 messages scheduled' },
      { transition: 'registration', outcome: '1 reply message' },
    ]);
    // Registered at 12 weeks: group 1's first reminder (12 weeks, 09:00) is already past at 10:00, so its follow-up goes too.
    expect(out.reports[1].steps[1]).toEqual({ transition: 'registration', outcome: 'assign_schedule "ANC Reminders": 6 messages scheduled; skipped group 1 (already past on arrival: the whole group)' });
    expect(out.reports[2].steps).toEqual([{ transition: 'accept_patient_reports', outcome: '1 reply message; silence_type "ANC Reminders" for "7 days": 1 message cleared' }]);
    expect(out.reports[3].steps).toEqual([{ transition: 'accept_patient_reports', outcome: '1 reply message; silence_type "ANC Reminders" for "7 days": 2 messages cleared' }]);
    expect(out.reports[4].steps).toEqual([{ transition: 'accept_patient_reports', outcome: 'registration_not_found: the report names no patient or place in the fixtures, rejection reply' }]);
    expect(out.reports[5].steps).toEqual([
      { transition: 'registration', outcome: 'clear_schedule "ANC Reminders": 2 messages cleared' },
      { transition: 'registration', outcome: '1 reply message' },
    ]);

    const schedule = (extra: any) => ({ form: 'P', kind: 'schedule', transition: 'registration', schedule: 'ANC Reminders', recipient: CHW, locale: 'en', ...extra });
    const reply = (extra: any) => ({ form: 'V', kind: 'reply', transition: 'accept_patient_reports', state: 'pending', recipient: CHW, locale: 'en', ...extra });
    expect(out.messages).toEqual([
      schedule({ report: 'sms-p-1', group: 1, offset: '12 weeks', due: '2024-03-04T06:00:00.000Z', day: '2024-03-04', time: '09:00', state: 'scheduled',
        translationKey: 'anc.reminder.visit1', text: 'Mary Wambui (40011) is due for her first ANC visit this week. Please remind her.' }),
      reply({ report: 'sms-v-1', due: '2024-03-06T08:00:00.000Z', day: '2024-03-06', time: '11:00',
        translationKey: 'anc.visit.recorded', text: 'Thank you Grace Achieng: the ANC visit of Mary Wambui (40011) is recorded.' }),
      schedule({ report: 'sms-p-1', group: 1, offset: '13 weeks', due: '2024-03-11T06:00:00.000Z', day: '2024-03-11', time: '09:00', state: 'cleared',
        translationKey: 'anc.reminder.visit1.followup', text: 'Mary Wambui (40011) has not had her first ANC visit yet. Please visit her.',
        clearedBy: { report: 'sms-v-1', by: 'silence_type' } }),
      schedule({ report: 'sms-p-2', group: 2, offset: '20 weeks', due: '2024-04-04T06:00:00.000Z', day: '2024-04-04', time: '09:00', state: 'scheduled',
        translationKey: 'anc.reminder.visit2', text: 'Esther Njeri (40012) is due for her second ANC visit this week. Please remind her.' }),
      schedule({ report: 'sms-p-2', group: 2, offset: '21 weeks', due: '2024-04-11T06:00:00.000Z', day: '2024-04-11', time: '09:00', state: 'scheduled',
        translationKey: 'anc.reminder.visit2.followup', text: 'Esther Njeri (40012) has not had her second ANC visit yet. Please visit her.' }),
      reply({ report: 'sms-v-2', due: '2024-04-25T12:00:00.000Z', day: '2024-04-25', time: '15:00',
        translationKey: 'anc.visit.recorded', text: 'Thank you Grace Achieng: the ANC visit of Mary Wambui (40011) is recorded.' }),
      reply({ report: 'sms-v-3', due: '2024-04-26T05:30:00.000Z', day: '2024-04-26', time: '08:30',
        translationKey: 'anc.visit.unknown_patient', text: 'No pregnancy is registered for patient ID 40099. Please check the ID and resend.' }),
      schedule({ report: 'sms-p-1', group: 2, offset: '20 weeks', due: '2024-04-29T06:00:00.000Z', day: '2024-04-29', time: '09:00', state: 'cleared',
        translationKey: 'anc.reminder.visit2', text: 'Mary Wambui (40011) is due for her second ANC visit this week. Please remind her.',
        clearedBy: { report: 'sms-v-2', by: 'silence_type' } }),
    ]);
  });

  it('group 4: send_day moves 36 weeks to the Wednesday; the health-centre message goes to its nurse; the delivery report cleared the other patient\'s', async () => {
    const r = await runCht([`--source=${example}`, 'dry-run-messages', `--fixtures=${sms}`, '--from=2024-07-22', '--to=2024-08-25', `--tz=${TZ}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.messages.map((m: any) => [m.report, m.day, m.time, m.state, m.recipient.contact?.name, m.clearedBy?.report])).toEqual([
      ['sms-p-2', '2024-07-24', '09:00', 'cleared', 'Grace Achieng', 'sms-d-2'],
      ['sms-p-2', '2024-07-24', '10:30', 'cleared', 'Faith Mutua', 'sms-d-2'],
      ['sms-p-1', '2024-08-21', '09:00', 'scheduled', 'Grace Achieng', undefined],
      ['sms-p-1', '2024-08-21', '10:30', 'scheduled', 'Faith Mutua', undefined],
    ]);
    expect(out.messages[3].recipient).toEqual({ setting: 'ancestor:health_center', via: 'the primary contact of the nearest health_center', phone: '+254711000001', contact: { id: 'nurse-1', name: 'Faith Mutua' } });
    expect(out.messages[3].text).toBe('Mary Wambui (40011) of Wambui household is 36 weeks pregnant. Please confirm her delivery plan with Grace Achieng.');
  });

  it('human: the reports in processing order, then the messages by day, cleared ones marked; the rest summarised', async () => {
    const r = await runCht([`--source=${example}`, 'dry-run-messages', `--fixtures=${sms}`, '--from=2024-03-01', '--to=2024-03-31', `--tz=${TZ}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Messages for 2024-03-01 … 2024-03-31 (Africa/Nairobi): 1 due, 1 sent on arrival, 1 cleared\n');
    expect(r.stdout).toContain('  2024-03-06 11:00  sms-v-1 (V)\n      accept_patient_reports: 1 reply message; silence_type "ANC Reminders" for "7 days": 1 message cleared\n');
    expect(r.stdout).toContain([
      '2024-03-11 Mon',
      '  09:00  ANC Reminders group 1 (13 weeks)  CLEARED by sms-v-1 (silence_type)',
      '         to Grace Achieng +254722000002 (the sender)',
      '         "Mary Wambui (40011) has not had her first ANC visit yet. Please visit her."',
    ].join('\n'));
    expect(r.stdout).toContain('Before 2024-03-01: 2 sent on arrival. After 2024-03-31: 8 due, 3 sent on arrival, 4 cleared.');
    expect(r.stderr).toContain('Note: Fixture reports are taken as valid submissions unless they carry `errors`');
  });

  it('the default fixtures (harness.defaults.json): the app-form child registration assigns nothing without its start date, and it is said', async () => {
    const r = await runCht([`--source=${example}`, 'dry-run-messages', '--date=2024-01-15', `--tz=${TZ}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reports).toEqual([{ id: 'reg-1', form: 'child_registration', reportedDate: '2023-09-20T07:05:00.000Z',
      steps: [{ transition: 'registration', outcome: 'assign_schedule "immunization": start_from "fields.date_of_birth" is not set on the report, nothing scheduled (cht-core never retries)' }] }]);
    expect(out.messages).toEqual([]);
    expect(out.notes).toContain('1 fixture report(s) carry scheduled_tasks or tasks from an earlier run: ignored, the messages are worked out afresh from the settings.');
    expect(r.stderr).toContain('Using fixtures');
  });

  it('summarises a long run by month (a readable screen for a large caseload); --list prints every message', async () => {
    const dir = tempDir();
    const docs: any[] = [
      { _id: 'hc', type: 'health_center', name: 'HC' },
      { _id: 'chw', type: 'person', name: 'CHW', phone: '+254722000002', parent: { _id: 'hc' } },
    ];
    for (let i = 0; i < 400; i++) {
      docs.push({ _id: `w${i}`, type: 'person', name: `Woman ${i}`, patient_id: String(50000 + i), parent: { _id: 'hc' } });
      docs.push({ _id: `p${i}`, type: 'data_record', form: 'P', from: '+254722000002', reported_date: Date.parse('2024-01-01T07:00:00Z') + i * 3_600_000 * 5,
        fields: { patient_id: String(50000 + i), lmp: 4 + (i % 8) } });
    }
    const file = path.join(dir, 'many.json');
    writeFileSync(file, JSON.stringify({ docs }));
    const args = [`--source=${example}`, 'dry-run-messages', `--fixtures=${file}`, '--from=2024-01-01', '--to=2024-12-31', `--tz=${TZ}`];
    const short = await runCht(args);
    expect(short.code, short.stderr).toBe(0);
    expect(short.stdout).toContain('Reports processed: 400 reports (P 400; --list or --json shows each)');
    expect(short.stdout).toMatch(/\n[\d,]+ messages in the span, by month \(--list prints each, --json gives them all\)\n/);
    expect(short.stdout).toMatch(/\nBy schedule\n {2}ANC Reminders group 1 {2}[\d,]+ due/);
    expect(short.stdout).toMatch(/\nBusiest recipients \(messages due or sent on arrival\)\n {2}[\d,]+ {2}CHW \+254722000002\n/);
    expect(short.stdout.split('\n').length).toBeLessThan(400);
    const json = JSON.parse((await runCht([...args, '--json'])).stdout);
    const total = json.messages.length;
    expect(total).toBeGreaterThan(1000);
    const full = await runCht([...args, '--list']);
    expect(full.stdout.split('\n').filter((l) => /^ {2}\d\d:\d\d {2}/.test(l)).length).toBe(total);
  }, 60_000);

  it('refuses an unknown --format and --date with --from', async () => {
    const bad = await runCht([`--source=${example}`, 'dry-run-messages', `--fixtures=${sms}`, '--format=html']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Unknown --format "html"');
    const both = await runCht([`--source=${example}`, 'dry-run-messages', `--fixtures=${sms}`, '--date=2024-01-01', '--from=2024-01-01', '--to=2024-01-02']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('Give --date, or --from and --to, not both.');
  });
});
