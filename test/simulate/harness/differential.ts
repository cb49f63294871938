/* eslint-disable @typescript-eslint/no-explicit-any -- harness documents are untyped JSON */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, serializeSettings } from '../../../src/bundle/app-settings.js';
import { tasksJson } from '../../../src/report/dry-run-tasks.js';
import { targetsJson } from '../../../src/report/dry-run-targets.js';
import { daysBetween, localTimestamp, withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { dryRunTargets, dryRunTasks, loadDryRun, type LoadedDryRun } from '../../../src/simulate/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUNNER = path.join(HERE, 'run-harness.cjs');
const ROOT = path.resolve(HERE, '../../..');
/** Two zones, one of them with DST (New York). */
const TIME_ZONES = ['Africa/Nairobi', 'America/New_York'];

/**
 * The harness differential tests need cht-conf-test-harness's system dependencies (Chromium, xsltproc) as
 * installed by `.ci/run`. In CI they always run; locally they are skipped when those are missing.
 */
export function harnessAvailable(): boolean {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => existsSync(p));
  return (chromium && existsSync('/usr/bin/xsltproc')) || !!process.env.CI;
}

export const SKIP_MESSAGE =
  'Skipping the cht-conf-test-harness differential tests: Chromium and xsltproc are not installed. ' +
  'Install them with `apt-get install chromium xsltproc` (Debian/Ubuntu), as .ci/run does; CI=true runs them always.';

export interface Scenario {
  /** Fixture project directory. */
  project: string;
  /** harness.defaults.json-shaped fixture. */
  fixture: string;
  /** Inclusive day ranges of the task timeline. */
  ranges: [string, string][];
  /** Months whose targets are compared. */
  months: string[];
  /** Local time of day of each evaluation. */
  at?: { hours: number; minutes: number };
  /** Docs appear on their reported_date (`--as-reported`), in both the dry-run and the harness. */
  asReported?: boolean;
}

export interface Comparison {
  tz: string;
  ours: { days: { date: string; tasks: unknown[] }[]; months: { month: string; targets: unknown[] }[] };
  harness: { days: { date: string; tasks: unknown[] }[]; months: { month: string; targets: unknown[] }[] };
  /** Number of Ready tasks over all days (so a test can check the scenario is not empty). */
  readyTasks: number;
  /** Days where the harness's latest-first shortcut disagreed with a freshly cleared harness (must be none). */
  harnessSelfCheck: string[];
}

const temps: string[] = [];

export function cleanup(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Compiles a project with chtkit (as `cht compile-app-settings` would) into a temp dir, for the harness. */
export async function compileForHarness(project: string): Promise<string> {
  const compiled = await compileProject(project, { minify: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-harness-'));
  temps.push(dir);
  const file = path.join(dir, 'app_settings.json');
  writeFileSync(file, serializeSettings(compiled.settings));
  return file;
}

/** The `type`s cht-conf-test-harness 5.0.4's pushMockedDoc holds as contacts; it holds every other doc as a report. */
const HARNESS_CONTACT_TYPES = ['contact', 'district_hospital', 'health_center', 'clinic', 'person'];

/**
 * chtkit's ids of the docs the harness holds as reports, in its order: the runner renames the random ids the
 * harness gives reports without `_id` to these. Inline user/subject objects are not among the harness's reports.
 */
function harnessReportIds(loaded: LoadedDryRun): string[] {
  return loaded.fixtures.docs.filter((doc) => !HARNESS_CONTACT_TYPES.includes(doc.type)).map((doc) => doc._id);
}

function runHarness(
  appSettingsPath: string, fixture: string, tz: string, days: { date: string }[], months: unknown[], asReported: boolean, reportIds: string[],
): Promise<any> {
  // Days re-checked against a freshly cleared harness: first, last and a few in between.
  const checks = [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => days[Math.round(f * (days.length - 1))]?.date))].filter(Boolean);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-harness-run-'));
  temps.push(dir);
  const specFile = path.join(dir, 'spec.json');
  const output = path.join(dir, 'out.json');
  writeFileSync(specFile, JSON.stringify({ appSettingsPath, harnessDataPath: fixture, days, months, checks, asReported, reportIds, output }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, specFile], {
      cwd: ROOT,
      env: { ...process.env, TZ: tz },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`harness run failed (${String(code)}):\n${stderr}`));
      else resolve(JSON.parse(readFileSync(output, 'utf8')));
    });
  });
}

/** A harness task doc reduced to what the dry-run reports (the harness adds `forId` to each action itself). */
export function normalizeHarnessTask(doc: any): unknown {
  const emission = { ...doc.emission };
  if (Array.isArray(emission.actions)) {
    emission.actions = emission.actions.map((a: any) => {
      const { forId: _forId, ...rest } = a;
      return rest;
    });
  }
  return { state: doc.state, owner: doc.owner ?? '_unassigned', requester: doc.requester ?? null, emission };
}

export function normalizeHarnessTarget(target: any): unknown {
  const out: Record<string, unknown> = { id: target.id };
  if (target.type !== undefined) out.type = target.type;
  if (target.goal !== undefined) out.goal = target.goal;
  out.value = target.value;
  return out;
}

