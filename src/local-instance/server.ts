import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstanceError } from '../errors.js';
import { HttpFailure, sendFailure } from './http-util.js';
import { route, type InstanceState } from './routes.js';
import { SettingsStore } from './store.js';
import { Users } from './users.js';

/**
 * `cht serve`: an embedded CHT-compatible instance for config deploys, on node:http with no framework.
 * `createApp` returns the request handler without listening (tests can drive it in-process);
 * `startLocalInstance` opens the store and listens.
 */
export interface LocalInstanceOptions {
  dataDir: string;
  port: number;
  host: string;
  coreVersion: string;
  /** One call per answered request, for --verbose. Paths only: no credentials pass through here. */
  onRequest?(e: { method: string; path: string; status: number; ms: number }): void;
}

export interface LocalInstance {
  url: string;
  port: number;
  dataDir: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 5988;
export const DEFAULT_CORE_VERSION = '4.11.0';

export function createApp(state: InstanceState, onRequest?: LocalInstanceOptions['onRequest']) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    res.on('finish', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      onRequest?.({ method: req.method ?? 'GET', path, status: res.statusCode, ms: performance.now() - started });
    });
    route(req, res, state).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpFailure) {
        sendFailure(res, err);
      } else {
        // A failing disk write is the one expected server error: the client sees a 500 and the old settings stay.
        sendFailure(res, new HttpFailure(500, 'internal_server_error', (err as Error)?.message ?? String(err)));
      }
    });
  };
}

export async function startLocalInstance(options: LocalInstanceOptions): Promise<LocalInstance> {
  const state: InstanceState = {
    store: SettingsStore.open(options.dataDir),
    users: Users.open(options.dataDir),
    coreVersion: options.coreVersion,
    startedAt: Date.now(),
  };
  const server = http.createServer(createApp(state, options.onRequest));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'EADDRINUSE'
          ? `Port ${options.port} is taken (a CHT instance, or another cht serve?). Pick another with --port=N, or --port=0 for any free port.`
          : undefined;
      reject(new InstanceError(`cht serve could not listen on ${options.host}:${options.port}: ${err.code ?? err.message}.`, {
        code: 'CHT_E_SERVE_LISTEN',
        ...(hint ? { hint } : {}),
      }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    dataDir: options.dataDir,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
