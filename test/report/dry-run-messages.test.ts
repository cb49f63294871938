import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { printMessages } from '../../src/report/dry-run-messages.js';
import { Reporter } from '../../src/report/reporter.js';
import { CONTACTS, msg, run, schedule, settings, sms } from '../simulate/messages/helpers.js';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function human(result: ReturnType<typeof run>, list = false): Promise<string> {
  const stdout = new Collector();
  const reporter = Reporter.plain({ level: 'info', colourAllowed: false, json: false, stdout, stderr: new Collector(), env: {} });
  await printMessages(reporter, result, { format: 'human', list });
  return stdout.text;
}

async function json(result: ReturnType<typeof run>): Promise<unknown> {
  const stdout = new Collector();
  const reporter = Reporter.plain({ level: 'info', colourAllowed: false, json: true, stdout, stderr: new Collector(), env: {} });
  await printMessages(reporter, result, { format: 'json', list: false });
  return JSON.parse(stdout.text);
}

describe('dry-run-messages output', () => {
  it('marks held, muted, denied and never-sent messages in the human listing', async () => {
    const s = settings({ schedule_evening_hours: 20, schedules: [schedule([
      msg('1 day', 1, { send_time: '21:15' }),
      { translation_key: 'missing.key', group: 2, offset: '2 days', recipient: 'reporting_unit' },
    ])] });
    const text = await human(run(s, [sms('p', 'P', '2024-01-01T10:00')], { tz: 'UTC' }));
    expect(text).toContain('2024-01-02 Tue\n  21:15  S group 1 (1 day)  due  held until 2024-01-03 00:00 (outside the sending window)\n         to CHW Cate +254722000002 (the sender)\n         "1 day g1"\n');
    expect(text).toContain('  10:00  S group 2 (2 days)  NEVER SENT: messages.errors.message.empty\n         to CHW Cate +254722000002 (the sender)\n         [missing.key]\n');
    const muted = CONTACTS.map((c) => (c._id === 'woman' ? { ...c, muted: 1 } : c));
    expect(await human(run(settings({ schedules: [schedule([msg('1 day', 1)])] }), [sms('p', 'P', '2024-01-01T10:00')], {}, muted))).toContain('  10:00  S group 1 (1 day)  MUTED\n');
    expect(await human(run(settings({ outgoing_deny_list: '+2547', schedules: [schedule([msg('1 day', 1)])] }), [sms('p', 'P', '2024-01-01T10:00')]))).toContain('  10:00  S group 1 (1 day)  DENIED\n');
  });

  it('says when nothing is due, and summarises before and after the span', async () => {
    const r = run(settings({ schedules: [schedule([msg('1 day', 1), msg('30 days', 2)])] }), [sms('p', 'P', '2024-01-01T10:00')], { from: '2024-01-10', to: '2024-01-12' });
    const text = await human(r);
    expect(text).toContain('Messages for 2024-01-10 … 2024-01-12 (UTC): none\n');
    expect(text).toContain('  No message is due in the span.\n');
    expect(text).toContain('Before 2024-01-10: 1 sent. After 2024-01-12: 1 due.');
  });

  it('--json streams the same document JSON.stringify gives for the run', async () => {
    const r = run(settings({ schedules: [schedule([msg('1 day', 1), msg('2 days', 2)])] }), [sms('p', 'P', '2024-01-01T10:00')]);
    expect(await json(r)).toEqual(JSON.parse(JSON.stringify({ tz: r.tz, from: r.from, to: r.to, transitions: r.transitions, summary: r.summary, notes: r.notes, reports: r.reports, messages: r.messages })));
  });
});
