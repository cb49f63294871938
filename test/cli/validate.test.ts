/**
 * `cht validate-app-settings` as a user runs it (the built binary), and compile-app-settings' use of it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationJson } from '../../src/report/json-diagnostics.js';
import { cleanEnv, cleanupTemps, fixture, runCht, runMain, tempCopy } from '../helpers/cli.js';
import { composeCase, corpusCases, STACK_TRACE } from '../schema/corpus-cases.js';

afterAll(cleanupTemps);

const corpus = (name: string) => composeCase(corpusCases().find((c) => c.name === name)!);

/** The example app with two errors and one warning in tasks.js. */
function broken(): string {
  const dir = tempCopy(fixture('example-app'));
  const file = path.join(dir, 'tasks.js');
  const text = readFileSync(file, 'utf8')
    .replace("appliesTo: 'reports',\n    appliesToType: ['pregnancy_visit'],", "appliesTo: 'report',\n    appliesToType: ['pregnancy_visit'],")
    .replace("events: [{ days: 2, start: 1, end: 2 }],", "events: [{ days: 2, start: -1, end: 2 }],")
    .replace("actions: [{ form: 'pnc_visit' }],", "actions: [{ form: 'pnc_vist' }],");
  writeFileSync(file, text);
  return dir;
}

describe('cht validate-app-settings', () => {
  it('passes the example app with no warning, writing nothing', async () => {
    const dir = tempCopy(fixture('example-app'));
    const before = readFileSync(path.join(dir, 'app_settings.json'), 'utf8');
    const r = await runCht([`--source=${dir}`, 'validate-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('The config is valid (9 tasks, 8 targets');
    expect(r.stderr).not.toMatch(/WARNING|ERROR/);
    expect(readFileSync(path.join(dir, 'app_settings.json'), 'utf8')).toBe(before);
  });

  it('reports every problem at once, located, and exits 1', async () => {
    const r = await runCht([`--source=${broken()}`, 'validate-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('task "pregnancy-danger-sign-follow-up" [1] › appliesTo:');
    expect(r.stderr).toContain("Did you mean 'reports'?");
    expect(r.stderr).toContain('tasks.js:73:16');
    expect(r.stderr).toContain('events[0].start');
    expect(r.stderr).toContain('tasks.js:79:32');
    expect(r.stderr).toContain("form 'pnc_vist' is not a form of this project");
    expect(r.stderr).toContain('The config is not valid: 2 errors and 1 warning');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('exits 0 on warnings alone, and 1 with --strict', async () => {
    const dir = corpus('unknown-action-form');
    expect((await runMain([`--source=${dir}`, 'validate-app-settings'])).code).toBe(0);
    const strict = await runMain([`--source=${dir}`, 'validate-app-settings', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('1 warning with --strict');
  });

  it('prints one stable JSON document on stdout with --json', async () => {
    const dir = broken();
    const r = await runCht([`--source=${dir}`, 'validate-app-settings', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as ValidationJson;
    expect(doc).toMatchObject({ version: 1, valid: false, strict: false, project: dir, summary: { errors: 2, warnings: 1, tasks: 9, targets: 8 } });
    const enumError = doc.diagnostics.find((d) => d.code === 'schema/enum')!;
    expect(enumError).toEqual({
      severity: 'error',
      code: 'schema/enum',
      message: "appliesTo must be 'contacts', 'reports' or 'scheduled_tasks', not 'report'.",
      file: path.join(dir, 'tasks.js'),
      line: 73,
      column: 16,
      length: 8,
      subject: { kind: 'task', name: 'pregnancy-danger-sign-follow-up', index: 1 },
      path: 'appliesTo',
      suggestion: "'reports'",
      hint: null,
    });
    expect(r.stderr).toBe('');
    const same = await runMain([`--source=${dir}`, 'validate-app-settings', '--format=json']);
    expect(JSON.parse(same.stdout)).toEqual(doc);
  });

  it('prints GitHub annotations with --format=github, paths relative to GITHUB_WORKSPACE, escaped', async () => {
    const dir = broken();
    const env = cleanEnv({ GITHUB_WORKSPACE: path.dirname(dir) });
    const r = await runCht([`--source=${dir}`, 'validate-app-settings', '--format=github'], { env });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const rel = `${path.basename(dir)}/tasks.js`;
    expect(lines).toContain(
      `::error file=${rel},line=73,col=16,endColumn=24,title=chtkit schema/enum::task "pregnancy-danger-sign-follow-up" [1] › appliesTo: appliesTo must be 'contacts', 'reports' or 'scheduled_tasks', not 'report'. Did you mean 'reports'?`,
    );
    expect(lines.some((l) => l.startsWith(`::warning file=${rel},line=117,col=23`))).toBe(true);
    // The full report is in the log as well.
    expect(r.stderr).toContain('[ERROR]');
  });

  it('escapes newlines, percent signs, colons and commas in annotations', async () => {
    const { formatGithubAnnotations } = await import('../../src/report/github-annotations.js');
    const text = formatGithubAnnotations(
      [{ severity: 'error', code: 'x', message: '100% wrong,\nreally', file: '/w/a,b:c.js', line: 1, column: 2, hint: 'see: here' }],
      { cwd: '/w' },
    );
    expect(text).toBe('::error file=a%2Cb%3Ac.js,line=1,col=2,title=chtkit x::100%25 wrong,%0Areally%0Asee: here\n');
  });

  it('prints JUnit XML with --format=junit: a suite per file, a case per task and target', async () => {
    const dir = broken();
    const r = await runCht([`--source=${dir}`, 'validate-app-settings', '--format=junit'], { cwd: dir });
    expect(r.code).toBe(1);
    // JUnit counts failing test cases: both errors are in one task.
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cht validate-app-settings" tests="\d+" failures="1" errors="0">/);
    expect(r.stdout).toContain('<testsuite name="tasks.js" tests="10" failures="1"');
    expect(r.stdout.match(/<failure /g)).toHaveLength(2);
    expect(r.stdout).toContain('<testsuite name="targets.js" tests="9" failures="0"');
    expect(r.stdout).toContain('<testcase classname="tasks.js" name="task &quot;anc-home-visit&quot; [0]"/>');
    expect(r.stdout).toContain('<failure type="schema/enum" message="task &quot;pregnancy-danger-sign-follow-up&quot; [1] › appliesTo:');
    expect(r.stdout).toContain('<system-out>warning semantic/unknown-form');
    expect(r.stdout.trim().endsWith('</testsuites>')).toBe(true);
  });

  it('rejects an unknown --format and --json with another format', async () => {
    const dir = tempCopy(fixture('example-app'));
    const unknown = await runMain([`--source=${dir}`, 'validate-app-settings', '--format=sarif']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown --format "sarif"');
    const both = await runMain([`--source=${dir}`, 'validate-app-settings', '--json', '--format=junit']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--json and --format=junit');
  });

  it('reports a project it cannot read in the requested format too', async () => {
    const dir = corpus('missing-targets-js');
    const r = await runMain([`--source=${dir}`, 'validate-app-settings', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as ValidationJson;
    expect(doc.diagnostics[0]!.message).toContain('Missing required declarative configuration file(s): targets.js');
  });

  it('is listed in --help, and its help names its formats', async () => {
    expect((await runMain(['--help'])).stdout).toContain('validate-app-settings');
    const r = await runMain(['validate-app-settings', '--help']);
    expect(r.stdout).toContain('--format <format>');
    expect(r.stdout).toContain('github');
    expect((await runMain(['compile-app-settings', '--help'])).stdout).toContain('--skip-validate');
  });
});

describe('compile-app-settings validates first', () => {
  const SENTINEL = '{ "previous": true }\n';

  it('writes nothing when the config is invalid, and says why', async () => {
    const dir = broken();
    writeFileSync(path.join(dir, 'app_settings.json'), SENTINEL);
    const r = await runCht([`--source=${dir}`, 'compile-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Did you mean 'reports'?");
    expect(r.stderr).toContain('The config has 2 errors: nothing was written.');
    expect(readFileSync(path.join(dir, 'app_settings.json'), 'utf8')).toBe(SENTINEL);
  });

  it('compiles anyway with --skip-validate, with a warning', async () => {
    const dir = corpus('target-visible-string');
    const r = await runMain([`--source=${dir}`, 'compile-app-settings', '--skip-validate']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--skip-validate');
    expect(JSON.parse(readFileSync(path.join(dir, 'app_settings.json'), 'utf8')).tasks.targets.items[0].visible).toBe('false');
  });

  it('shows schema errors as warnings and compiles with --debug, as cht-conf does with -- --debug', async () => {
    const dir = corpus('task-appliesTo-typo');
    const r = await runMain([`--source=${dir}`, 'compile-app-settings', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('[WARNING]');
    expect(r.stderr).toContain("not 'report'");
    expect(existsSync(path.join(dir, 'app_settings.json'))).toBe(true);
  });

  it('fails on validation warnings with --strict before writing', async () => {
    const dir = corpus('never-timely-event');
    const r = await runMain([`--source=${dir}`, 'compile-app-settings', '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('with --strict: nothing was written');
    expect(existsSync(path.join(dir, 'app_settings.json'))).toBe(false);
  });

  it('prints each warning once (validation and compile both see deprecated files)', async () => {
    const dir = tempCopy(fixture('example-app'));
    writeFileSync(path.join(dir, 'app_settings', 'base_settings.json'), readFileSync(path.join(dir, 'app_settings', 'base_settings.json'), 'utf8').replace('"locale": "en",', '"locale": "en", "schedules": [],'));
    const r = await runMain([`--source=${dir}`, 'compile-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('"schedules" should be defined in app_settings/schedules.json').length - 1).toBe(1);
  });
});
