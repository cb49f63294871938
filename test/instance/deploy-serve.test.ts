/* eslint-disable @typescript-eslint/no-explicit-any -- settings documents are user-shaped JSON */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, tempCopy } from '../helpers/cli.js';
import { getJson, loggedRequests, putJson, startServe, stopAllServes, type ServeProcess } from '../local-instance/helpers/serve.js';

/** backup-app-settings and upload-app-settings against a real `cht serve` process. */
let serve: ServeProcess;
let project: string;
const PUT = 'PUT /medic/_design/medic/_rewrite/update_settings/medic';

function dataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-'));
}

function appSettings(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(project, 'app_settings.json'), 'utf8')) as Record<string, unknown>;
}

function editAppSettings(edit: (s: Record<string, any>) => void): void {
  const s = appSettings();
  edit(s);
  writeFileSync(path.join(project, 'app_settings.json'), `${JSON.stringify(s, null, 2)}\n`);
}

function backups(): string[] {
  return readdirSync(path.join(project, 'backups')).filter((f) => f.endsWith('.bak')).sort();
}

const deploy = (...extra: string[]) =>
  runCht([`--source=${project}`, `--url=${serve.adminUrl}`, ...extra, 'backup-app-settings', 'upload-app-settings']);

beforeEach(async () => {
  serve = await startServe(dataDir());
  project = tempCopy(fixture('example-app'));
});
afterEach(async () => stopAllServes());
afterAll(() => cleanupTemps());

