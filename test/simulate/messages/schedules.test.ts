import { describe, expect, it } from 'vitest';
import { lines, msg, run, schedule, settings, sms } from './helpers.js';

describe('dry-run-messages: schedule offsets, send_time, send_day', () => {
  it('adds each parseable offset to start_from; an unparseable one skips that message only', () => {
    const s = settings({ schedules: [schedule([msg('2 days', 1), msg('36 hours', 2), msg('12weeks', 3), msg('0', 4), msg('1 month', 5), msg('12 Weeks', 6), msg('1 week 3 days', 7)])] });
    const r = run(s, [sms('p', 'P', '2024-01-31T10:00')]);
    expect(lines(r)).toEqual([
      '2024-02-01T22:00 scheduled 36 hours g2',
      '2024-02-02T10:00 scheduled 2 days g1',
      '2024-02-07T10:00 scheduled 1 week 3 days g7',
      '2024-02-29T10:00 scheduled 1 month g5', // moment: Jan 31 + 1 month = Feb 29 (2024)
    ]);
    expect(r.reports[0]!.steps[0]!.outcome).toContain('offset "12weeks", "0", "12 Weeks" cannot be parsed');
  });

  it('sets send_time in the server zone (--tz) and, with a UTC offset, in that offset', () => {
    const s = settings({ schedules: [schedule([msg('1 day', 1, { send_time: '09:30' }), msg('2 days', 2, { send_time: '09:30 +05:00' }), msg('3 days', 3, { send_time: '9am' })])] });
    const r = run(s, [sms('p', 'P', '2024-03-01T12:00')], { tz: 'Africa/Nairobi' });
    expect(lines(r)).toEqual([
      '2024-03-02T06:30 scheduled 1 day g1', // 09:30 in Nairobi (UTC+3)
      '2024-03-03T04:30 scheduled 2 days g2', // 09:30 at +05:00
      '2024-03-04T12:00 scheduled 3 days g3', // "9am": moment ignores the non-number, the start's time of day stays
    ]);
    expect(r.messages.map((m) => `${m.day} ${m.time}`)).toEqual(['2024-03-02 09:30', '2024-03-03 07:30', '2024-03-04 15:00']);
  });

  it('send_time follows the zone across a DST change', () => {
    const s = settings({ schedules: [schedule([msg('1 day', 1, { send_time: '08:00' }), msg('15 days', 2, { send_time: '08:00' })])] });
    const r = run(s, [sms('p', 'P', '2024-03-01T17:00')], { tz: 'America/New_York' });
    // 08:00 EST is 13:00Z; after 2024-03-10 08:00 EDT is 12:00Z.
    expect(lines(r)).toEqual(['2024-03-02T13:00 scheduled 1 day g1', '2024-03-16T12:00 scheduled 15 days g2']);
  });

  it('send_day moves the due date to that weekday of the same Sunday-based week, backwards too', () => {
    // 2024-05-01 is a Wednesday.
    const s = settings({ schedules: [schedule([msg('1 week', 1, { send_day: 'monday' }), msg('2 weeks', 2, { send_day: 'saturday' }), msg('3 weeks', 3, { send_day: 'sunday' })])] });
    const r = run(s, [sms('p', 'P', '2024-05-01T06:00')]);
    expect(lines(r)).toEqual(['2024-05-06T06:00 scheduled 1 week g1', '2024-05-18T06:00 scheduled 2 weeks g2', '2024-05-19T06:00 scheduled 3 weeks g3']);
  });

  it('reads start_from from the report (a path, an array: first defined value) and says when it is missing', () => {
    const fromField = settings({ schedules: [schedule([msg('1 day', 1)], { start_from: 'fields.visit_date' })] });
    expect(lines(run(fromField, [sms('p', 'P', '2024-01-01T00:00', { visit_date: '2024-06-01T08:00:00Z' })]))).toEqual(['2024-06-02T08:00 scheduled 1 day g1']);
    const array = settings({ schedules: [schedule([msg('1 day', 1)], { start_from: ['fields.missing', 'reported_date'] })] });
    expect(lines(run(array, [sms('p', 'P', '2024-01-01T00:00')]))).toEqual(['2024-01-02T00:00 scheduled 1 day g1']);
    const missing = run(fromField, [sms('p', 'P', '2024-01-01T00:00')]);
    expect(missing.messages).toEqual([]);
    expect(missing.reports[0]!.steps[0]!.outcome).toContain('start_from "fields.visit_date" is not set on the report, nothing scheduled');
  });

  it('add_expected_date before assign_schedule sets lmp_date (weeks before the report day) for start_from', () => {
    const s = settings({
      registrations: [{ form: 'P', events: [
        { name: 'on_create', trigger: 'add_expected_date' },
        { name: 'on_create', trigger: 'assign_schedule', params: 'S' },
      ] }],
      schedules: [schedule([msg('12 weeks', 1, { send_time: '09:00' })], { start_from: 'lmp_date' })],
    });
    const r = run(s, [sms('p', 'P', '2024-02-05T10:00', { lmp: 8 })]);
    // lmp_date = 2024-02-05 00:00 - 8 weeks = 2023-12-11; + 12 weeks = 2024-03-04.
    expect(lines(r)).toEqual(['2024-03-04T09:00 scheduled 12 weeks g1']);
    expect(r.reports[0]!.steps[0]!.outcome).toBe('add_expected_date: lmp_date 2023-12-11T00:00:00.000Z, expected_date 2024-09-16T00:00:00.000Z');
  });
});

