import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cleanupTemps, fixture, runCht, runMain, tempCopy } from '../helpers/cli.js';

afterAll(cleanupTemps);

describe('cht command line', () => {
  it('prints help on stdout with the actions by area and the flags every action takes, and exits 0', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cht [flags] ACTION [ACTION ...]');
    const areas = ['Build and check:', 'Dry-run:', 'Deploy:'].map((a) => r.stdout.indexOf(a));
    expect(areas.every((i) => i > 0)).toBe(true);
    // Each action is listed under its area.
    expect(r.stdout.indexOf('compile-app-settings')).toBeGreaterThan(areas[0]!);
    expect(r.stdout.indexOf('dry-run-tasks')).toBeGreaterThan(areas[1]!);
    expect(r.stdout.indexOf('upload-app-settings')).toBeGreaterThan(areas[2]!);
    expect(r.stdout).toContain('--source <dir>');
    // An action's own flags are in its own help, not in the overview.
    expect(r.stdout).not.toContain('--all-states');
    expect(r.stdout).not.toContain('--accept-self-signed-certs');
    expect(r.stderr).toBe('');
    expect((await runMain(['help'])).stdout).toBe(r.stdout);
  });

  it('cht ACTION --help and cht help ACTION show that action: purpose, its own flags, examples', async () => {
    const r = await runMain(['dry-run-tasks', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cht [flags] dry-run-tasks');
    expect(r.stdout).toContain('--all-states');
    expect(r.stdout).toContain('--format <format>');
    expect(r.stdout).toContain('--no-reuse');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--against <old>');
    // --against=instance reads the instance: its connection flags, not the upload's.
    expect(r.stdout).toContain('--accept-self-signed-certs');
    expect(r.stdout).not.toContain('--archive');
    expect(r.stdout).not.toContain('--skip-validate');
    expect((await runMain(['help', 'dry-run-tasks'])).stdout).toBe(r.stdout);
    const upload = await runMain(['--local', 'upload-app-settings', '-h']);
    expect(upload.stdout).toContain('--accept-self-signed-certs');
    expect(upload.stdout).not.toContain('--all-states');
    const unknown = await runMain(['help', 'upload-app-setings']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No such action: upload-app-setings. Did you mean upload-app-settings?');
  });

  it('prints the version', async () => {
    const r = await runMain(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown action with a message and the usage on stderr, exit 1', async () => {
    const r = await runMain(['compile-app-setings']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unsupported action(s): compile-app-setings. Did you mean compile-app-settings?');
    expect(r.stderr).toContain('Usage: cht');
    const two = await runMain(['dry-run-task', 'validate', 'compile-app-setings']);
    expect(two.stderr).toContain(
      'Unsupported action(s): dry-run-task validate compile-app-setings. ' +
      'Did you mean dry-run-tasks (not dry-run-task), compile-app-settings (not compile-app-setings)?',
    );
    // Nothing close: no suggestion.
    expect((await runMain(['frobnicate'])).stderr).not.toContain('Did you mean');
  });

  it('rejects an unknown flag with a message and the usage on stderr, exit 1', async () => {
    const r = await runMain(['--sauce=x', 'compile-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--sauce=x'");
    expect(r.stderr).toContain('Usage: cht');
  });

  it('suggests the flag meant, in both forms of a mistyped flag, as the hint', async () => {
    for (const args of [['dry-run-tasks', '--dte=2024-06-30'], ['dry-run-tasks', '--dte', '2024-06-30']]) {
      const r = await runMain(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`unknown option '${args[1]}'`);
      expect(r.stderr).toContain('\n  Did you mean --date?\n');
      // Commander's own suggestion is not printed as well, on a line of its own.
      expect(r.stderr).not.toContain('(Did you mean');
    }
    expect((await runMain(['--frobnicate', 'compile-app-settings'])).stderr).not.toContain('Did you mean');
  });

  it('names cht-conf actions it does not implement instead of calling them unknown', async () => {
    const r = await runMain(['upload-app-forms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not supported by chtkit: upload-app-forms');
    expect(r.stderr).toContain('cht-conf');
  });

  it('asks for an action when none is given', async () => {
    const r = await runMain(['--source=.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No action given');
  });

  it('lists supported actions', async () => {
    const r = await runMain(['--supported-actions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Supported actions:');
    expect(r.stdout).toContain('compile-app-settings');
  });

  it('accepts both --flag=value and --flag value', async () => {
    const project = tempCopy(fixture('example-app'));
    const a = await runMain([`--source=${project}`, 'compile-app-settings']);
    const b = await runMain(['--source', project, 'compile-app-settings']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
  });

  it('accepts the cht-conf flags CI scripts pass, and `-- --debug`', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain([
      '--skip-dependency-check', '--skip-version-check', '--skip-git-check', `--source=${project}`,
      'compile-app-settings', '--', '--debug',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('debug: not minified');
  });

  it('--silent prints nothing on success', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain(['--silent', `--source=${project}`, 'compile-app-settings']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it('--verbose logs each action start and end on stderr', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain(['--verbose', `--source=${project}`, 'compile-app-settings']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Starting action: compile-app-settings');
    expect(r.stderr).toContain('compile-app-settings complete.');
  });
});

describe('colour', () => {
  const ANSI = new RegExp(String.fromCharCode(27) + "\\[");
  it('is off when NO_COLOR is set, even when forced', async () => {
    const r = await runMain(['upload-app-forms'], { env: cleanEnv({ NO_COLOR: '1', FORCE_COLOR: '1' }) });
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('is off with --no-color, even when forced', async () => {
    const env = cleanEnv({ FORCE_COLOR: '1' });
    delete env.NO_COLOR;
    const r = await runMain(['--no-color', 'upload-app-forms'], { env });
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('is on for a pipe only when FORCE_COLOR asks for it', async () => {
    const env = cleanEnv({ FORCE_COLOR: '1' });
    delete env.NO_COLOR;
    const forced = await runMain(['upload-app-forms'], { env });
    expect(forced.stderr).toMatch(ANSI);
    const env2 = cleanEnv();
    delete env2.NO_COLOR;
    const piped = await runMain(['upload-app-forms'], { env: env2 });
    expect(piped.stderr).not.toMatch(ANSI);
  });
});

describe('the real binary', () => {
  it('runs from bin/cht.js, keeps stdout clean, and sets the exit code', async () => {
    const project = tempCopy(fixture('example-app'));
    const ok = await runCht([`--source=${project}`, 'compile-app-settings']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toContain('Compiled');
    const bad = await runCht(['nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
