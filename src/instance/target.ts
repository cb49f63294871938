import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Which instance an action talks to, decided once per run from --local / --url / --instance / --archive with
 * cht-conf's rules (cht-conf 6.6.1 src/lib/get-api-url.js). Credentials are split off the URL here, so nothing downstream can
 * print them by accident: `baseUrl` never carries userinfo.
 */
export interface RemoteTarget {
  kind: 'remote';
  /** The instance root without credentials and without a trailing slash (cht-conf's `instanceUrl`). */
  baseUrl: URL;
  /** `baseUrl` + `/medic`: database and `_rewrite` calls go here (cht-conf's `apiUrl`). */
  dbUrl: URL;
  user: string | undefined;
  password: string | undefined;
  /**
   * Where the password came from. A password in a URL is masked wherever that URL is printed; one from a
   * prompt or CHT_PASSWORD is not part of any URL, so the CLI registers it with the redactor.
   */
  passwordSource: 'url' | 'env' | 'prompt' | undefined;
  sessionToken: string | undefined;
  /** How the URL was chosen, for the log line ("Using default local url"...). */
  source: 'local-default' | 'COUCH_URL' | 'url' | 'CHT_URL' | 'instance';
  /** Notes worth a log line (e.g. a stripped `/medic` path). */
  notes: string[];
}

export interface ArchiveTarget {
  kind: 'archive';
  /** Absolute directory that receives settings.doc.json. */
  destination: string;
}

export type InstanceTarget = RemoteTarget | ArchiveTarget;

