import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpFailure, parseCookies, queryFlag, readBody, readJsonObject, sendJson } from './http-util.js';
import type { SettingsStore, UpdateMode } from './store.js';
import { isAdmin, type UserCtx, type Users } from './users.js';

/**
 * The config-deploy surface of CHT API (cht-core 4.11 api/src/routing.js), served from the local store.
 * Everything else is a 404 that names the route, so a client asking for more than this surface learns why.
 */
export interface InstanceState {
  store: SettingsStore;
  users: Users;
  coreVersion: string;
  startedAt: number;
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  state: InstanceState;
  user: UserCtx | undefined;
}

type Handler = (r: Request) => Promise<void> | void;

const BASIC_REALM = { 'WWW-Authenticate': 'Basic realm="Medic Web Services"' };
const SETTINGS_V0 = /^\/medic\/_design\/medic\/_rewrite\/app_settings\/medic(?:\/(.*))?$/;

/** cht-core 4.11's deprecated transitions, as `GET /api/v1/settings/deprecated-transitions` lists them. */
const DEPRECATED_TRANSITIONS = [
  { name: 'update_notifications', deprecatedIn: '3.2.x', extra: 'Please use "muting" transition instead.' },
  { name: 'generate_patient_id_on_people', deprecatedIn: '3.8.x', extra: 'Please use "generate_shortcode_on_contacts" transition instead.' },
].map((t) => ({
  name: t.name,
  deprecated: true,
  deprecatedIn: t.deprecatedIn,
  deprecationMessage: `${t.name} transition is deprecated since ${t.deprecatedIn}. ${t.extra}`,
}));

function requireUser(r: Request): UserCtx {
  if (!r.user) throw new HttpFailure(401, 'unauthorized', 'You are not authorized to access this db.', BASIC_REALM);
  return r.user;
}

function requireAdmin(r: Request): void {
  if (!isAdmin(requireUser(r))) throw new HttpFailure(403, 'forbidden', 'Insufficient privileges');
}

