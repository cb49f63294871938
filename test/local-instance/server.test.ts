/* eslint-disable @typescript-eslint/no-explicit-any -- settings documents are user-shaped JSON */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalInstance, type LocalInstance } from '../../src/local-instance/server.js';

/** The local instance's HTTP surface, in-process on 127.0.0.1:0, spoken to over real sockets. */
const started: LocalInstance[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(dataDir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-li-')), coreVersion = '4.11.0') {
  const instance = await startLocalInstance({ dataDir, port: 0, host: '127.0.0.1', coreVersion });
  started.push(instance);
  return instance;
}

const basic = (auth: string) => `Basic ${Buffer.from(auth).toString('base64')}`;

async function call(
  instance: LocalInstance,
  method: string,
  route: string,
  opts: { auth?: string | null; body?: unknown; cookie?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.auth !== null) headers.Authorization = basic(opts.auth ?? 'admin:pass');
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.body !== undefined) headers['Content-Type'] = opts.type ?? 'application/json';
  const res = await fetch(`${instance.url}${route}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('cht serve HTTP surface', () => {
  it('answers the deploy surface with CHT shapes', async () => {
    const li = await start(undefined, '4.1.0');
    expect((await call(li, 'GET', '/medic/')).body).toMatchObject({ db_name: 'medic', doc_count: 0 });
    expect((await call(li, 'GET', '/medic')).status).toBe(200);
    expect((await call(li, 'GET', '/api/deploy-info')).body).toMatchObject({ version: '4.1.0' });
    expect((await call(li, 'GET', '/medic/_design/medic/_rewrite/app_settings/medic')).body).toEqual({ settings: {}, meta: {}, schema: {} });
    const transitions = (await call(li, 'GET', '/api/v1/settings/deprecated-transitions')).body;
    expect(transitions.map((t: { name: string }) => t.name)).toEqual(['update_notifications', 'generate_patient_id_on_people']);
  });

  it("replace, overwrite and the default deep merge follow cht-core's settings service, with its updated flag", async () => {
    const li = await start();
    const put = (query: string, body: unknown) => call(li, 'PUT', `/api/v1/settings${query}`, { body });
    const get = async () => (await call(li, 'GET', '/api/v1/settings')).body;

    expect((await put('?replace=1', { a: { x: 1, y: 2 }, b: [1, 2], c: 'c' })).body).toEqual({ success: true, updated: true });
    expect((await put('?replace=1', { a: { x: 1, y: 2 } })).body).toEqual({ success: true, updated: false });
    // replace: a given top-level key replaces the stored one whole; the others stay
    await put('?replace=1', { a: { z: 3 } });
    expect(await get()).toEqual({ a: { z: 3 }, b: [1, 2], c: 'c' });
    // default: objects merge recursively, arrays replace
    await put('', { a: { y: 4 }, b: [9] });
    expect(await get()).toEqual({ a: { z: 3, y: 4 }, b: [9], c: 'c' });
    // overwrite: the whole document, and it wins over replace
    await put('?replace=1&overwrite=1', { only: true });
    expect(await get()).toEqual({ only: true });
    // the legacy rewrite route is the same handler
    expect((await call(li, 'PUT', '/medic/_design/medic/_rewrite/update_settings/medic?replace=1', { body: { more: 1 } })).body).toEqual({ success: true, updated: true });
    expect(await get()).toEqual({ only: true, more: 1 });
    // the v0 route with a path, as object-path reads it
    await put('?replace=1', { tasks: { targets: { enabled: true } } });
    expect((await call(li, 'GET', '/medic/_design/medic/_rewrite/app_settings/medic/tasks.targets')).body.settings).toEqual({ enabled: true });
    expect((await call(li, 'GET', '/medic/_design/medic/_rewrite/app_settings/medic/no.such')).body.settings).toEqual({});
  });

  it('auth: 401 without or with wrong credentials, 403 for a non-admin write, cookie sessions', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-li-'));
    writeFileSync(path.join(dir, 'users.json'), JSON.stringify({ admin: { roles: ['_admin'], password: 'pass' }, chw: { roles: ['chw'], password: 'pw' } }));
    const li = await start(dir);
    const anon = await call(li, 'GET', '/api/v1/settings', { auth: null });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ error: 'unauthorized', reason: 'You are not authorized to access this db.' });
    expect(anon.headers.get('www-authenticate')).toContain('Basic');
    expect((await call(li, 'GET', '/medic/', { auth: 'admin:nope' })).body).toEqual({ error: 'unauthorized', reason: 'Name or password is incorrect.' });
    expect((await call(li, 'GET', '/api/v1/settings', { auth: 'chw:pw' })).status).toBe(200);
    const denied = await call(li, 'PUT', '/api/v1/settings?replace=1', { auth: 'chw:pw', body: { a: 1 } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: 'forbidden', reason: 'Insufficient privileges' });

    const login = await call(li, 'POST', '/_session', { auth: null, body: { name: 'admin', password: 'pass' } });
    expect(login.body).toEqual({ ok: true, name: 'admin', roles: ['_admin'] });
    const cookie = /AuthSession=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    expect((await call(li, 'PUT', '/api/v1/settings?replace=1', { auth: null, cookie, body: { a: 1 } })).body).toEqual({ success: true, updated: true });
    expect((await call(li, 'GET', '/_session', { auth: null, cookie })).body.userCtx).toEqual({ name: 'admin', roles: ['_admin'] });
    const form = await call(li, 'POST', '/_session', { auth: null, body: 'name=admin&password=wrong', type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(401);
  });

  it('CouchDB-style errors: 404 naming the route, bad bodies', async () => {
    const li = await start();
    const missing = await call(li, 'GET', '/medic/some-doc');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    expect(missing.body.reason).toContain("chtkit's local instance does not implement GET /medic/some-doc");
    const wrongMethod = await call(li, 'DELETE', '/api/v1/settings');
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.reason).toBe("chtkit's local instance serves /api/v1/settings only with GET, PUT, not DELETE.");
    expect((await call(li, 'PUT', '/api/v1/settings', { body: '{nope' })).body).toEqual({ error: 'bad_request', reason: 'invalid UTF-8 JSON' });
    expect((await call(li, 'PUT', '/api/v1/settings', { body: [1] })).status).toBe(400);
    expect((await call(li, 'PUT', '/api/v1/settings', { body: '{}', type: 'text/plain' })).body.reason).toContain('Content-Type header was not set to application/json');
  });

  it('stores durably: reopening the data directory gives the same settings; users.json holds no plain password', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-li-'));
    const first = await start(dir);
    await call(first, 'PUT', '/api/v1/settings?replace=1', { body: { locale: 'sw' } });
    await first.close();
    writeFileSync(path.join(dir, '.settings.json.123.456.abc.tmp'), '{"half');
    const second = await start(dir);
    expect((await call(second, 'GET', '/api/v1/settings')).body).toEqual({ locale: 'sw' });
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'users.json']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path.join(dir, 'users.json'), 'utf8')).not.toMatch(/"password"/);
  });
});