export interface SelectionInput {
  local: boolean;
  url: string | undefined;
  instance: string | undefined;
  archive: boolean;
  user: string | undefined;
  destination: string | undefined;
  sessionToken: string | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_LOCAL_URL = 'http://admin:pass@localhost:5988';
const MODE_FLAGS = '--local, --url=URL, --instance=NAME or --archive';

export type Mode = 'local' | 'url' | 'instance' | 'archive';

/** The one instance mode of this run, or a usage error. CHT_URL counts as --url only when no flag is given. */
export function selectMode(input: SelectionInput): { mode: Mode; fromEnv: boolean } {
  const given: Mode[] = [];
  if (input.local) given.push('local');
  if (input.url !== undefined) given.push('url');
  if (input.instance !== undefined) given.push('instance');
  if (input.archive) given.push('archive');
  if (given.length > 1) {
    throw new UsageError(`Only one of ${MODE_FLAGS} may be given; this run has ${given.map((m) => `--${m}`).join(' and ')}.`, {
      code: 'CHT_E_INSTANCE_MODE',
      hint: 'Pick the one instance this run talks to.',
    });
  }
  if (given.length === 0) {
    if (input.env.CHT_URL) return { mode: 'url', fromEnv: true };
    throw new UsageError(`One of these parameters is required: ${MODE_FLAGS}.`, {
      code: 'CHT_E_INSTANCE_MODE',
      hint:
        'Backup and upload talk to a CHT instance: --local (http://admin:pass@localhost:5988, or COUCH_URL), ' +
        '--url=https://user:pass@host (or the CHT_URL env var), --instance=NAME (NAME.medicmobile.org), ' +
        'or --archive --destination=DIR to write settings.doc.json instead.',
    });
  }
  return { mode: given[0]!, fromEnv: false };
}

function parseUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password: show only that it did not parse, not the text itself.
    throw new UsageError(`${what} is not a valid URL.`, {
      code: 'CHT_E_BAD_URL',
      hint: 'Write a full URL such as https://user:password@cht.example.org (with --url=..., no space).',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must be an http:// or https:// URL, not ${url.protocol}//.`, { code: 'CHT_E_BAD_URL' });
  }
  return url;
}

/** `--local`: cht-conf's rule — COUCH_URL if set, with port forced to 5988 (API, not CouchDB) and the path dropped. */
function localUrl(env: NodeJS.ProcessEnv): { url: URL; source: RemoteTarget['source'] } {
  if (!env.COUCH_URL) return { url: new URL(DEFAULT_LOCAL_URL), source: 'local-default' };
  const url = parseUrl(env.COUCH_URL, 'COUCH_URL');
  if (url.hostname !== 'localhost') {
    throw new UsageError(`--local was specified but COUCH_URL env var is set to '${url.hostname}'.`, {
      code: 'CHT_E_LOCAL_COUCH_URL',
      hint: 'Please use --url for remote servers (or unset COUCH_URL).',
    });
  }
  url.port = '5988';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return { url, source: 'COUCH_URL' };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Builds the remote target. `password` supplies the --instance password (prompted, or from CHT_PASSWORD);
 * it is asked for only in --instance mode.
 */
export async function resolveRemote(
  input: SelectionInput,
  mode: Exclude<Mode, 'archive'>,
  askPassword: (user: string, host: string) => Promise<string>,
): Promise<RemoteTarget> {
  const notes: string[] = [];
  let url: URL;
  let source: RemoteTarget['source'];
  let password: string | undefined;
  let user: string | undefined;
  let passwordSource: RemoteTarget['passwordSource'];
  if (mode === 'local') {
    ({ url, source } = localUrl(input.env));
  } else if (mode === 'url') {
    const text = input.url ?? input.env.CHT_URL ?? '';
    source = input.url === undefined ? 'CHT_URL' : 'url';
    url = parseUrl(text, source === 'url' ? '--url' : 'CHT_URL');
  } else {
    const name = input.instance ?? '';
    if (!/^[a-z0-9][a-z0-9.-]*$/i.test(name)) {
      throw new UsageError(`--instance=${name} is not an instance name.`, {
        code: 'CHT_E_BAD_INSTANCE',
        hint: 'Give the name before .medicmobile.org, e.g. --instance=demo-cht.dev for https://demo-cht.dev.medicmobile.org.',
      });
    }
    url = new URL(`https://${name}.medicmobile.org`);
    source = 'instance';
    user = input.user ?? input.env.CHT_USERNAME ?? 'admin';
    passwordSource = input.env.CHT_PASSWORD ? 'env' : 'prompt';
    password = input.env.CHT_PASSWORD || (await askPassword(user, url.host));
  }
  if (mode !== 'instance') {
    user = url.username ? decode(url.username) : undefined;
    password = url.password ? decode(url.password) : undefined;
    passwordSource = password === undefined ? undefined : 'url';
    // Credentials may come from the environment instead of the URL, so they stay out of `ps` and CI logs.
    if (!user && !password && input.env.CHT_PASSWORD) {
      user = input.env.CHT_USERNAME || 'admin';
      password = input.env.CHT_PASSWORD;
      passwordSource = 'env';
    }
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  let base = url.pathname.replace(/\/+$/, '');
  if (/\/medic$/.test(base)) {
    // A common slip: pointing at the database. The instance root is what cht-conf expects.
    base = base.replace(/\/medic$/, '');
    notes.push('The URL ended in /medic: using the instance root it belongs to.');
  }
  url.pathname = base === '' ? '/' : base;
  const baseUrl = new URL(url.href.replace(/\/$/, ''));
  const dbUrl = new URL(`${baseUrl.href.replace(/\/$/, '')}/medic`);
  return { kind: 'remote', baseUrl, dbUrl, user, password, passwordSource, sessionToken: input.sessionToken, source, notes };
}

export function resolveArchive(input: SelectionInput): ArchiveTarget {
  if (!input.destination) {
    throw new UsageError('--destination=<path to save files> is required with --archive.', {
      code: 'CHT_E_ARCHIVE_DESTINATION',
      hint: 'e.g. cht --archive --destination=build/default-docs upload-app-settings',
    });
  }
  return { kind: 'archive', destination: path.resolve(input.cwd, input.destination) };
}

/** `--user` belongs to `--instance` (cht-conf's rule). */
export function checkUserFlag(input: SelectionInput, mode: Mode): void {
  if (input.user !== undefined && mode !== 'instance') {
    throw new UsageError('The --user switch must be accompanied with --instance.', {
      code: 'CHT_E_USER_FLAG',
      hint: 'With --url, put the user in the URL (https://user:pass@host) or in CHT_USERNAME/CHT_PASSWORD.',
    });
  }
}

/** How the target is shown in logs: the URL without credentials. */
export function describeTarget(target: InstanceTarget): string {
  return target.kind === 'archive' ? `archive ${target.destination}` : target.baseUrl.href.replace(/\/$/, '');
}

/**
 * cht-conf's production guard (cht-conf 6.6.1 src/lib/main.js): an https://NAME.(app|dev).medicmobile.org instance whose NAME is
 * neither `alpha` nor the project folder's name is probably the wrong one. Returns NAME when the guard applies.
 */
export function productionMismatch(target: RemoteTarget, projectDir: string): string | undefined {
  if (target.baseUrl.protocol !== 'https:') return undefined;
  const m = /^(.*)\.(app|dev)\.medicmobile\.org$/i.exec(target.baseUrl.hostname);
  if (!m) return undefined;
  const name = m[1]!;
  return name === 'alpha' || name === path.basename(projectDir) ? undefined : name;
}
