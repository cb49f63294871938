import http from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, cleanEnv, BIN, fixture, tempCopy } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { getJson, putJson, startServe, stopAllServes } from './helpers/serve.js';

/** `cht serve`'s store: it survives restarts, and SIGKILL at any moment leaves the old or the new settings, whole. */
afterEach(async () => stopAllServes());
afterAll(() => cleanupTemps());

const SETTINGS_PUT = '/medic/_design/medic/_rewrite/update_settings/medic?replace=1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a PUT by hand so the test decides when the server dies: half-way through the body, or after it. */
function startPut(url: string, body: string): { req: http.ClientRequest; sendRest: () => void } {
  const u = new URL(SETTINGS_PUT, url);
  const req = http.request(u, {
    method: 'PUT',
    headers: { Authorization: `Basic ${Buffer.from('admin:pass').toString('base64')}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  req.on('error', () => undefined); // the server dies under it: expected
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { req, sendRest: () => req.end(body.slice(half)) };
}

describe('cht serve storage', () => {
  it('keeps the settings across a restart (SIGTERM)', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-'));
    let serve = await startServe(data);
    expect((await putJson(`${serve.url}/api/v1/settings?replace=1`, { locale: 'fr', n: [1, 2] })).body).toEqual({ success: true, updated: true });
    expect(await serve.stop()).toBe(0);
    serve = await startServe(data);
    expect(await getJson(`${serve.url}/api/v1/settings`)).toEqual({ locale: 'fr', n: [1, 2] });
  });

  it('SIGKILL during uploads: after a restart the settings are the old ones or the new ones, whole', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-'));
    // Big documents (12 MB), so the store write takes long enough for a kill to land inside it: at this size a
    // store that writes in place leaves a broken file and this test fails (checked by breaking the store).
    const pad = 'x'.repeat(12_000_000);
    const outcomes: string[] = [];
    let expected: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const serve = await startServe(data);
      expect(await getJson(`${serve.url}/api/v1/settings`)).toEqual(expected);
      const next = { generation: i, pad: `${pad}${i}`, nested: { list: Array.from({ length: 1000 }, (_, k) => ({ id: `${i}-${k}` })) } };
      const put = startPut(serve.url, JSON.stringify(next));
      let mustBe: 'old' | 'new' | 'either' = 'either';
      if (i === 0) {
        await sleep(20); // the body is still arriving: nothing may change
        mustBe = 'old';
      } else if (i === 1) {
        put.sendRest();
        await new Promise((resolve) => put.req.on('response', resolve)); // answered: it must be stored
        mustBe = 'new';
      } else {
        // Killed the moment the server starts writing: a temp file appears, or (for a store that wrote in
        // place, which this test exists to catch) the store file changes.
        const store = path.join(data, 'settings.json');
        const before = existsSync(store) ? statSync(store).mtimeMs : 0;
        put.sendRest();
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline) {
          if (readdirSync(data).some((f) => f.endsWith('.tmp'))) break;
          if (existsSync(store) && statSync(store).mtimeMs !== before) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      await serve.kill();
      put.req.destroy();
      const leftovers = readdirSync(data).filter((f) => f.endsWith('.tmp'));
      const restarted = await startServe(data);
      const after = (await getJson(`${restarted.url}/api/v1/settings`)) as Record<string, unknown>;
      const isOld = JSON.stringify(after) === JSON.stringify(expected);
      const isNew = JSON.stringify(after) === JSON.stringify({ ...expected, ...next });
      expect(isOld || isNew, `iteration ${i}: neither old nor new`).toBe(true);
      if (mustBe !== 'either') expect(isNew ? 'new' : 'old', `iteration ${i}`).toBe(mustBe);
      outcomes.push(`${isNew ? 'new' : 'old'}${leftovers.length ? ' (killed mid-write)' : ''}`);
      if (isNew) expected = { ...expected, ...next };
      // the restart removed any temp file a killed write left behind
      expect(readdirSync(data).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      if (existsSync(path.join(data, 'settings.json'))) JSON.parse(readFileSync(path.join(data, 'settings.json'), 'utf8'));
      await restarted.kill();
    }
    if (process.env.CHTKIT_TEST_DEBUG) console.log(outcomes);
  });

  it('a chtkit upload whose server is SIGKILLed mid-way fails with exit 2; the instance keeps old or new settings', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-'));
    const project = tempCopy(fixture('example-app'));
    const serve = await startServe(data);
    const child = spawn(process.execPath, [BIN, `--source=${project}`, `--url=${serve.adminUrl}`, 'upload-app-settings'], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The PUT comes right after the deprecated-transitions check; kill the server as soon as that is logged.
    while (!serve.stderr().includes('GET /api/v1/settings/deprecated-transitions')) await sleep(1);
    await serve.kill();
    const code = await exit;
    const restarted = await startServe(data);
    const after = await getJson(`${restarted.url}/api/v1/settings`);
    const local = JSON.parse(readFileSync(path.join(project, 'app_settings.json'), 'utf8')) as unknown;
    expect([JSON.stringify({}), JSON.stringify(local)]).toContain(JSON.stringify(after));
    if (code !== 0) {
      expect(code).toBe(2);
      expect(stderr).toMatch(/connection refused|was cut/);
      expect(stderr).not.toContain('admin:pass');
    }
    expect(existsSync(path.join(data, 'settings.json')) || JSON.stringify(after) === '{}').toBe(true);
  });
});
