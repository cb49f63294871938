import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { stringList, stringOpt, type ActionContext } from './action.js';
import { Option } from './commander.js';
import type { LoadedDryRun, TimeOptions } from '../simulate/index.js';

/** Flags shared by dry-run-tasks and dry-run-targets. */
export function dryRunOptions(): Option[] {
  return [
    new Option('--app-settings <file>', 'dry-run a compiled app_settings.json (e.g. cht-conf\'s) instead of compiling --source'),
    new Option('--fixtures <file>', 'fixture docs in the harness.defaults.json shape (repeatable; default <project>/harness.defaults.json)')
      .argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? previous as string[] : []), value]),
    new Option('--date <YYYY-MM-DD>', 'the day to evaluate (default: today in --tz)'),
    new Option('--from <YYYY-MM-DD>', 'first day of a dry-run timeline (with --to)'),
    new Option('--to <YYYY-MM-DD>', 'last day of a dry-run timeline (with --from)'),
    new Option('--at <HH:MM>', 'local time of day of each evaluation').default(undefined, '12:00'),
    new Option('--tz <zone>', 'the phone\'s time zone, e.g. Africa/Nairobi (default: TZ, else the system zone)'),
    new Option('--roles <roles>', 'the user\'s roles, comma-separated (default: the fixtures\' userRoles)'),
    new Option('--as-reported', 'each day sees only the docs reported by then (reported_date), instead of all the fixtures'),
    new Option('--explain <name>', 'dry-run-tasks: why a task (name or emission _id) shows or not; dry-run-targets: a target id\'s instances'),
    new Option('--against <old>', 'compare with other rules: a compiled app_settings.json, instance (the settings on --local/--url/--instance; read only) or git:REF (the project at a git revision)'),
    new Option('--fail-on-change', 'with --against: exit 1 when a task or target changes (a CI gate)'),
  ];
}

export function dryRunTasksOptions(): Option[] {
  return [
    new Option('--all-states', 'dry-run-tasks: also list Draft, Failed, Completed, Cancelled and not-timely tasks, with a reason'),
    new Option('--format <format>', 'dry-run-tasks: human (a listing, or a summary when long), json (one document, streamed), ndjson (a line per day), html (a report to open in a browser); markdown with --against (a pull-request comment)'),
    new Option('--output <file>', 'dry-run-tasks --format=html: write the report to this file (atomically) instead of stdout'),
    new Option('--list', 'print the full human listing however long (by default a long one is summarised)'),
    new Option('--no-reuse', 'dry-run-tasks: re-run every contact\'s rules every day (the reference timeline the optimised one is tested against)'),
    // Worker threads for a timeline (default: chosen from its size and the cores); for tests and benchmarks.
    new Option('--threads <n>').hideHelp(),
  ];
}

export function dryRunTargetsOptions(): Option[] {
  return [
    new Option('--month <YYYY-MM>', 'dry-run-targets: the reporting interval cht-core names after this month'),
    new Option('--format <format>', 'dry-run-targets: human, json or ndjson (a line per target, then per --explain instance); markdown with --against'),
    new Option('--list', 'print every --explain instance however many (by default a long list is summarised)'),
  ];
}

/** `HH:MM`, as outputs show the time of day of evaluation. */
export function atText(at: { hours: number; minutes: number }): string {
  return `${String(at.hours).padStart(2, '0')}:${String(at.minutes).padStart(2, '0')}`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function checkDay(value: string, flag: string): string {
  const m = DAY.exec(value);
  const valid = m && (() => {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  })();
  if (!valid) throw new UsageError(`${flag} must be a date like 2024-06-30, not "${value}".`, { code: 'CHT_E_USAGE' });
  return value;
}

export function checkMonth(value: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new UsageError(`--month must look like 2024-06, not "${value}".`, { code: 'CHT_E_USAGE' });
  }
  return value;
}

export function parseAt(value: string | undefined): { hours: number; minutes: number } {
  if (value === undefined) return { hours: 12, minutes: 0 };
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new UsageError(`--at must be a local time like 08:30, not "${value}".`, { code: 'CHT_E_USAGE' });
  }
  return { hours: Number(m[1]), minutes: Number(m[2]) };
}

/** Today's date in a zone, `YYYY-MM-DD`. */
export function todayIn(tz: string): string {
  return dayIn(Date.now(), tz);
}

