import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fault-injection CHT for the client tests: a real server on 127.0.0.1 (port 0) that behaves like a tiny
 * CHT by default and, per route, can be told to fail: a status, a reset mid-response, or no answer at all.
 * No fetch mocks: the client under test talks to it over a socket.
 */
export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { reset: 'before-headers' | 'mid-body' }
  | { hang: true };

export interface Logged {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export const USER = 'deployer';
/** Distinctive, so a grep of all output for it cannot match anything by chance. */
export const PASSWORD = 'Zq7-very-SECRET-pw';

export interface FaultServer {
  url: string;
  /** The URL with the test credentials in it. */
  authUrl: string;
  requests: Logged[];
  settings: Record<string, unknown>;
  coreVersion: string;
  /** The next requests to `METHOD /path` get these behaviours, in order; then the default again. */
  queue(route: string, ...behaviours: Behaviour[]): void;
  /** Every request to `METHOD /path` gets this behaviour. */
  always(route: string, behaviour: Behaviour): void;
  count(route: string): number;
  close(): Promise<void>;
}

const SETTINGS_GET = 'GET /medic/_design/medic/_rewrite/app_settings/medic';
const SETTINGS_PUT = 'PUT /medic/_design/medic/_rewrite/update_settings/medic';
export const ROUTES = {
  available: 'GET /medic/',
  deployInfo: 'GET /api/deploy-info',
  settings: SETTINGS_GET,
  deprecated: 'GET /api/v1/settings/deprecated-transitions',
  put: SETTINGS_PUT,
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

export async function startFaultServer(tls?: { key: string; cert: string }): Promise<FaultServer> {
  const queues = new Map<string, Behaviour[]>();
  const forever = new Map<string, Behaviour>();
  const sockets = new Set<Socket>();
  const state: FaultServer = {
    url: '',
    authUrl: '',
    requests: [],
    settings: {},
    coreVersion: '4.11.0',
    queue: (route, ...b) => queues.set(route, [...(queues.get(route) ?? []), ...b]),
    always: (route, b) => forever.set(route, b),
    count: (route) => state.requests.filter((r) => `${r.method} ${r.path}` === route).length,
    close: async () => undefined,
  };
  const expectedAuth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = `${req.method} ${path}`;
      state.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const behaviour = queues.get(route)?.shift() ?? forever.get(route);
      if (behaviour) {
        if ('hang' in behaviour) return; // never answer
        if ('reset' in behaviour) {
          if (behaviour.reset === 'mid-body') {
            res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '5000' });
            res.write('{"settings": {"locale": "en", "half');
            setTimeout(() => req.socket.destroy(), 20);
          } else {
            req.socket.destroy();
          }
          return;
        }
        return send(res, behaviour.status, behaviour.body ?? { error: 'injected', reason: `status ${behaviour.status}` }, behaviour.headers);
      }
      if (req.headers.authorization !== expectedAuth) return send(res, 401, { error: 'unauthorized', reason: 'Name or password is incorrect.' });
      if (route === ROUTES.available) return send(res, 200, { db_name: 'medic', doc_count: 1 });
      if (route === ROUTES.deployInfo) return send(res, 200, { version: state.coreVersion });
      if (route === ROUTES.settings) return send(res, 200, { settings: state.settings, meta: {}, schema: {} });
      if (route === ROUTES.deprecated) return send(res, 200, []);
      if (route === ROUTES.put) {
        const next = { ...state.settings, ...(JSON.parse(body) as Record<string, unknown>) };
        const updated = JSON.stringify(next) !== JSON.stringify(state.settings);
        state.settings = next;
        return send(res, 200, { success: true, updated });
      }
      return send(res, 404, { error: 'not_found', reason: route });
    });
  };

  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = tls ? 'https' : 'http';
  state.url = `${scheme}://127.0.0.1:${port}`;
  state.authUrl = `${scheme}://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