describe('deploy to cht serve', () => {
  it('first upload: backs up the empty settings, shows every key as added, stores the settings', async () => {
    const r = await deploy();
    expect(r.code, r.stderr).toBe(0);
    expect(backups()).toHaveLength(1);
    expect(readFileSync(path.join(project, 'backups', backups()[0]!), 'utf8')).toBe('{}\n');
    expect(r.stdout).toContain('Changes to the app settings on http://127.0.0.1:');
    expect(r.stdout).toContain('+ locale: "en"');
    expect(r.stdout).toMatch(/\+ tasks: \{5 keys\}/);
    expect(r.stderr).toContain('Settings updated successfully');
    expect(await getJson(`${serve.url}/api/v1/settings`)).toEqual(appSettings());
    expect(r.stdout + r.stderr).not.toContain('admin:pass');
    // cht-conf's request order, plus the diff read before and the read-back after the PUT.
    expect(loggedRequests(serve)).toEqual([
      'GET /medic/',
      'GET /medic/_design/medic/_rewrite/app_settings/medic',
      'GET /api/deploy-info',
      'GET /api/v1/settings/deprecated-transitions',
      PUT,
      'GET /medic/_design/medic/_rewrite/app_settings/medic',
    ]);
  });

  it('no-op upload: "already up to date", no PUT, exit 0; the backup holds exactly the uploaded settings', async () => {
    expect((await deploy()).code).toBe(0);
    const r = await deploy();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('already up to date: nothing uploaded');
    expect(r.stdout).toBe('');
    expect(loggedRequests(serve).filter((l) => l === PUT)).toHaveLength(1);
    // Backup file contents: byte for byte the compiled file (2-space JSON, newline, same key order).
    const second = readFileSync(path.join(project, 'backups', backups()[1]!), 'utf8');
    expect(second).toBe(readFileSync(path.join(project, 'app_settings.json'), 'utf8'));
  });

  it('changed upload: shows the diff (rules as text), uploads, exit 0', async () => {
    expect((await deploy()).code).toBe(0);
    editAppSettings((s) => {
      s.locale = 'fr';
      s.tasks.rules = s.tasks.rules.replace('Utils.addDate', 'Utils.addDate /*changed*/');
      delete s.setup_complete;
    });
    const r = await deploy();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('~ locale: "en" → "fr"');
    expect(r.stdout).toMatch(/~ tasks\.rules: text of \d+ → \d+ characters/);
    expect(r.stdout).toMatch(/\+\s+return Utils\.addDate \/\*changed\*\//);
    expect(r.stdout).toMatch(/2 changes: 2 changed, 0 added, 0 removed/);
    // replace=1 keeps top-level keys the project no longer has; the diff says so.
    expect(r.stdout).toContain('Kept as they are (only on the instance; replace=1 leaves them): setup_complete');
    const remote = (await getJson(`${serve.url}/api/v1/settings`)) as Record<string, any>;
    expect(remote.locale).toBe('fr');
    expect(remote.setup_complete).toBe(true);
  });

  it('--dry-run shows the diff and uploads nothing; --json prints one document', async () => {
    expect((await deploy()).code).toBe(0);
    editAppSettings((s) => (s.locale = 'sw'));
    const r = await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, '--dry-run', '--json', 'backup-app-settings', 'upload-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc.instance).toBe(serve.url);
    expect(doc.backup.file).toMatch(/backups[\\/]app_settings\.json\.\d+\.bak$/);
    expect(doc.upload).toMatchObject({ dryRun: true, uploaded: false, updated: null, upToDate: false, coreVersion: '4.11.0', noolsWrapper: false });
    expect(doc.upload.diff.summary).toEqual({ added: 0, removed: 0, changed: 1, moved: 0 });
    expect(doc.upload.diff.changes).toEqual([{ kind: 'changed', path: 'locale', before: 'en', after: 'sw' }]);
    expect(doc.upload.drift).toEqual({ summary: { added: 0, removed: 0, changed: 0, moved: 0 }, changes: [] });
    expect(((await getJson(`${serve.url}/api/v1/settings`)) as Record<string, unknown>).locale).toBe('en');
    expect(r.stdout + r.stderr).not.toContain('admin:pass');
  });

  it('drift: an edit on the instance since the last upload stops a non-interactive upload unless --force', async () => {
    expect((await deploy()).code).toBe(0);
    // Someone edits the settings in the admin app (which PUTs /api/v1/settings).
    expect((await putJson(`${serve.url}/api/v1/settings?replace=1`, { date_format: 'YYYY-MM-DD' })).body).toEqual({ success: true, updated: true });
    // The project moves on meanwhile; its upload would silently revert the admin's edit.
    editAppSettings((s) => (s.locale = 'fr'));
    const stopped = await deploy();
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('The app settings on the instance were changed since this project uploaded them');
    expect(stopped.stderr).toContain('~ date_format: "DD-MMM-YYYY" → "YYYY-MM-DD"');
    expect(stopped.stderr).toContain('Upload stopped');
    expect(stopped.stderr).toContain('--force');
    expect(((await getJson(`${serve.url}/api/v1/settings`)) as Record<string, unknown>).locale).toBe('en');

    const forced = await deploy('--force');
    expect(forced.code, forced.stderr).toBe(0);
    const remote = (await getJson(`${serve.url}/api/v1/settings`)) as Record<string, unknown>;
    expect(remote.locale).toBe('fr');
    expect(remote.date_format).toBe('DD-MMM-YYYY');
    // After the forced upload the record is fresh again: no drift.
    expect((await deploy()).stderr).toContain('already up to date');
  });

  it('a non-admin user gets 403 on the upload (exit 2), after a complete backup', async () => {
    await serve.stop();
    const dir = dataDir();
    writeFileSync(path.join(dir, 'users.json'), JSON.stringify({ admin: { roles: ['_admin'], password: 'pass' }, chw: { roles: ['chw'], password: 'chw-pw-123' } }));
    serve = await startServe(dir);
    expect(readFileSync(path.join(dir, 'users.json'), 'utf8')).not.toContain('chw-pw-123');
    const r = await runCht([`--source=${project}`, `--url=${serve.url.replace('http://', 'http://chw:chw-pw-123@')}`, 'backup-app-settings', 'upload-app-settings']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Insufficient permissions: the user 'chw' may not upload the app settings");
    expect(r.stdout + r.stderr).not.toContain('chw-pw-123');
    expect(backups()).toHaveLength(1);
  });

  it('legacy wrapper: an instance reporting 4.1.x gets the rules wrapped in nools boilerplate, like cht-conf does', async () => {
    await serve.stop();
    serve = await startServe(dataDir(), ['--core-version=4.1.3']);
    const r = await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('The instance runs CHT 4.1.3 (before 4.2)');
    const ours = (await getJson(`${serve.url}/api/v1/settings`)) as Record<string, any>;
    const local = appSettings() as Record<string, any>;
    expect(ours.tasks.isDeclarative).toBeUndefined();
    expect(ours.tasks.rules.startsWith('define Target { _id: null, contact: null')).toBe(true);
    expect(ours.tasks.rules).toContain(`rule GenerateEvents {\n  when { c: Contact } then { ${local.tasks.rules} }\n}`);
    expect(Object.keys(ours.tasks)).toEqual(Object.keys(local.tasks).filter((k) => k !== 'isDeclarative'));

    // cht-conf 6.6.1 uploading the same file to another 4.1.3 instance stores exactly the same settings.
    const other = await startServe(dataDir(), ['--core-version=4.1.3']);
    const { runChtConf } = await import('../helpers/cli.js');
    const conf = await runChtConf([`--url=${other.adminUrl}`, 'upload-app-settings'], { cwd: project });
    expect(conf.code, conf.stdout).toBe(0);
    expect(JSON.stringify(await getJson(`${other.url}/api/v1/settings`))).toBe(JSON.stringify(ours));
    // Re-uploading to the legacy instance is a no-op (the wrapped form is what is compared).
    expect((await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings'])).stderr).toContain('already up to date');
  });

  it('warns about configured deprecated transitions (not disabled ones)', async () => {
    editAppSettings((s) => {
      s.transitions = { update_notifications: true, generate_patient_id_on_people: { disable: true }, registration: true };
    });
    const r = await deploy();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning update_notifications transition is deprecated since 3.2.x. Please use "muting" transition instead.');
    expect(r.stderr).not.toContain('generate_patient_id_on_people transition is deprecated');
  });

  it('upload without app_settings.json is a config error (exit 1), naming compile-app-settings', async () => {
    const { rmSync } = await import('node:fs');
    rmSync(path.join(project, 'app_settings.json'));
    const r = await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run compile-app-settings first');
  });
});
