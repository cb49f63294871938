import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, runChtConf, tempCopy } from '../helpers/cli.js';
import { getJson, startServe, stopAllServes, type ServeProcess } from './helpers/serve.js';

/** cht-conf 6.6.1, a real client of CHT, against `cht serve`; and the two tools reading each other's uploads. */
let serve: ServeProcess;
let project: string;

beforeEach(async () => {
  serve = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')));
  project = tempCopy(fixture('example-app'));
});
afterEach(async () => stopAllServes());
afterAll(() => cleanupTemps());

function latestBackup(): string {
  const dir = path.join(project, 'backups');
  const name = readdirSync(dir).filter((f) => f.endsWith('.bak')).sort().at(-1)!;
  return readFileSync(path.join(dir, name), 'utf8');
}

const compiled = () => readFileSync(path.join(project, 'app_settings.json'), 'utf8');

describe('cht-conf 6.6.1 against cht serve', () => {
  it('uploads and backs up successfully', async () => {
    const r = await runChtConf([`--url=${serve.adminUrl}`, 'backup-app-settings', 'upload-app-settings'], { cwd: project });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Settings updated successfully');
    expect(latestBackup()).toBe('{}\n');
    const again = await runChtConf([`--url=${serve.adminUrl}`, 'upload-app-settings'], { cwd: project });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Settings not updated - no changes detected');
  });

  it('what cht-conf uploaded is what chtkit backs up', async () => {
    expect((await runChtConf([`--url=${serve.adminUrl}`, 'upload-app-settings'], { cwd: project })).code).toBe(0);
    const r = await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'backup-app-settings', 'upload-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(latestBackup()).toBe(compiled());
    // and chtkit sees nothing to upload
    expect(r.stderr).toContain('already up to date');
  });

  it('what chtkit uploaded is what cht-conf backs up', async () => {
    expect((await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings'])).code).toBe(0);
    const r = await runChtConf([`--url=${serve.adminUrl}`, 'backup-app-settings'], { cwd: project });
    expect(r.code, r.stdout).toBe(0);
    expect(latestBackup()).toBe(compiled());
  });

  it('both send the same PUT body: the stored settings are identical byte for byte', async () => {
    const other = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')));
    expect((await runCht([`--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings'])).code).toBe(0);
    expect((await runChtConf([`--url=${other.adminUrl}`, 'upload-app-settings'], { cwd: project })).code).toBe(0);
    expect(JSON.stringify(await getJson(`${serve.url}/api/v1/settings`))).toBe(JSON.stringify(await getJson(`${other.url}/api/v1/settings`)));
  });

  it('archive mode writes the same settings.doc.json as cht-conf', async () => {
    const ours = mkdtempSync(path.join(os.tmpdir(), 'chtkit-archive-'));
    const theirs = mkdtempSync(path.join(os.tmpdir(), 'chtkit-archive-'));
    const r = await runCht([`--source=${project}`, '--archive', `--destination=${ours}`, 'upload-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    const conf = await runChtConf(['--archive', `--destination=${theirs}`, 'upload-app-settings'], { cwd: project });
    expect(conf.code, conf.stdout).toBe(0);
    const text = readFileSync(path.join(ours, 'settings.doc.json'), 'utf8');
    expect(text).toBe(readFileSync(path.join(theirs, 'settings.doc.json'), 'utf8'));
    expect(text).toBe(JSON.stringify(JSON.parse(compiled())));
    // backup has nothing to read in archive mode: refused before any action runs (exit 1)
    const backup = await runCht([`--source=${project}`, '--archive', `--destination=${ours}`, 'backup-app-settings']);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('not supported in --archive mode');
  });
});
