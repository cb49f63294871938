import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, runMain, tempCopy } from '../helpers/cli.js';
import { snapshotDir } from '../local-instance/helpers/serve.js';
import { PASSWORD, startFaultServer, type FaultServer } from './helpers/fault-server.js';

/** A self-signed certificate: refused by default, accepted with the flag, and only for chtkit's own requests. */
let server: FaultServer;
let project: string;

beforeAll(async () => {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  } as never);
  server = await startFaultServer({ key: pems.private, cert: pems.cert });
  project = tempCopy(fixture('example-app'));
});
afterAll(async () => {
  await server.close();
  cleanupTemps();
});

describe('self-signed TLS', () => {
  it('is refused without --accept-self-signed-certs (exit 2, plain message, no retry)', async () => {
    const before = snapshotDir(project);
    const r = await runCht([`--source=${project}`, `--url=${server.authUrl}`, 'backup-app-settings', 'upload-app-settings']);
    expect(r.code).toBe(2);
    expect(snapshotDir(project)).toEqual(before);
    expect(r.stderr).toContain('The TLS certificate of 127.0.0.1:');
    expect(r.stderr).toContain('is not trusted: it is self-signed');
    expect(r.stderr).toContain('--accept-self-signed-certs');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(server.requests).toHaveLength(0);
  });

  it('is accepted with --accept-self-signed-certs', async () => {
    const r = await runCht([`--source=${project}`, `--url=${server.authUrl}`, '--accept-self-signed-certs', 'upload-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Settings updated successfully');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('affects only the instance client, never the process (in-process run)', async () => {
    const r = await runMain([`--source=${project}`, `--url=${server.authUrl}`, '--accept-self-signed-certs', 'backup-app-settings']);
    expect(r.code, r.stderr).toBe(0);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    // Any other HTTPS request of the same process still verifies certificates.
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      https.get(`${server.url}/medic/`, () => resolve(undefined)).on('error', (e) => resolve(e));
    });
    expect(error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