describe('dry-run-messages: groups', () => {
  const s = (extra = {}) => settings({ schedules: [schedule([msg('-1 day', 1), msg('2 days', 1), msg('3 days', 2), msg('4 days', 2)], extra)] });

  it('skips the whole group of a message already past on arrival', () => {
    const r = run(s(), [sms('p', 'P', '2024-01-10T00:00')]);
    expect(lines(r)).toEqual(['2024-01-13T00:00 scheduled 3 days g2', '2024-01-14T00:00 scheduled 4 days g2']);
    expect(r.reports[0]!.steps[0]!.outcome).toContain('skipped group 1 (already past on arrival: the whole group)');
  });

  it('with start_mid_group skips only the past message', () => {
    const r = run(s({ start_mid_group: true }), [sms('p', 'P', '2024-01-10T00:00')]);
    expect(lines(r)).toEqual(['2024-01-12T00:00 scheduled 2 days g1', '2024-01-13T00:00 scheduled 3 days g2', '2024-01-14T00:00 scheduled 4 days g2']);
  });

  it('a message without text skips its group too', () => {
    const r = run(settings({ schedules: [schedule([{ message: [{ locale: 'en', content: '  ' }], group: 1, offset: '1 day' }, msg('2 days', 1), msg('3 days', 2)])] }), [sms('p', 'P', '2024-01-10T00:00')]);
    expect(lines(r)).toEqual(['2024-01-13T00:00 scheduled 3 days g2']);
  });
});

describe('dry-run-messages: sentinel\'s sending window', () => {
  it('a message due after schedule_evening_hours (default 23:00) is held until the window opens; inside it, not', () => {
    const s = settings({ schedules: [schedule([msg('1 day', 1, { send_time: '23:30' }), msg('2 days', 2, { send_time: '23:00' })])] });
    const r = run(s, [sms('p', 'P', '2024-01-01T10:00')]);
    expect(r.messages.map((m) => [m.due, m.heldUntil])).toEqual([
      ['2024-01-02T23:30:00.000Z', '2024-01-03T00:00:00.000Z'],
      ['2024-01-03T23:00:00.000Z', undefined],
    ]);
  });

  it('schedule_morning_hours holds an early message until that time, the same day', () => {
    const s = settings({ schedule_morning_hours: 7, schedule_morning_minutes: 30, schedules: [schedule([msg('1 day', 1, { send_time: '06:00' })])] });
    const r = run(s, [sms('p', 'P', '2024-01-01T10:00')], { tz: 'Africa/Nairobi' });
    expect(r.messages[0]!.heldUntil).toBe('2024-01-02T04:30:00.000Z'); // 07:30 in Nairobi
  });

  it('a held message can still be cleared by a report arriving before the window opens', () => {
    const s = settings({ schedule_morning_hours: 8, schedules: [schedule([msg('1 day', 1, { send_time: '06:00' })])],
      patient_reports: [{ form: 'V', silence_type: 'S', messages: [] }] });
    const r = run(s, [sms('p', 'P', '2024-01-01T10:00'), sms('v', 'V', '2024-01-02T07:00')]);
    expect(r.messages.find((m) => m.kind === 'schedule')!.state).toBe('cleared');
  });
});

describe('dry-run-messages: registration triggers', () => {
  const events = (list: unknown[]) => settings({ registrations: [{ form: 'P', events: list }], schedules: [schedule([msg('6 months', 1)], { start_from: 'birth_date' })] });

  it('add_birth_date: months_since_birth before the report day; none: the report day', () => {
    const s = events([{ name: 'on_create', trigger: 'add_birth_date' }, { name: 'on_create', trigger: 'assign_schedule', params: 'S' }]);
    expect(lines(run(s, [sms('p', 'P', '2024-05-20T15:00', { months_since_birth: 3 })]))).toEqual(['2024-08-20T00:00 scheduled 6 months g1']);
    expect(lines(run(s, [sms('p', 'P', '2024-05-20T15:00')]))).toEqual(['2024-11-20T00:00 scheduled 6 months g1']);
  });

  it('events run in order: assign_schedule before the trigger that sets start_from schedules nothing', () => {
    const s = events([{ name: 'on_create', trigger: 'assign_schedule', params: 'S' }, { name: 'on_create', trigger: 'add_birth_date' }]);
    const r = run(s, [sms('p', 'P', '2024-05-20T15:00')]);
    expect(r.messages).toEqual([]);
    expect(r.reports[0]!.steps[0]!.outcome).toBe('assign_schedule "S": start_from "birth_date" is not set on the report, nothing scheduled (cht-core never retries)');
  });

  it('bool_expr sees the report merged with its fields; false or a throw skips the trigger; only on_create runs', () => {
    const s = (expr: string, name = 'on_create') => settings({ registrations: [{ form: 'P', events: [{ name, trigger: 'assign_schedule', params: 'S', bool_expr: expr }] }], schedules: [schedule([msg('1 day', 1)])] });
    const P = [sms('p', 'P', '2024-05-20T15:00', { risk: 'high' })];
    expect(run(s('doc.risk === "high" && doc.fields.risk === "high"'), P).messages).toHaveLength(1);
    expect(run(s('doc.risk === "low"'), P).messages).toHaveLength(0);
    expect(run(s('doc.nothing.here'), P).messages).toHaveLength(0);
    expect(run(s('', 'on_update'), P).messages).toHaveLength(0);
  });
});
