import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, runCht, tempCopy } from '../../helpers/cli.js';
import { startServe, stopAllServes } from '../../local-instance/helpers/serve.js';

/**
 * validate-app-settings follows the instance's cht-core version (GET /api/deploy-info) when instance flags are
 * given, against a real `cht serve` reporting a chosen version.
 */
const TEST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The workflow corpus's _base-acc (over test/corpus/_base) with a permission cht-core added in 5.1. */
function project(): string {
  const dir = tempCopy(path.join(TEST, 'corpus', '_base'));
  cpSync(path.join(TEST, 'corpus-workflows', '_base-acc'), dir, { recursive: true });
  const file = path.join(dir, 'app_settings', 'base_settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { permissions: Record<string, string[]> };
  settings.permissions.can_get_task_notifications = ['chw'];
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return dir;
}

interface Diag {
  code: string;
  message: string;
  hint?: string;
}
const permissionWarnings = (stdout: string): Diag[] =>
  (JSON.parse(stdout) as { diagnostics: Diag[] }).diagnostics.filter((d) => d.code === 'permissions/unknown-permission');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(async () => stopAllServes());
afterAll(() => cleanupTemps());

describe("the core version from the instance's deploy-info", () => {
  it("follows a 4.11 instance: a 5.1 permission is warned, naming the instance's version", async () => {
    const serve = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')), ['--core-version=4.11.0']);
    const r = await runCht([`--source=${project()}`, `--url=${serve.adminUrl}`, 'validate-app-settings', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [w, ...rest] = permissionWarnings(r.stdout);
    expect(rest).toEqual([]);
    expect(w!.message).toContain('cht-core 4.11 reads (added in cht-core 5.1)');
    expect(w!.hint).toContain("cht-core 4.11 (the instance's version)");
    expect(r.stderr).toContain('The instance runs cht-core 4.11.0');
    expect(JSON.parse(r.stdout).coreVersion).toEqual({ version: '4.11', source: 'instance' });
  });

  it('follows a 5.2 instance: the same permission is fine; --core-version still wins', async () => {
    const serve = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')), ['--core-version=5.2.0']);
    const dir = project();
    const r = await runCht([`--source=${dir}`, `--url=${serve.adminUrl}`, 'validate-app-settings', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(permissionWarnings(r.stdout)).toEqual([]);
    const flagged = await runCht([`--source=${dir}`, `--url=${serve.adminUrl}`, 'validate-app-settings', '--json', '--core-version=4.16']);
    expect(permissionWarnings(flagged.stdout).map((d) => d.hint)).toEqual([expect.stringContaining('cht-core 4.16 (from --core-version)')]);
  });

  it('follows 4.0, the oldest chtkit knows, for a 3.x instance, and says so', async () => {
    const serve = await startServe(mkdtempSync(path.join(os.tmpdir(), 'chtkit-serve-')), ['--core-version=3.17.0']);
    const r = await runCht([`--source=${project()}`, `--url=${serve.adminUrl}`, 'validate-app-settings', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("The instance runs cht-core 3.17.0, older than chtkit's checks know: they follow cht-core 4.0.");
    expect(permissionWarnings(r.stdout).map((d) => d.hint)).toEqual([expect.stringContaining("cht-core 4.0 (the instance's version)")]);
  });

  it('falls back to the newest known version, with a warning, when the instance cannot be reached', async () => {
    const port = await closedPort();
    const r = await runCht([`--source=${project()}`, `--url=http://admin:pass@127.0.0.1:${port}`, 'validate-app-settings', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Could not read the instance's cht-core version");
    expect(r.stderr).toContain('follow cht-core 5.2, the newest chtkit knows');
    expect(permissionWarnings(r.stdout)).toEqual([]);
  }, 20_000);
});
