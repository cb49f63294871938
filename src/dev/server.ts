import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import type { LiveBuild, LiveBuildEvent, LiveEndpoints } from '../report/html/live.js';

export const LIVE_ENDPOINTS: LiveEndpoints = { events: '/events', build: '/build.json' };

export interface DevServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** The port was not asked for: when it is busy, the next free one (up to 20 further) is taken. */
  nextWhenBusy: boolean;
  /** The page, made afresh for each request (it embeds the latest good report). */
  page: () => string;
}

export interface DevServer {
  url: string;
  port: number;
  /** The port asked for was busy and another was taken. */
  movedFrom?: number;
  publish(build: LiveBuild): void;
  close(): Promise<void>;
}

/**
 * The page and its channel: `/` the report page, `/events` server-sent events (one per finished build, the
 * latest again on connect), `/build.json` the latest build. Nothing else is served. Requests must name this
 * server as their Host (a DNS-rebinding page cannot read it) and, when a browser sends an Origin, come from it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  let latest: LiveBuild | undefined;
  const streams = new Set<ServerResponse>();
  let port = options.port;
  const hosts = () => new Set([`${options.host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    const host = req.headers.host ?? '';
    if (!hosts().has(host)) return refuse(res, 421, `This server answers to ${options.host}:${port} only.`);
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return refuse(res, 403, 'Requests from other origins are refused.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET.');
    const url = new URL(req.url ?? '/', `http://${host}`);
    switch (url.pathname) {
      case '/':
      case '/index.html': {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : options.page());
        return;
      }
      case LIVE_ENDPOINTS.build: {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(latest ?? null));
        return;
      }
      case LIVE_ENDPOINTS.events: {
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
        res.write('retry: 500\n\n');
        if (latest) res.write(eventText(latest));
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      default:
        return refuse(res, 404, 'Not found: this server serves the report page only.');
    }
  };

  const server = createServer(handle);
  let movedFrom: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      await listen(server, port, options.host);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && options.nextWhenBusy && attempt < 20 && port !== 0) {
        movedFrom ??= port;
        port++;
        continue;
      }
      if (code === 'EADDRINUSE') {
        throw new UserError(`Port ${port} on ${options.host} is in use.`, { code: 'CHT_E_PORT', hint: 'Give another --port, or --port=0 for any free one.' });
      }
      throw new UserError(`Cannot listen on ${options.host}:${port}: ${(err as Error).message}`, { code: 'CHT_E_PORT' });
    }
  }
  port = (server.address() as AddressInfo).port;
  // Keeps an event stream open through proxies and tells a closed page from an idle one.
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/`,
    port,
    ...(movedFrom !== undefined ? { movedFrom } : {}),
    publish(build) {
      latest = build;
      const text = eventText(build);
      for (const res of streams) res.write(text);
    },
    async close() {
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function eventText(build: LiveBuild): string {
  const event: LiveBuildEvent = { id: build.id, status: build.status };
  return `event: build\nid: ${build.id}\ndata: ${JSON.stringify(event)}\n\n`;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
