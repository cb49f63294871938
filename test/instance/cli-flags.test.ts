import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cleanupTemps, fixture, runMain, tempCopy } from '../helpers/cli.js';
import { startServe, stopAllServes } from '../local-instance/helpers/serve.js';

/** Instance flags as a CI script meets them: everything checked before any action runs. */
afterAll(async () => {
  await stopAllServes();
  cleanupTemps();
});

describe('instance flags', () => {
  it('without an instance flag nothing runs, not even compile (exit 1)', async () => {
    const project = tempCopy(fixture('example-app'));
    rmSync(path.join(project, 'app_settings.json'));
    const r = await runMain([`--source=${project}`, 'compile-app-settings', 'upload-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('One of these parameters is required: --local, --url=URL, --instance=NAME or --archive.');
    expect(existsSync(path.join(project, 'app_settings.json'))).toBe(false);
  });

  it('compile-app-settings alone needs no instance flag', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain([`--source=${project}`, 'compile-app-settings']);
    expect(r.code, r.stderr).toBe(0);
  });

  it("rejects cht-conf's invalid combinations with its messages (exit 1)", async () => {
    const project = tempCopy(fixture('example-app'));
    const run = (...args: string[]) => runMain([`--source=${project}`, ...args, 'upload-app-settings']);
    expect((await run('--local', '--url=http://a:b@localhost:1')).stderr).toContain('Only one of');
    expect((await run('--url=http://localhost:1', '--user=bob')).stderr).toContain('The --user switch must be accompanied with --instance.');
    expect((await run('--archive')).stderr).toContain('--destination=<path to save files> is required with --archive.');
    const couch = await runMain([`--source=${project}`, '--local', 'upload-app-settings'], { env: cleanEnv({ COUCH_URL: 'http://a:secret-couch@db.example.org:5984/medic' }) });
    expect(couch.code).toBe(1);
    expect(couch.stderr).toContain("--local was specified but COUCH_URL env var is set to 'db.example.org'.");
    expect(couch.stderr).not.toContain('secret-couch');
  });

  it('--instance without a terminal asks for --url or CHT_PASSWORD instead of hanging', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain([`--source=${project}`, '--instance=demo-cht.dev', 'upload-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--instance needs the password of admin on demo-cht.dev.medicmobile.org, and this run cannot ask for it (no terminal).');
    expect(r.stderr).toContain('CHT_PASSWORD');
  });

  it('the production guard stops a non-matching *.app.medicmobile.org instance without --force (no request made)', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain([`--source=${project}`, '--url=https://admin:guard-pw@moh-ke.app.medicmobile.org', 'upload-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Attempting to use project for example-app against non-matching instance: https://moh-ke.app.medicmobile.org');
    expect(r.stderr).toContain('pass --force');
    expect(r.stderr).not.toContain('guard-pw');
  });

  it('CHT_URL, CHT_USERNAME/CHT_PASSWORD and --session-token reach the instance without credentials on the command line', async () => {
    const serve = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')));
    const project = tempCopy(fixture('example-app'));
    const viaEnv = await runMain([`--source=${project}`, '--dry-run', 'upload-app-settings'], {
      env: cleanEnv({ CHT_URL: serve.url, CHT_USERNAME: 'admin', CHT_PASSWORD: 'pass' }),
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stderr).toContain('(CHT_URL)');

    const login = await fetch(`${serve.url}/_session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"admin","password":"pass"}' });
    const token = /AuthSession=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const viaCookie = await runMain([`--source=${project}`, `--url=${serve.url}`, `--session-token=${token}`, '--verbose', 'upload-app-settings']);
    expect(viaCookie.code, viaCookie.stderr).toBe(0);
    expect(viaCookie.stdout + viaCookie.stderr).not.toContain(token);
    const anonymous = await runMain([`--source=${project}`, `--url=${serve.url}`, 'upload-app-settings']);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('Authentication failed');
  });

  it('--timeout must be a number of seconds', async () => {
    const project = tempCopy(fixture('example-app'));
    const r = await runMain([`--source=${project}`, '--local', '--timeout=soon', 'upload-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--timeout=soon is not a number of seconds.');
  });
});
