import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/simulate/messages/index.js';
import { lines, msg, run, schedule, settings, sms } from './helpers.js';

// Weekly reminders in two groups, from the registration's time (2024-01-01 00:00 UTC).
const reminders = schedule([msg('1 week', 1), msg('2 weeks', 1), msg('3 weeks', 2), msg('4 weeks', 2)]);

function withVisit(visit: Json): Json {
  return settings({ schedules: [reminders], patient_reports: [{ form: 'V', messages: [], ...visit }] });
}

describe('dry-run-messages: silence_type / silence_for', () => {
  it('without silence_for clears every clearable message of the type; those already sent stay sent', () => {
    const r = run(withVisit({ silence_type: 'S' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00')]);
    expect(lines(r)).toEqual([
      '2024-01-08T00:00 scheduled 1 week g1', // due before the visit arrived: sent when due, listed as due that day
      '2024-01-15T00:00 cleared 2 weeks g1',
      '2024-01-22T00:00 cleared 3 weeks g2',
      '2024-01-29T00:00 cleared 4 weeks g2',
    ]);
    expect(r.messages.find((m) => m.state === 'cleared')!.clearedBy).toEqual({ report: 'v', by: 'silence_type' });
  });

  it('with silence_for clears the groups that have a message due by reported_date + silence_for', () => {
    // Visit on Jan 12, window to Jan 19: group 1 (Jan 8, Jan 15) has one; group 2 (Jan 22, 29) none.
    const r = run(withVisit({ silence_type: 'S', silence_for: '7 days' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-12T00:00')]);
    expect(lines(r)).toEqual([
      '2024-01-08T00:00 scheduled 1 week g1',
      '2024-01-15T00:00 cleared 2 weeks g1',
      '2024-01-22T00:00 scheduled 3 weeks g2',
      '2024-01-29T00:00 scheduled 4 weeks g2',
    ]);
  });

  it('a visit before a group starts clears the whole group when its first message falls in the window', () => {
    const r = run(withVisit({ silence_type: 'S', silence_for: '10 days' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-16T00:00')]);
    expect(lines(r)).toEqual([
      '2024-01-08T00:00 scheduled 1 week g1',
      '2024-01-15T00:00 scheduled 2 weeks g1',
      '2024-01-22T00:00 cleared 3 weeks g2',
      '2024-01-29T00:00 cleared 4 weeks g2',
    ]);
  });

  it('an unparseable silence_for is a zero-length window: only groups already due are cleared', () => {
    const r = run(withVisit({ silence_type: 'S', silence_for: '7days' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00')]);
    expect(lines(r)).toEqual([
      '2024-01-08T00:00 scheduled 1 week g1',
      '2024-01-15T00:00 cleared 2 weeks g1',
      '2024-01-22T00:00 scheduled 3 weeks g2',
      '2024-01-29T00:00 scheduled 4 weeks g2',
    ]);
  });

  it('a silence_type naming another schedule (or misspelt) clears nothing; names are trimmed', () => {
    const typo = run(withVisit({ silence_type: 's' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00')]);
    expect(lines(typo).filter((l) => l.includes('cleared'))).toEqual([]);
    const spaced = run(withVisit({ silence_type: 'X, S' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00')]);
    expect(lines(spaced).filter((l) => l.includes('cleared'))).toHaveLength(3);
  });

  it('a silence_type array is not read (cht-core throws on it): said, nothing cleared', () => {
    const r = run(withVisit({ silence_type: ['S'] }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00')]);
    expect(lines(r).filter((l) => l.includes('cleared'))).toEqual([]);
    expect(r.reports[1]!.steps[0]!.outcome).toBe('0 reply messages; silence_type is not a comma-separated string: cht-core throws on this report, nothing is silenced');
  });

  it('a visit about another patient silences nothing (registrations are found by subject)', () => {
    const other = { _id: 'w2', type: 'person', name: 'Other', patient_id: '40012', parent: { _id: 'hh' } };
    const r = run(withVisit({ silence_type: 'S' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-10T00:00', { patient_id: '40012' })], {},
      [{ _id: 'hc', type: 'health_center' }, { _id: 'hh', type: 'clinic', parent: { _id: 'hc' } },
        { _id: 'woman', type: 'person', patient_id: '40011', parent: { _id: 'hh' } }, other,
        { _id: 'chw', type: 'person', name: 'CHW Cate', phone: '+254722000002', parent: { _id: 'hc' } }]);
    expect(lines(r).filter((l) => l.includes('cleared'))).toEqual([]);
  });
});

describe('dry-run-messages: clear_schedule', () => {
  it('a later registration with clear_schedule clears the subject\'s pending messages of those schedules', () => {
    const s = settings({
      schedules: [reminders],
      registrations: [
        { form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S' }] },
        { form: 'D', events: [{ name: 'on_create', trigger: 'clear_schedule', params: 'S' }] },
      ],
    });
    const r = run(s, [sms('p', 'P', '2024-01-01T00:00'), sms('d', 'D', '2024-01-20T00:00')]);
    expect(lines(r)).toEqual([
      '2024-01-08T00:00 scheduled 1 week g1',
      '2024-01-15T00:00 scheduled 2 weeks g1',
      '2024-01-22T00:00 cleared 3 weeks g2',
      '2024-01-29T00:00 cleared 4 weeks g2',
    ]);
    expect(r.messages.find((m) => m.state === 'cleared')!.clearedBy).toEqual({ report: 'd', by: 'clear_schedule' });
    expect(r.reports[1]!.steps).toEqual([{ transition: 'registration', outcome: 'clear_schedule "S": 2 messages cleared' }]);
  });

  it('reports are processed by reported_date, not fixture order', () => {
    const s = settings({
      schedules: [reminders],
      registrations: [
        { form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S' }] },
        { form: 'D', events: [{ name: 'on_create', trigger: 'clear_schedule', params: 'S' }] },
      ],
    });
    // The clearing report is listed first but arrives later.
    const r = run(s, [sms('d', 'D', '2024-01-20T00:00'), sms('p', 'P', '2024-01-01T00:00')]);
    expect(r.reports.map((x) => x.id)).toEqual(['p', 'd']);
    expect(lines(r).filter((l) => l.includes('cleared'))).toHaveLength(2);
  });
});

describe('dry-run-messages: the span', () => {
  it('lists the messages due in [from, to] and summarises those before (sent / cleared) and after', () => {
    const r = run(withVisit({ silence_type: 'S', silence_for: '7 days' }), [sms('p', 'P', '2024-01-01T00:00'), sms('v', 'V', '2024-01-12T00:00')],
      { from: '2024-01-20', to: '2024-01-25' });
    expect(lines(r)).toEqual(['2024-01-22T00:00 scheduled 3 weeks g2']);
    expect(r.summary).toEqual({ before: { sent: 1, cleared: 1 }, within: { scheduled: 1 }, after: { scheduled: 1 } });
  });
});