async function ours(loaded: LoadedDryRun, scenario: Scenario, tz: string) {
  const at = scenario.at ?? { hours: 12, minutes: 0 };
  const asReported = scenario.asReported === true;
  const days: { date: string; tasks: unknown[] }[] = [];
  for (const [from, to] of scenario.ranges) {
    const out = await dryRunTasks(loaded, { tz, at, from, to, allStates: false, asReported });
    days.push(...(tasksJson(out) as { days: { date: string; tasks: unknown[] }[] }).days);
  }
  const months: { month: string; targets: unknown[]; date: string }[] = [];
  for (const month of scenario.months) {
    const out = await dryRunTargets(loaded, { tz, at, month, asReported });
    months.push({ month, date: out.date, targets: (targetsJson(out) as { targets: unknown[] }).targets });
  }
  return { days, months };
}

/**
 * Runs a scenario through the dry-run (in-process, one zone after the other: the zone is process-wide) and
 * through the harness (a child process per zone, concurrently).
 */
export async function compareAll(
  scenario: Scenario, zones: readonly string[], appSettingsPath: string, loaded: LoadedDryRun,
): Promise<Comparison[]> {
  const at = scenario.at ?? { hours: 12, minutes: 0 };
  const runs: Promise<Comparison>[] = [];
  for (const tz of zones) {
    const mine = await ours(loaded, scenario, tz);
    const instants = await withSimulatedClock(tz, 0, () => ({
      days: scenario.ranges.flatMap(([from, to]) => daysBetween(from, to)).map((date) => ({ date, timestamp: localTimestamp(date, at) })),
      months: mine.months.map((m) => ({ month: m.month, timestamp: localTimestamp(m.date, at) })),
    }));
    runs.push(runHarness(appSettingsPath, scenario.fixture, tz, instants.days, instants.months, scenario.asReported === true, harnessReportIds(loaded)).then((theirs) => ({
      tz,
      ours: { days: mine.days, months: mine.months.map(({ month, targets }) => ({ month, targets })) },
      harness: {
        days: theirs.days.map((d: any) => ({ date: d.date, tasks: d.tasks.map(normalizeHarnessTask) })),
        months: theirs.months.map((m: any) => ({ month: m.month, targets: m.targets.map(normalizeHarnessTarget) })),
      },
      readyTasks: mine.days.reduce((n, d) => n + d.tasks.length, 0),
      harnessSelfCheck: theirs.mismatches.map((m: any) => `${m.date}: fresh ${JSON.stringify(m.fresh)} vs latest-first ${JSON.stringify(m.latestFirst)}`),
    })));
  }
  return Promise.all(runs);
}

export async function loadScenario(scenario: Scenario): Promise<LoadedDryRun> {
  return loadDryRun({ kind: 'project', dir: scenario.project }, [scenario.fixture]);
}

/** The first day (or month) where the two differ, as readable text; undefined when they agree everywhere. */
export function firstDifference(c: Comparison): string | undefined {
  for (let i = 0; i < Math.max(c.ours.days.length, c.harness.days.length); i++) {
    const a = JSON.stringify(sortKeys(c.ours.days[i]));
    const b = JSON.stringify(sortKeys(c.harness.days[i]));
    if (a !== b) return `${c.tz} ${c.ours.days[i]?.date ?? c.harness.days[i]?.date}:\n  dry-run: ${a}\n  harness: ${b}`;
  }
  for (let i = 0; i < Math.max(c.ours.months.length, c.harness.months.length); i++) {
    const a = JSON.stringify(sortKeys(c.ours.months[i]));
    const b = JSON.stringify(sortKeys(c.harness.months[i]));
    if (a !== b) return `${c.tz} targets ${c.ours.months[i]?.month}:\n  dry-run: ${a}\n  harness: ${b}`;
  }
  return undefined;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * One differential suite: the project compiled once, then every scenario compared with the harness in both
 * time zones — Ready tasks of every day and targets of every month, field for field.
 */
export function describeDifferential(title: string, project: string, scenarios: Record<string, Scenario>): void {
  describe.skipIf(!harnessAvailable())(`dry-run vs cht-conf-test-harness: ${title}`, () => {
    let appSettings: string;
    beforeAll(async () => {
      appSettings = await compileForHarness(project);
    });
    afterAll(cleanup);

    for (const [name, scenario] of Object.entries(scenarios)) {
      it(name, { timeout: 600_000 }, async () => {
        const loaded = await loadScenario(scenario);
        for (const result of await compareAll(scenario, TIME_ZONES, appSettings, loaded)) {
          expect(result.harnessSelfCheck, `harness self-check in ${result.tz}`).toEqual([]);
          expect(firstDifference(result), `first difference in ${result.tz}`).toBeUndefined();
          expect(result.ours).toEqual(result.harness);
          expect(result.readyTasks).toBeGreaterThan(0);
        }
      });
    }
  });
  if (!harnessAvailable()) console.warn(SKIP_MESSAGE);
}
