/**
 * Random rules and populations for the timeline's fuzz test (timeline-fuzz.test.ts): task and target definitions
 * whose functions read the clock in the ways real configs do (Date, Utils, moment, luxon, a module-level "today",
 * calendar fields, day counts, month arithmetic, ISO strings, truthiness, array callbacks, switch, computed keys,
 * counts stepped by ++ and --), mixed with report and contact data, over a population with dates on both sides of
 * the simulated days. One seed gives one project, fixture file and request, always the same: a failing seed is a
 * reproduction.
 *
 * Reads are guarded, so the rules throw only where a seed makes them (`throwing`): then what is compared is the
 * error the dry-run stops with.
 */

import { rng } from '../../../bench/lib/population.js';

const DAY = 86_400_000;

const FORMS = ['visit', 'pregnancy', 'assessment'];
const ZONES = ['Africa/Nairobi', 'America/New_York', 'Pacific/Auckland', 'Asia/Kathmandu', 'UTC', 'Europe/London'];
const SMALL = [0, 1, 2, 3, 5, 6, 7, 12, 14, 30, 42, 91, 280];

export interface FuzzCase {
  tasksJs: string;
  targetsJs: string;
  fixture: { user: string; userRoles: string[]; docs: Record<string, unknown>[] };
  request: { tz: string; at: { hours: number; minutes: number }; from: string; to: string; allStates: boolean; asReported?: boolean };
}

class Gen {
  private readonly random: () => number;
  /** Names of numbers in scope (locals of the function being written). */
  locals: string[] = [];
  /** The report in scope: `R` in a definition's function, or a callback's parameter. */
  report = 'R';
  /**
   * How often a leaf reads something that changes on most days (the instant, the day of the month or week, today's
   * ISO date): one such decision anywhere re-runs a contact daily, so most seeds keep it rare.
   */
  readonly volatility: number;

  /**
   * Whether some of this seed's functions throw on some days (a TypeError once an age reaches a limit): the
   * dry-run then stops, and the optimised timeline must stop with the same error, on the same day and contact.
   */
  readonly throwing: boolean;

  /** Whether this seed's rules also compute with luxon (traced through its API: trace-library.ts). */
  readonly luxon: boolean;

  constructor(seed: number) {
    this.random = rng(seed);
    this.volatility = this.pick([0.01, 0.03, 0.1]);
    this.luxon = this.chance(0.4);
    this.throwing = this.chance(0.15);
  }

