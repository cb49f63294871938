/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runChtConf, runCht, runMain, tempCopy } from '../helpers/cli.js';

const example = fixture('example-app');
const community = fixture('dry-run/community-care');
const broken = fixture('dry-run/broken-rules');
const TZ = '--tz=Africa/Nairobi';

afterAll(cleanupTemps);

describe('cht dry-run-tasks', () => {
  it('--json: { tz, from, to, days: [{ date, tasks: [{ state, owner, requester, emission }] }] }, Ready tasks only', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--from=2024-03-27', '--to=2024-03-29', TZ, '--as-reported', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['tz', 'from', 'to', 'days']);
    expect(out).toMatchObject({ tz: 'Africa/Nairobi', from: '2024-03-27', to: '2024-03-29' });
    expect(out.days.map((d: any) => d.date)).toEqual(['2024-03-27', '2024-03-28', '2024-03-29']);
    const tasks = out.days.flatMap((d: any) => d.tasks);
    for (const t of tasks) {
      expect(Object.keys(t)).toEqual(['state', 'owner', 'requester', 'emission']);
      expect(t.state).toBe('Ready');
      expect(Object.keys(t.emission)).toEqual(expect.arrayContaining(['_id', 'title', 'dueDate', 'startDate', 'endDate', 'actions', 'deleted', 'resolved']));
    }
    // The danger signs seen at Amina's 27 March visit: a follow-up from the 28th (high priority).
    const followUp = out.days[1].tasks.find((t: any) => t.emission._id === 'anc-2~0~pregnancy-danger-sign-follow-up');
    expect(followUp).toMatchObject({ owner: 'w-1', requester: 'w-1', emission: { priority: 'high', dueDate: '2024-03-29', contact: { name: 'Amina Mwangi' }, forId: 'w-1' } });
    expect(r.stderr).toContain('Using fixtures');
  });

  it('human output: days, contacts, tasks and a summary line', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--from=2024-08-08', '--to=2024-08-12', TZ, '--as-reported']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2024-08-08 … 2024-08-09 (2 days) — 2 tasks');
    expect(r.stdout).toContain('Amina Mwangi (w-1)');
    // Titles and priority labels as the phone shows them (translations/messages-en.properties), the key beside the id.
    expect(r.stdout).toContain('Postnatal care visit  due 2024-08-09  window 2024-08-07 → 2024-08-12');
    expect(r.stdout).toMatch(/del-1~pnc-day-7~pnc-visit {2}task\.pnc_visit\.title\n/);
    expect(r.stdout).toContain('priority high (High-risk pregnancy)');
    expect(r.stdout).toContain('Household: Mwangi household (unassigned: Tasks tab only)');
    expect(r.stdout).toContain('11 Ready tasks over 5 days (2024-08-08 … 2024-08-12, 12:00 Africa/Nairobi), on 5 days, for 3 contacts.');
    // The data keeps the keys.
    const json = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-08-09', TZ, '--as-reported', '--json']);
    const titles = JSON.parse(json.stdout).days[0].tasks.map((t: any) => t.emission.title);
    expect(titles).toContain('task.pnc_visit.title');
    expect(json.stdout).not.toContain('Postnatal care visit');
  });

  it('human output shows the texts in the app\'s default language (its `locale`), else English, else the keys', async () => {
    const project = tempCopy(example);
    const settingsFile = path.join(project, 'app_settings', 'base_settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(settingsFile, JSON.stringify({ ...settings, locale: 'fr' }, null, 2));
    const args = [`--source=${project}`, 'dry-run-tasks', '--date=2024-08-09', TZ, '--as-reported'];
    // No French translations: English.
    expect((await runMain(args)).stdout).toContain('Postnatal care visit  due');
    writeFileSync(path.join(project, 'translations', 'messages-fr.properties'), 'task.pnc_visit.title = Visite postnatale\n');
    const fr = await runMain(args);
    expect(fr.stdout).toContain('Visite postnatale  due');
    // A key French does not translate is shown as it is (the phone shows the key too).
    expect(fr.stdout).toContain('task.anc_home_visit.title  due');
    const targets = await runMain([`--source=${project}`, 'dry-run-targets', '--date=2024-08-09', TZ]);
    expect(targets.stdout).not.toContain('TITLE');
  });

  it('--all-states adds Draft, Failed, Completed, Cancelled and not-timely tasks with a reason', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-08-05', TZ, '--as-reported', '--all-states', '--json']);
    const tasks = JSON.parse(r.stdout).days[0].tasks;
    const states = new Set(tasks.map((t: any) => t.state));
    for (const s of ['Ready', 'Draft', 'Failed', 'Completed']) expect(states.has(s)).toBe(true);
    for (const t of tasks.filter((x: any) => x.state !== 'Ready')) expect(typeof t.reason).toBe('string');
  });

  it('--explain=TASK: per report and day, the first reason it shows or not, with the resolving report', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--from=2024-01-15', '--to=2024-02-05', TZ, '--as-reported', '--explain=anc-home-visit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Why task "anc-home-visit" shows or not');
    expect(r.stdout).toContain('Amina Mwangi (w-1) — report preg-1 (pregnancy, 2024-01-10)');
    expect(r.stdout).toMatch(/2024-01-15 … 2024-01-16 +✗ Draft until 2024-01-17/);
    expect(r.stdout).toMatch(/2024-01-17 … 2024-01-25 +✓ shows: Ready, due 2024-01-24, window 2024-01-17 – 2024-02-07/);
    expect(r.stdout).toMatch(/2024-01-26 … 2024-02-05 +✗ Completed: resolved by report anc-1 \(pregnancy_visit, 2024-01-26\)/);
    expect(r.stdout).toMatch(/not timely: the window opens on 2024-07-17, more than 180 days ahead/);
    expect(r.stdout).toContain('appliesToType ["pregnancy"] does not include the form "child_registration"');
    const json = await runMain([`--source=${example}`, 'dry-run-tasks', '--from=2024-03-20', '--to=2024-04-02', TZ, '--as-reported', '--explain=anc-2~0~pregnancy-danger-sign-follow-up', '--json']);
    const x = JSON.parse(json.stdout).explain;
    expect(x.matchedBy).toBe('emission-id');
    expect(x.candidates).toHaveLength(1);
    expect(x.candidates[0].lines.flatMap((l: any) => l.runs.map((run: any) => `${run.from} ${run.reason}`))).toEqual([
      '2024-03-20 not in the database yet: reported later (--as-reported)',
      expect.stringMatching(/^2024-03-27 Draft until 2024-03-28/),
      expect.stringMatching(/^2024-03-28 shows: Ready/),
      '2024-03-29 Completed: resolved by report dsf-1 (pregnancy_danger_sign_follow_up, 2024-03-29)',
    ]);
    const appliesIf = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-03-01', TZ, '--explain=pregnancy-danger-sign-follow-up', '--json']);
    const anc1 = JSON.parse(appliesIf.stdout).explain.candidates.find((c: any) => c.report?.id === 'anc-1');
    expect(anc1.lines[0].runs[0].reason).toBe('appliesIf returned false');
  });

  it('explains appliesIf, appliesToType and contact tasks too', async () => {
    const r = await runMain([`--source=${community}`, 'dry-run-tasks', '--from=2024-01-29', '--to=2024-02-06', TZ, '--explain=new-member-welcome', '--json']);
    const x = JSON.parse(r.stdout).explain;
    const m4 = x.candidates.find((c: any) => c.contact.id === 'm-4');
    expect(m4.lines[0].runs[0].reason).toMatch(/^Draft until 2024-02-01/);
    const household = x.candidates.find((c: any) => c.contact.id === 'hh-1');
    expect(household.lines[0].runs[0].reason).toBe('appliesToType ["member"] does not include the contact type "household"');
  });

  it('uses the fixtures given, and says what is wrong with bad ones (exit 1)', async () => {
    const dir = tempCopy(community);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"docs": [{"_id": "a", "type": "person"}, {"type": "person", "name": "no id"}]}');
    const r = await runMain([`--source=${dir}`, 'dry-run-tasks', `--fixtures=${bad}`, '--date=2024-03-01', TZ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: docs[1] is a contact (type "person") without an "_id".`);
    writeFileSync(bad, '{"docs": [}');
    const r2 = await runMain([`--source=${dir}`, 'dry-run-tasks', `--fixtures=${bad}`, '--date=2024-03-01', TZ]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${bad} is not valid JSON`);
  });

  it('without --fixtures and without harness.defaults.json: a clear error', async () => {
    const dir = tempCopy(fixture('dry-run/sms-clinic'));
    const { rmSync } = await import('node:fs');
    rmSync(path.join(dir, 'harness.defaults.json'));
    const r = await runMain([`--source=${dir}`, 'dry-run-tasks', '--date=2024-03-01', TZ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No fixtures');
    expect(r.stderr).toContain('harness.defaults.json');
  });

  it('merges several --fixtures files', async () => {
    const r = await runMain([`--source=${community}`, 'dry-run-tasks', `--fixtures=${path.join(community, 'harness.defaults.json')}`,
      `--fixtures=${path.join(community, 'subjectless.fixture.json')}`, '--date=2024-03-13', TZ, '--json']);
    expect(r.code).toBe(0);
    const unassigned = JSON.parse(r.stdout).days[0].tasks.find((t: any) => t.emission._id === 'ref-4~0~referral-follow-up');
    expect(unassigned).toMatchObject({ owner: '_unassigned', requester: null });
  });

  it('rejects bad dates, zones and times (exit 1)', async () => {
    for (const args of [['--date=2024-02-30'], ['--from=2024-01-01'], ['--from=2024-02-01', '--to=2024-01-01'], ['--tz=Mars/Olympus'], ['--at=24:00'], ['--date=2024-01-01', '--from=2024-01-01', '--to=2024-01-02']]) {
      const r = await runMain([`--source=${example}`, 'dry-run-tasks', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
    }
  });

  it('an exception in the rules: exit 1, the user\'s file:line, the contact and report that triggered it', async () => {
    const r = await runMain([`--source=${broken}`, 'dry-run-tasks', '--date=2024-06-03', TZ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('TypeError: Cannot read properties of undefined (reading \'temperature\')');
    expect(r.stderr).toMatch(/helpers\.js:3:31/);
    expect(r.stderr).toContain('contact pat-1 (Fatuma), report visit-2 (visit, reported 2024-06-02)');
    expect(r.stderr).toMatch(/tasks\.js:10:14/);
  });

  it('leaves TZ and Date as they were', async () => {
    const before = process.env.TZ;
    const NativeDate = Date;
    await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-03-01', '--tz=Pacific/Auckland', '--json']);
    expect(process.env.TZ).toBe(before);
    expect(Date).toBe(NativeDate);
  });

  it('runs cht-conf\'s compiled app_settings.json (--app-settings) to the same answer as --source', async () => {
    const dir = tempCopy(example);
    const compiled = await runChtConf([`--source=${dir}`, 'compile-app-settings']);
    expect(compiled.code, compiled.stderr + compiled.stdout).toBe(0);
    const settings = path.join(dir, 'app_settings.json');
    expect(JSON.parse(readFileSync(settings, 'utf8')).tasks.isDeclarative).toBe(true);
    const args = ['dry-run-tasks', '--from=2024-01-01', '--to=2024-10-31', TZ, '--json', `--fixtures=${path.join(example, 'harness.defaults.json')}`];
    const fromConf = await runMain([`--app-settings=${settings}`, ...args]);
    const fromSource = await runMain([`--source=${example}`, ...args]);
    expect(fromConf.code, fromConf.stderr).toBe(0);
    expect(JSON.parse(fromConf.stdout)).toEqual(JSON.parse(fromSource.stdout));
    const targets = ['dry-run-targets', '--month=2024-08', TZ, '--json', `--fixtures=${path.join(example, 'harness.defaults.json')}`];
    expect(JSON.parse((await runMain([`--app-settings=${settings}`, ...targets])).stdout))
      .toEqual(JSON.parse((await runMain([`--source=${example}`, ...targets])).stdout));
  });
});

describe('cht dry-run-targets', () => {
  it('--json: { tz, date, interval, targets: [{ id, type, goal, value }] } for --month', async () => {
    const r = await runMain([`--source=${community}`, 'dry-run-targets', '--month=2024-03', TZ, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // month_start_date 26: the interval named March runs from 26 February to 25 March.
    expect(out).toMatchObject({ tz: 'Africa/Nairobi', date: '2024-03-25', interval: { start: '2024-02-26', end: '2024-03-25' } });
    for (const t of out.targets) expect(Object.keys(t)).toEqual(['id', 'type', 'goal', 'value']);
    expect(out.targets.find((t: any) => t.id === 'referrals').value).toEqual({ pass: 4, total: 4 });
  });

  it('human table for --date, and --explain lists each instance with why it counts or not', async () => {
    const r = await runMain([`--source=${community}`, 'dry-run-targets', '--date=2024-04-01', TZ, '--explain=members-well-at-last-visit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Targets for 2024-03-26 … 2024-04-25');
    expect(r.stdout).toMatch(/members-well-at-last-visit +percent +1\/2 \(50%\)/);
    expect(r.stdout).toContain('not counted: overwritten by a later emission with the same _id from the same contact');
    expect(r.stdout).toContain('Grace Bizimana (m-1)');
  });

  it('a target hidden by its context is said to be hidden', async () => {
    const dir = tempCopy(community);
    const file = path.join(dir, 'harness.defaults.json');
    const fx = JSON.parse(readFileSync(file, 'utf8'));
    fx.docs.find((d: any) => d._id === 'chw-anna').inactive = true;
    writeFileSync(file, JSON.stringify(fx));
    const r = await runMain([`--source=${dir}`, 'dry-run-targets', '--date=2024-04-01', TZ, '--explain=active-members']);
    expect(r.stdout).not.toMatch(/^ {2}active-members/m);
    expect(r.stdout).toContain('hidden from this user');
    expect(r.stderr).toContain('target active-members is hidden from this user by its context');
  });
});

describe('the cht binary', () => {
  it('runs both actions end to end', async () => {
    const tasks = await runCht([`--source=${example}`, 'dry-run-tasks', '--date=2024-03-28', TZ, '--json']);
    expect(tasks.code, tasks.stderr).toBe(0);
    expect(JSON.parse(tasks.stdout).days[0].tasks.length).toBeGreaterThan(0);
    const targets = await runCht([`--source=${example}`, 'dry-run-targets', '--date=2024-03-28', TZ]);
    expect(targets.code, targets.stderr).toBe(0);
    expect(targets.stdout).toContain('active-pregnancies');
    // Each target's title from its translation_key, in a column of its own; no trailing spaces.
    expect(targets.stdout).toMatch(/TARGET +TITLE +TYPE +VALUE +GOAL\n/);
    expect(targets.stdout).toMatch(/active-pregnancies +Active pregnancies +count +\d/);
    expect(targets.stdout).not.toMatch(/ \n/);
  });
});