/** The local day (YYYY-MM-DD) of an instant in a zone. */
export function dayIn(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

export interface DryRunInputs {
  source: { kind: 'project'; dir: string } | { kind: 'app-settings'; file: string };
  fixtureFiles: string[];
  /** Set when the default fixture file was used (the CLI says so). */
  defaultFixture?: string;
  tz: string;
  at: { hours: number; minutes: number };
  roles?: string[];
  explain?: string;
  asReported: boolean;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The span when none is given: the fixtures' reports from the first one's day to 90 days after the last (the
 * windows they open), or 30 days before today to 60 after when they have no dated report.
 */
export async function fixturesSpan(files: string[], tz: string): Promise<{ from: string; to: string; why: string }> {
  const today = todayIn(tz);
  let dates: number[] = [];
  try {
    const { loadFixtures } = await import('../simulate/index.js');
    dates = loadFixtures(files).docs
      .map((d) => d.reported_date)
      .filter((t): t is number => typeof t === 'number' && t > 86_400_000);
  } catch {
    // fixtures that do not load: the first build says why; the span falls back to around today
  }
  if (!dates.length) return { from: addDays(today, -30), to: addDays(today, 60), why: 'around today (the fixtures have no dated reports)' };
  const first = dayIn(Math.min(...dates), tz);
  const last = dayIn(Math.max(...dates), tz);
  return { from: first, to: addDays(last, 90), why: `the fixtures' reports, ${first} to ${last}, and 90 days on` };
}

/** The config source, fixtures, zone and time of day from the flags. */
export async function dryRunInputs(ctx: ActionContext): Promise<DryRunInputs> {
  const { resolveTimeZone, defaultFixtureFile } = await import('../simulate/index.js');
  const appSettings = stringOpt(ctx.opts, 'appSettings');
  const source: DryRunInputs['source'] = appSettings
    ? { kind: 'app-settings', file: path.resolve(ctx.cwd, appSettings) }
    : { kind: 'project', dir: ctx.projectDir };
  let fixtureFiles = stringList(ctx.opts, 'fixtures').map((f) => path.resolve(ctx.cwd, f));
  let defaultFixture: string | undefined;
  if (fixtureFiles.length === 0) {
    const dirs = source.kind === 'project' || stringOpt(ctx.opts, 'source') !== undefined
      ? [ctx.projectDir]
      : [path.dirname(source.file), ctx.projectDir];
    defaultFixture = dirs.map((d) => defaultFixtureFile(d)).find((f) => f !== undefined);
    if (!defaultFixture) {
      throw new UserError('No fixtures: give --fixtures=FILE (the harness.defaults.json shape), or add harness.defaults.json to the project.', {
        code: 'CHT_E_NO_FIXTURES',
        hint: `Looked for ${dirs.map((d) => path.join(d, 'harness.defaults.json')).join(' and ')}. A fixture file is {"user": "<contact id>", "docs": [ contacts and reports ]}.`,
      });
    }
    fixtureFiles = [defaultFixture];
  }
  for (const file of fixtureFiles) {
    if (!existsSync(file)) throw new UserError(`Fixture file not found: ${file}`, { code: 'CHT_E_FIXTURE' });
  }
  const roles = stringOpt(ctx.opts, 'roles');
  const explain = stringOpt(ctx.opts, 'explain');
  return {
    source,
    fixtureFiles,
    ...(defaultFixture ? { defaultFixture } : {}),
    tz: resolveTimeZone(stringOpt(ctx.opts, 'tz'), ctx.env),
    at: parseAt(stringOpt(ctx.opts, 'at')),
    ...(roles !== undefined ? { roles: roles.split(',').map((r) => r.trim()).filter(Boolean) } : {}),
    ...(explain !== undefined ? { explain } : {}),
    asReported: ctx.opts.asReported === true,
  };
}

/** --date, or --from and --to (inclusive); default today. */
export function dateRange(ctx: ActionContext, tz: string): { from: string; to: string } {
  const date = stringOpt(ctx.opts, 'date');
  const from = stringOpt(ctx.opts, 'from');
  const to = stringOpt(ctx.opts, 'to');
  if (date !== undefined && (from !== undefined || to !== undefined)) {
    throw new UsageError('Give --date, or --from and --to, not both.', { code: 'CHT_E_USAGE' });
  }
  if ((from === undefined) !== (to === undefined)) {
    throw new UsageError('--from and --to go together (a timeline from one day to another, inclusive).', { code: 'CHT_E_USAGE' });
  }
  if (from !== undefined && to !== undefined) {
    checkDay(from, '--from');
    checkDay(to, '--to');
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}.`, { code: 'CHT_E_USAGE' });
    return { from, to };
  }
  const day = date === undefined ? todayIn(tz) : checkDay(date, '--date');
  return { from: day, to: day };
}

/** Loads the config and fixtures for either dry-run action, saying which fixtures it took and what it noticed. */
export async function loadDryRunFor(ctx: ActionContext, inputs: DryRunInputs): Promise<LoadedDryRun> {
  if (inputs.defaultFixture) ctx.reporter.info(`Using fixtures ${inputs.defaultFixture}`);
  const { loadDryRun } = await import('../simulate/index.js');
  const loaded = await loadDryRun(inputs.source, inputs.fixtureFiles, { cache: ctx.opts.cache !== false });
  for (const notice of loaded.config.warnings) ctx.reporter.notice(notice);
  return loaded;
}

/**
 * Where a dry-run's translations are: the project, or for a compiled app_settings.json the folder it sits in
 * (cht-conf's layout: translations/ beside it).
 */
export function projectDirOf(source: DryRunInputs['source']): string {
  return source.kind === 'project' ? source.dir : path.dirname(source.file);
}

/** The texts the dry-run's human and HTML outputs show in place of translation keys (project/translations.ts). */
export async function displayTextsFor(inputs: Pick<DryRunInputs, 'source'>, loaded: LoadedDryRun): Promise<Map<string, string>> {
  const { displayTexts } = await import('../project/translations.js');
  return displayTexts(projectDirOf(inputs.source), loaded.config.locale);
}

/** The parts of a dry-run request both actions take from the flags. */
export function commonRequest(inputs: DryRunInputs): TimeOptions & { explain?: string } {
  return {
    tz: inputs.tz,
    at: inputs.at,
    ...(inputs.roles ? { roles: inputs.roles } : {}),
    ...(inputs.asReported ? { asReported: true } : {}),
    ...(inputs.explain !== undefined ? { explain: inputs.explain } : {}),
  };
}