/** `a.b.c` into the settings, as cht-core's object-path lookup; a missing path answers `{}`. */
function atPath(settings: unknown, dotted: string | undefined): unknown {
  if (!dotted) return settings;
  let value: unknown = settings;
  for (const key of decodeURIComponent(dotted).split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value ?? {};
}

async function putSettings(r: Request): Promise<void> {
  requireAdmin(r);
  const body = await readJsonObject(r.req);
  // cht-core: overwrite wins over replace; neither means a deep merge.
  const mode: UpdateMode = queryFlag(r.url, 'overwrite') ? 'overwrite' : queryFlag(r.url, 'replace') ? 'replace' : 'extend';
  const updated = r.state.store.update(body, mode);
  sendJson(r.res, 200, { success: true, updated });
}

async function postSession(r: Request): Promise<void> {
  const text = await readBody(r.req);
  const type = r.req.headers['content-type'] ?? '';
  let name: unknown;
  let password: unknown;
  try {
    const body: Record<string, unknown> = /json/i.test(type) ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    ({ name, password } = body);
  } catch {
    throw new HttpFailure(400, 'bad_request', 'invalid UTF-8 JSON');
  }
  const user = typeof name === 'string' && typeof password === 'string' ? r.state.users.verify(name, password) : undefined;
  if (!user) throw new HttpFailure(401, 'unauthorized', 'Name or password is incorrect.');
  const token = r.state.users.createSession(user);
  sendJson(r.res, 200, { ok: true, name: user.name, roles: user.roles }, {
    'Set-Cookie': `AuthSession=${token}; Version=1; Path=/; HttpOnly; SameSite=Lax`,
  });
}

const ROUTES: Array<{ method: string; path: string | RegExp; handle: Handler }> = [
  {
    method: 'GET',
    path: /^\/medic\/?$/,
    handle: (r) => {
      requireUser(r);
      const { store } = r.state;
      sendJson(r.res, 200, {
        db_name: 'medic',
        doc_count: store.docCount,
        doc_del_count: 0,
        update_seq: `${store.updateSeq}-chtkit`,
        instance_start_time: '0',
        compact_running: false,
      });
    },
  },
  {
    method: 'GET',
    path: '/api/deploy-info',
    handle: (r) => {
      requireUser(r);
      sendJson(r.res, 200, { timestamp: r.state.startedAt, user: 'chtkit', version: r.state.coreVersion });
    },
  },
  {
    method: 'GET',
    path: SETTINGS_V0,
    handle: (r) => {
      requireUser(r);
      const sub = SETTINGS_V0.exec(r.url.pathname)?.[1];
      sendJson(r.res, 200, { settings: atPath(r.state.store.settings, sub), meta: {}, schema: {} });
    },
  },
  { method: 'GET', path: '/api/v1/settings', handle: (r) => (requireUser(r), sendJson(r.res, 200, r.state.store.settings)) },
  { method: 'PUT', path: '/api/v1/settings', handle: putSettings },
  { method: 'PUT', path: '/medic/_design/medic/_rewrite/update_settings/medic', handle: putSettings },
  {
    method: 'GET',
    path: '/api/v1/settings/deprecated-transitions',
    handle: (r) => (requireUser(r), sendJson(r.res, 200, DEPRECATED_TRANSITIONS)),
  },
  { method: 'POST', path: '/_session', handle: postSession },
  {
    method: 'GET',
    path: '/_session',
    handle: (r) =>
      sendJson(r.res, 200, {
        ok: true,
        userCtx: { name: r.user?.name ?? null, roles: r.user?.roles ?? [] },
        info: { authentication_handlers: ['cookie', 'default'], ...(r.user ? { authenticated: 'default' } : {}) },
      }),
  },
  {
    method: 'DELETE',
    path: '/_session',
    handle: (r) => {
      const token = parseCookies(r.req.headers.cookie).AuthSession;
      if (token) r.state.users.endSession(token);
      sendJson(r.res, 200, { ok: true }, { 'Set-Cookie': 'AuthSession=; Version=1; Path=/; HttpOnly; Max-Age=0' });
    },
  },
];

export const SURFACE = [
  'GET /medic/', 'GET /api/deploy-info', 'GET /medic/_design/medic/_rewrite/app_settings/medic', 'GET /api/v1/settings',
  'PUT /api/v1/settings', 'PUT /medic/_design/medic/_rewrite/update_settings/medic', 'GET /api/v1/settings/deprecated-transitions',
  'POST /_session', 'GET /_session', 'DELETE /_session',
];

function matches(path: string | RegExp, pathname: string): boolean {
  return typeof path === 'string' ? path === pathname : path.test(pathname);
}

/** Basic auth first (cht-conf sends both Basic and the cookie with --session-token), then the AuthSession cookie. */
function authenticate(req: IncomingMessage, users: Users): UserCtx | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? undefined : users.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!user) throw new HttpFailure(401, 'unauthorized', 'Name or password is incorrect.', BASIC_REALM);
    return user;
  }
  const token = parseCookies(req.headers.cookie).AuthSession;
  return token ? users.session(token) : undefined;
}

export function findRoute(method: string, pathname: string): Handler {
  const route = ROUTES.find((r) => r.method === method && matches(r.path, pathname));
  if (route) return route.handle;
  const others = ROUTES.filter((r) => matches(r.path, pathname)).map((r) => r.method);
  const reason = others.length
    ? `chtkit's local instance serves ${pathname} only with ${others.join(', ')}, not ${method}.`
    : `chtkit's local instance does not implement ${method} ${pathname}. It serves only what config deploys use: ${SURFACE.join(', ')}.`;
  return () => {
    throw new HttpFailure(404, 'not_found', reason);
  };
}

export async function route(req: IncomingMessage, res: ServerResponse, state: InstanceState): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const handle = findRoute(req.method ?? 'GET', url.pathname);
  const user = url.pathname === '/_session' && req.method === 'POST' ? undefined : authenticate(req, state.users);
  await handle({ req, res, url, state, user });
}
