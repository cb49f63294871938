import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, tempCopy, type RunResult } from '../helpers/cli.js';
import { snapshotDir } from '../local-instance/helpers/serve.js';
import { PASSWORD, ROUTES, startFaultServer, type FaultServer } from './helpers/fault-server.js';

/**
 * The client against a server that misbehaves on purpose. Every case checks the exit code, the message, that
 * the password appears in no output, and that the project is unchanged and every backup file complete.
 */
let server: FaultServer;
let project: string;
let before: Record<string, string>;

beforeEach(async () => {
  server = await startFaultServer();
  server.settings = { locale: 'en' };
  project = tempCopy(fixture('example-app'));
  before = snapshotDir(project);
});
afterEach(async () => server.close());
afterAll(() => cleanupTemps());

function deploy(extra: string[] = [], url = server.authUrl): Promise<RunResult> {
  return runCht([`--source=${project}`, `--url=${url}`, ...extra, 'backup-app-settings', 'upload-app-settings']);
}

/** Nothing half-written: the project's own files as before, and any backup is complete JSON. */
function expectProjectIntact(): void {
  const after = snapshotDir(project);
  for (const [file, hash] of Object.entries(before)) expect(after[file], file).toBe(hash);
  const backups = path.join(project, 'backups');
  if (!existsSync(backups)) return;
  for (const name of readdirSync(backups)) {
    expect(name, 'no temp files left').not.toMatch(/\.tmp$/);
    JSON.parse(readFileSync(path.join(backups, name), 'utf8'));
  }
}

function expectNoCredential(r: RunResult): void {
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(PASSWORD));
}

describe('faults', () => {
  it('retries a 500 and then succeeds', async () => {
    server.queue(ROUTES.available, { status: 500 });
    server.queue(ROUTES.put, { status: 503 });
    const r = await deploy(['--verbose']);
    expect(r.code, r.stderr).toBe(0);
    expect(server.count(ROUTES.available)).toBe(2);
    expect(server.count(ROUTES.put)).toBe(2);
    expect(r.stderr).toMatch(/GET \/medic\/ failed \(HTTP 500\); retrying in 0\.5 s \(attempt 2 of 4\)/);
    expect(server.settings.locale).toBe('en');
    expect(server.settings.tasks).toBeTruthy();
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('gives up on 500 forever with exit 2 after a bounded number of attempts', async () => {
    server.always(ROUTES.put, { status: 500, body: { error: 'server_error', reason: 'boom' } });
    const started = Date.now();
    const r = await deploy(['--verbose']);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The instance answered 500 Internal Server Error to PUT /medic/_design/medic/_rewrite/update_settings/medic?replace=1 (4 attempts)');
    expect(r.stderr).toContain('server_error: boom');
    expect(server.count(ROUTES.put)).toBe(4);
    // 3.5 s of backoff in total by design; the generous bound only proves there is no cht-conf-style 13 s+ storm.
    expect(seconds).toBeLessThan(20);
    expectNoCredential(r);
    expectProjectIntact();
    expect(readdirSync(path.join(project, 'backups')).filter((f) => f.endsWith('.bak'))).toHaveLength(1);
  });

  it('retries a connection reset mid-response, then fails with exit 2 if it persists', async () => {
    server.queue(ROUTES.settings, { reset: 'mid-body' });
    const once = await deploy();
    expect(once.code, once.stderr).toBe(0);
    expect(once.stderr).toMatch(/retrying/);

    server.always(ROUTES.settings, { reset: 'mid-body' });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The connection to http:\/\/127\.0\.0\.1:\d+ was cut before the response to GET \/medic\/_design\/medic\/_rewrite\/app_settings\/medic was complete \(4 attempts\)/);
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('times out a response that never comes (no retry), exit 2', async () => {
    server.always(ROUTES.deployInfo, { hang: true });
    const r = await deploy(['--timeout=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No response from');
    expect(r.stderr).toContain('within 1 s to GET /api/deploy-info');
    expect(r.stderr).toContain('--timeout');
    expect(server.count(ROUTES.deployInfo)).toBe(1);
    expect(server.count(ROUTES.put)).toBe(0);
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('401: plain message, no retry, exit 2', async () => {
    const r = await deploy([], server.authUrl.replace(PASSWORD, `${PASSWORD}-wrong`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Authentication failed connecting to http://127.0.0.1:");
    expect(r.stderr).toContain("the instance did not accept the user 'deployer'");
    expect(server.requests).toHaveLength(1);
    expectNoCredential(r);
    expectProjectIntact();
    expect(existsSync(path.join(project, 'backups'))).toBe(false);
  });

  it('403 on the upload: plain message, no retry, exit 2, backup complete', async () => {
    server.always(ROUTES.put, { status: 403, body: { error: 'forbidden', reason: 'Insufficient privileges' } });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Insufficient permissions: the user 'deployer' may not upload the app settings");
    expect(r.stderr).toContain('can_configure');
    expect(server.count(ROUTES.put)).toBe(1);
    expectNoCredential(r);
    expectProjectIntact();
    const backups = readdirSync(path.join(project, 'backups')).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(project, 'backups', backups[0]!), 'utf8')).toBe('{\n  "locale": "en"\n}\n');
  });

  it('404 on the availability check: not a CHT instance, exit 2', async () => {
    server.always(ROUTES.available, { status: 404, body: { error: 'not_found' } });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not look like a CHT instance');
    expect(server.requests).toHaveLength(1);
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('200 with an HTML page: not a CHT instance, exit 2', async () => {
    server.always(ROUTES.available, { status: 200, body: '<!doctype html><title>Welcome</title>', headers: { 'Content-Type': 'text/html' } });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this does not look like a CHT instance');
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('409 on the upload: conflict message, no retry, exit 2', async () => {
    server.always(ROUTES.put, { status: 409, body: { error: 'conflict', reason: 'Document update conflict.' } });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The instance reported a conflict (409) while trying to upload the app settings: conflict: Document update conflict.');
    expect(server.count(ROUTES.put)).toBe(1);
    expectNoCredential(r);
    expectProjectIntact();
  });

  it('200 with success:false is a failed upload, exit 2', async () => {
    server.always(ROUTES.put, { status: 200, body: { success: false, error: 'bad settings' } });
    const r = await deploy();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The instance did not accept the settings: bad settings.');
    expectNoCredential(r);
    expectProjectIntact();
    // No drift record is written for an upload that did not happen.
    expect(readdirSync(path.join(project, 'backups')).filter((f) => f.startsWith('last-upload'))).toHaveLength(0);
  });

  it('connection refused: exit 2 with a hint, bounded retries', async () => {
    const url = server.authUrl;
    await server.close();
    const r = await deploy([], url);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('connection refused (4 attempts)');
    expect(r.stderr).toContain('cht serve');
    expectNoCredential(r);
    expectProjectIntact();
  });
});