  /** Often `calm`, now and then (volatility) `daily`. */
  daily(daily: () => string, calm: () => string): string {
    return this.chance(this.volatility) ? daily() : calm();
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  /**
   * Whether what is written now keeps to itself (the targets of some seeds): no moment, whose bundled code writes
   * to its own objects, and no Date setters. The targets' decisions are then kept apart from the tasks'
   * (trace-window.ts), and the timeline runs the targets alone where those change.
   */
  plain = false;

  pick<T>(items: readonly T[]): T {
    const kept = this.plain ? items.filter((item) => !/moment|withDate/.test(String(item))) : items;
    const from = kept.length ? kept : items;
    return from[this.int(from.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  small(): number {
    return this.pick(SMALL);
  }

  /** A Date the data gives (a report's, a birth date, a field), often moved by a number of days. */
  dataDate(): string {
    const r = this.report;
    return this.pick([
      () => `new Date(${r}.reported_date)`,
      () => 'new Date(c.contact.date_of_birth || 0)',
      () => `new Date(${r}.fields.on || 0)`,
      () => `new Date(${r}.reported_date + ${this.small()} * DAY)`,
      () => `Utils.addDate(new Date(${r}.reported_date), ${this.small()})`,
      // Date setters on a copy, as helpers that add days or months by hand do.
      () => `withDate(new Date(${r}.reported_date), function (d) { d.${this.pick(['setDate(d.getDate() + ', 'setMonth(d.getMonth() + '])}${this.small()}); })`,
      () => `new Date(Date.parse(${r}.fields.on || '2000-01-01'))`,
    ])();
  }

  /** A Date read from the clock. */
  clockDate(): string {
    return this.pick([
      () => 'new Date()',
      () => 'Utils.now()',
      () => 'TODAY',
      () => `Utils.addDate(Utils.now(), ${this.small() - 6})`,
      () => "moment().startOf('day').toDate()",
      () => 'new Date(new Date().toISOString().slice(0, 10))',
      () => 'new Date(Date.parse(moment().format(\'YYYY-MM-DD\')))',
      () => `new Date(Date.now() - ${this.small()} * DAY)`,
      () => 'withDate(new Date(), function (d) { d.setHours(0, 0, 0, 0); })',
      () => `withDate(Utils.now(), function (d) { d.setDate(1); d.setMonth(d.getMonth() - ${this.int(3)}); })`,
    ])();
  }

  /** A Date: from the data far more often than from the clock, as due dates are. */
  date(depth: number): string {
    const r = this.report;
    if (this.luxon && this.chance(0.2)) {
      return this.pick([
        () => `DateTime.fromMillis(${r}.reported_date).plus({ ${this.pick(['days', 'weeks', 'months'])}: ${this.small()} }).toJSDate()`,
        () => `DateTime.fromISO(${r}.fields.on || '2000-01-01').startOf('${this.pick(['day', 'week', 'month'])}').toJSDate()`,
        () => this.daily(() => 'DateTime.now().toJSDate()', () => "DateTime.now().endOf('month').toJSDate()"),
      ])();
    }
    const leaf = () => this.daily(() => this.clockDate(), () => this.dataDate());
    if (depth <= 0 || this.chance(0.6)) return leaf();
    return this.pick([
      () => `Utils.addDate(${this.dataDate()}, ${this.number(depth - 1)})`,
      () => `new Date(${this.date(depth - 1)}.getFullYear(), ${this.date(depth - 1)}.getMonth() + ${this.int(4)}, 1)`,
      () => `(${this.bool(depth - 1)} ? ${this.date(depth - 1)} : ${this.date(depth - 1)})`,
    ])();
  }

  /** A number. */
  number(depth: number): string {
    const r = this.report;
    // Calendar fields and the instant itself change on most days: one leaf in ten or so.
    const clock = () =>
      this.pick(['Date.now()', 'new Date().getMonth()', 'new Date().getDate()', 'new Date().getDay()', 'new Date().getFullYear()', 'new Date().getHours()', 'TODAY.getDate()', 'moment().date()', 'moment().isoWeek()']);
    const leaves = [
      () => this.daily(clock, () => this.pick(['new Date().getMonth()', 'new Date().getFullYear()', 'TODAY.getMonth()'])),
      () => `${r}.reported_date`,
      () => `(${r}.fields.n || 0)`,
      () => 'c.reports.length',
      () => String(this.small()),
      ...this.locals.map((l) => () => l),
    ];
    if (depth <= 0) return this.pick(leaves)();
    return this.pick([
      ...leaves,
      () => this.age(depth - 1),
      () => this.age(depth - 1),
      () => `Math.floor((Date.now() - ${this.date(depth - 1)}.getTime()) / DAY)`,
      () => `Math.floor((${this.date(depth - 1)} - ${this.date(depth - 1)}) / DAY)`,
      () => {
        const a = this.date(depth - 1);
        const b = this.date(depth - 1);
        return `((${a}.getFullYear() - ${b}.getFullYear()) * 12 + ${a}.getMonth() - ${b}.getMonth())`;
      },
      () => `moment().diff(moment(${r}.reported_date), '${this.pick(['days', 'weeks', 'months'])}')`,
      () => `${this.date(depth - 1)}.${this.pick(['getTime', 'getMonth', 'getDate', 'getDay', 'getFullYear'])}()`,
      () => `(${this.number(depth - 1)} ${this.pick(['+', '-', '*'])} ${this.number(depth - 1)})`,
      () => `Math.floor(${this.number(depth - 1)} / ${1 + this.int(30)})`,
      () => `(${this.number(depth - 1)} % ${2 + this.int(11)})`,
      () => `Math.${this.pick(['max', 'min'])}(${this.number(depth - 1)}, ${this.number(depth - 1)})`,
      // A length of a string the clock made (a locale date's grows on the 10th), or a digit read by index.
      () => `(${this.string(depth - 1)}).length`,
      () => `Number(new Date().${this.pick(['toISOString()', "toLocaleDateString('en-US')", 'toDateString()'])}[${this.int(10)}] || 0)`,
      () => `Math.abs(${this.number(depth - 1)})`,
      () => `Math.${this.pick(['round', 'ceil'])}(${this.number(depth - 1)} / ${this.pick([7, 30.4])})`,
      () => `parseInt(String(${this.number(depth - 1)}), 10)`,
      () => `(${this.bool(depth - 1)} ? ${this.number(depth - 1)} : ${this.number(depth - 1)})`,
      () => `c.reports.filter(function (x) { return ${this.inCallback(() => this.bool(depth - 1))}; }).length`,
    ])();
  }

  /** A string. */
  string(depth: number): string {
    const r = this.report;
    return this.pick([
      () => this.daily(() => 'new Date().toISOString().slice(0, 10)', () => `(${r}.fields.on || '').slice(0, 7)`),
      () => `(${r}.fields.on || '')`,
      () => `'m' + new Date().getMonth()`,
      () => `['a', 'b', 'c'][Math.abs(${this.number(Math.max(0, depth - 1))}) % 3]`,
      () => `String(${this.number(Math.max(0, depth - 1))})`,
      () => `\`w\${${this.number(Math.max(0, depth - 1))}}\``,
      () => "moment().format('YYYY-MM')",
      () => "new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(new Date())",
      () => "new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format()",
      () => `((${this.string(Math.max(0, depth - 1))})[${this.int(12)}] || '')`,
      () => `monthOf(${this.date(Math.max(0, depth - 1))})`,
    ])();
  }

  /**
   * A count of days, weeks or months from a date to now: what most real rules compare with a limit, and what
   * changes its outcome on few days (so that evaluations are reused for long, and their limits found).
   */
  age(depth: number): string {
    const r = this.report;
    if (this.luxon && this.chance(0.3)) {
      return this.pick([
        () => `Math.floor(DateTime.now().diff(DateTime.fromMillis(${r}.reported_date), '${this.pick(['days', 'weeks'])}').${this.pick(['days', 'weeks'])} || 0)`,
        () => `DateTime.now().diff(DateTime.fromISO(c.contact.date_of_birth || '2000-01-01'), 'months').months`,
        () => `Math.round(DateTime.fromISO(${r}.fields.on || '2000-01-01').diff(DateTime.now().startOf('day'), 'days').days)`,
      ])();
    }
    return this.pick([
      () => `Math.floor((Date.now() - ${this.date(Math.min(depth, 1))}.getTime()) / DAY)`,
      () => `Math.floor((Utils.now() - new Date(${r}.reported_date)) / (7 * DAY))`,
      () => `moment().diff(moment(${r}.reported_date), '${this.pick(['days', 'weeks', 'months'])}')`,
      () => `((TODAY.getFullYear() - new Date(c.contact.date_of_birth || 0).getFullYear()) * 12 + TODAY.getMonth() - new Date(c.contact.date_of_birth || 0).getMonth())`,
      () => `Math.round((new Date(${r}.fields.on || 0) - Utils.now()) / DAY)`,
    ])();
  }

  /** A boolean. */
  bool(depth: number): string {
    const cmp = () => this.pick(['<', '<=', '>', '>=']);
    const threshold = () => `${this.age(depth)} ${cmp()} ${this.pick(SMALL)}`;
    const leaves = [
      threshold,
      threshold,
      threshold,
      () => `${this.number(0)} ${cmp()} ${this.number(0)}`,
      () => `${this.date(0)} ${cmp()} ${this.date(0)}`,
      () => `${this.string(0)} === ${this.string(0)}`,
      // ISO dates compared as strings, with today's as the rules see it.
      () => `(${this.report}.fields.on || '') ${cmp()} ${this.daily(() => 'new Date().toISOString().slice(0, 10)', () => "moment().format('YYYY-MM-DD')")}`,
      () => `!!(${this.number(0)} % 2)`,
      () => `${this.report}.form === '${this.pick(FORMS)}'`,
    ];
    if (depth <= 0) return `(${this.pick(leaves)()})`;
    return `(${this.pick([
      ...leaves,
      () => `${this.number(depth - 1)} ${cmp()} ${this.number(depth - 1)}`,
      () => `${this.date(depth - 1)} ${cmp()} ${this.date(depth - 1)}`,
      () => `${this.number(depth - 1)} === ${this.number(depth - 1)}`,
      () => `${this.string(depth - 1)} === ${this.string(depth - 1)}`,
      () => `!${this.bool(depth - 1)}`,
      () => `${this.bool(depth - 1)} && ${this.bool(depth - 1)}`,
      () => `${this.bool(depth - 1)} || ${this.bool(depth - 1)}`,
      () => `!!${this.number(depth - 1)}`,
      () => `c.reports.some(function (x) { return ${this.inCallback(() => this.bool(depth - 1))}; })`,
      () => `c.reports.filter(function (x) { return ${this.inCallback(() => this.bool(depth - 1))}; }).length > ${this.int(3)}`,
      () => `Utils.isTimely(${this.date(depth - 1)}, { start: ${this.small()}, end: ${this.small()} })`,
      ...(this.luxon ? [() => `DateTime.fromMillis(${this.report}.reported_date).plus({ days: ${this.small()} }) ${cmp()} DateTime.now()`] : []),
      () => `({ a: true, b: false, c: true })[['a', 'b', 'c'][Math.abs(${this.number(depth - 1)}) % 3]]`,
    ])()})`;
  }

  /** Code written inside `function (x) {...}`: the report in scope is `x`, and the function's locals are not. */
  inCallback(write: () => string): string {
    const [report, locals] = [this.report, this.locals];
    this.report = 'x';
    this.locals = [];
    try {
      return write();
    } finally {
      this.report = report;
      this.locals = locals;
    }
  }

  /** The body of a function that returns a boolean, with a local or two and sometimes a switch. */
  boolBody(scheduled = false): string {
    this.locals = [];
    const lines = ['const R = rep(c, r);'];
    if (scheduled) {
      // appliesIf(c, r, i) of a scheduled_tasks task: the index, and the due date it names.
      lines.push('const due = r.scheduled_tasks[i].due;');
      this.locals.push('i', 'due');
    }
    for (let i = 0; i < this.int(3); i++) {
      lines.push(`let v${i} = ${this.number(2)};`);
      // Stepped as an age is, one less before the birthday.
      if (this.chance(0.25)) lines.push(`if (${this.bool(0)}) { v${i}${this.pick(['++', '--'])}; }`);
      this.locals.push(`v${i}`);
    }
    if (this.chance(0.2)) {
      lines.push(`switch (${this.daily(() => 'new Date().getDay()', () => this.pick(['new Date().getMonth() % 3', `(${this.locals[0] ?? '0'}) % 4`]))}) {`);
      lines.push(`  case 0: return ${this.bool(2)};`);
      lines.push(`  case 1: return ${this.bool(1)};`);
      lines.push('}');
    }
    if (this.chance(0.3)) lines.push(`if (${this.bool(1)}) { return ${this.bool(2)}; }`);
    if (this.throwing && this.chance(0.3)) lines.push(`if (${this.age(1)} ${this.pick(['===', '>'])} ${this.pick([30, 91, 150, 280])}) { return null.x; }`);
    lines.push(`return ${this.bool(3)};`);
    this.locals = [];
    return lines.join('\n    ');
  }

  task(i: number): string {
    const appliesTo = this.pick(['reports', 'reports', 'reports', 'contacts', 'contacts', 'scheduled_tasks']);
    const types = appliesTo === 'contacts' ? ['person'] : FORMS.filter(() => this.chance(0.6)).concat(this.pick(FORMS));
    const parts = [
      `name: 'fz-${i}'`,
      "icon: 'icon'",
      `title: 'fz.${i}'`,
      `appliesTo: '${appliesTo}'`,
      `appliesToType: ${JSON.stringify(types)}`,
      "actions: [{ form: 'visit' }]",
    ];
    // A scheduled_tasks task needs appliesIf (the emitter emits none without it).
    if (appliesTo === 'scheduled_tasks') parts.push(`appliesIf: function (c, r, i) {\n    ${this.boolBody(true)}\n  }`);
    else if (this.chance(0.85)) parts.push(`appliesIf: function (c, r) {\n    ${this.boolBody()}\n  }`);
    if (this.chance(0.5)) parts.push(`resolvedIf: function (c, r, event, dueDate) {\n    ${this.boolBody()}\n  }`);
    const events: string[] = [];
    for (let e = 0; e < 1 + this.int(2); e++) {
      const window = `start: ${this.pick([0, 1, 3, 7, 14, 60])}, end: ${this.pick([0, 2, 7, 30])}`;
      if (this.chance(0.5)) events.push(`{ id: 'e${e}', days: ${this.small() - 3}, ${window} }`);
      else events.push(`{ id: 'e${e}', dueDate: function (event, c, r) { const R = rep(c, r); return ${this.date(2)}; }, ${window} }`);
    }
    parts.push(`events: [${events.join(', ')}]`);
    if (this.chance(0.3)) parts.push(`priority: function (c, r) { const R = rep(c, r); return { level: ${this.bool(1)} ? 'high' : 'medium', label: ${this.string(1)} }; }`);
    if (this.chance(0.2)) parts.push(`contactLabel: function (c, r) { const R = rep(c, r); return ${this.string(1)}; }`);
    return `  {\n  ${parts.join(',\n  ')},\n  }`;
  }

  target(i: number): string {
    const byReport = this.chance(0.5);
    const parts = [
      `id: 'fzt-${i}'`,
      `type: '${this.chance(0.5) ? 'count' : 'percent'}'`,
      "icon: 'icon'",
      'goal: -1',
      `translation_key: 'fzt.${i}'`,
      `appliesTo: '${byReport ? 'reports' : 'contacts'}'`,
      `appliesToType: ${byReport ? `['${this.pick(FORMS)}']` : "['person']"}`,
      `appliesIf: function (c, r) {\n    ${this.boolBody()}\n  }`,
      `passesIf: function (c, r) {\n    ${this.boolBody()}\n  }`,
      `date: ${this.pick(["'now'", "'reported'", `function (c, r) { const R = rep(c, r); return ${this.date(1)}.getTime(); }`])}`,
    ];
    if (byReport) parts.push("idType: 'report'");
    return `  {\n  ${parts.join(',\n  ')},\n  }`;
  }
}

/** The helpers every generated module starts with: module-level state read per contact, as real configs do. */
const prelude = (luxon: boolean) => `const moment = require('moment');${luxon ? "\nconst { DateTime } = require('luxon');" : ''}
const DAY = ${DAY};
// Read when the module runs, once per contact, as nools-extras' "today" often is.
const TODAY = new Date();
// A Date changed by setters, on a copy (setters on the clock's own Date would change "now" for what follows).
function withDate(d, change) {
  const copy = new Date(d.getTime());
  change(copy);
  return copy;
}
// An invalid Date's toISOString() throws: the rules stay away from errors.
function monthOf(d) {
  return isNaN(d) ? '' : d.toISOString().slice(0, 7);
}
function rep(c, r) {
  return r || c.reports[0] || { form: '', reported_date: c.contact.reported_date || 0, fields: {} };
}
`;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function fuzzCase(seed: number): FuzzCase {
  const g = new Gen(seed);
  const tasks = Array.from({ length: 2 + g.int(4) }, (_, i) => g.task(i));
  g.plain = g.chance(0.5);
  const targets = Array.from({ length: g.int(3) }, (_, i) => g.target(i));
  g.plain = false;
  const start = Date.UTC(2024, 0, 1) + g.int(300) * DAY;
  const days = 30 + g.int(100);
  const docs: Record<string, unknown>[] = [
    { _id: 'hc', type: 'health_center', name: 'HC', reported_date: start - 900 * DAY },
    { _id: 'chw', type: 'person', name: 'CHW', parent: { _id: 'hc' }, date_of_birth: '1990-01-01', reported_date: start - 900 * DAY },
  ];
  const people = 3 + g.int(7);
  for (let p = 0; p < people; p++) {
    const born = start - g.int(3 * 365) * DAY + g.int(60) * DAY;
    const person: Record<string, unknown> = { _id: `p${p}`, type: 'person', name: `P${p}`, parent: { _id: 'hc' }, reported_date: born + g.int(30) * DAY };
    if (g.chance(0.85)) person.date_of_birth = iso(born);
    docs.push(person);
  }
  const reports = 3 + g.int(14);
  for (let r = 0; r < reports; r++) {
    const reported = start - g.int(250) * DAY + g.int(days) * DAY + g.int(DAY);
    const fields: Record<string, unknown> = { patient_id: `p${g.int(people)}` };
    if (g.chance(0.7)) fields.n = g.int(13);
    if (g.chance(0.6)) fields.on = iso(reported + (g.int(200) - 60) * DAY);
    const report: Record<string, unknown> = { _id: `r${r}`, type: 'data_record', form: g.pick(FORMS), reported_date: reported, fields };
    if (g.chance(0.3)) {
      report.scheduled_tasks = Array.from({ length: 1 + g.int(4) }, (_, k) => ({ due: reported + (7 + 28 * k + g.int(10)) * DAY, state: 'scheduled' }));
    }
    docs.push(report);
  }
  const request: FuzzCase['request'] = {
    tz: g.pick(ZONES),
    at: { hours: g.int(24), minutes: g.pick([0, 30, 59]) },
    from: iso(start),
    to: iso(start + (days - 1) * DAY),
    allStates: g.chance(0.4),
  };
  if (g.chance(0.3)) request.asReported = true;
  return {
    // (luxon only where it is used: the rules' modules run once per contact, and luxon's set-up is ~1 ms of it.)
    tasksJs: `${prelude(g.luxon)}\nmodule.exports = [\n${tasks.join(',\n')}\n];\n`,
    targetsJs: `${prelude(g.luxon)}\nmodule.exports = [\n${targets.join(',\n')}\n];\n`,
    fixture: { user: 'chw', userRoles: ['chw'], docs },
    request,
  };
}
