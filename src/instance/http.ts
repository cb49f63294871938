import http from 'node:http';
import https from 'node:https';
import { InstanceError } from '../errors.js';
import type { RemoteTarget } from './target.js';
import { networkError, statusError, type FailureContext } from './http-errors.js';

/**
 * The one HTTP module of chtkit, on node-fetch. Why not cht-conf's way: it retried every failure 5 times
 * (~13 s before any error, 4xx included) and set NODE_TLS_REJECT_UNAUTHORIZED=0 for the whole process. Here:
 * - a timeout on every request (the body included);
 * - retries only for network errors, 429 and 5xx, with a short bounded backoff; never for other 4xx;
 * - --accept-self-signed-certs lives in this client's own https.Agent, so it affects only these requests;
 * - credentials travel in headers only; URLs in logs and errors never carry them.
 */
export interface HttpSettings {
  /** Per request, body included. */
  timeoutMs: number;
  acceptSelfSignedCerts: boolean;
  /** Delays before each retry; its length is the number of retries. */
  backoffMs?: readonly number[];
}

export interface HttpEvents {
  /** One line per attempt, for --verbose. */
  onAttempt?(e: { method: string; url: string; status?: number; ms: number; error?: string }): void;
  onRetry?(e: { method: string; url: string; reason: string; delayMs: number; attempt: number; attempts: number }): void;
}

export interface RequestOptions {
  /** What the request is for, in words ("upload the app settings"): used in error messages. */
  purpose: string;
  body?: string;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for optional endpoints). */
  allow?: readonly number[];
  contentType?: string;
}

export interface HttpResponse {
  status: number;
  text: string;
  url: string;
}

/** Bounded: 3 retries, 0.5 + 1 + 2 s = 3.5 s of waiting at most per request (cht-conf waits ~13 s). */
export const DEFAULT_BACKOFF_MS: readonly number[] = [500, 1000, 2000];
const MAX_RETRY_AFTER_MS = 10_000;
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
]);

class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errno?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.errno ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(Math.max(0, seconds * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - Date.now()), MAX_RETRY_AFTER_MS);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class InstanceHttp {
  private readonly agent: http.Agent | https.Agent;
  private readonly headers: Record<string, string>;
  private readonly backoff: readonly number[];

  constructor(
    readonly target: RemoteTarget,
    readonly settings: HttpSettings,
    private readonly events: HttpEvents = {},
  ) {
    // keepAlive: the ~6 requests of a deploy share one connection (one TLS handshake). Idle sockets are unref'd
    // by Node, so they never keep the process alive.
    this.agent =
      target.baseUrl.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, rejectUnauthorized: !settings.acceptSelfSignedCerts })
        : new http.Agent({ keepAlive: true });
    this.headers = { Accept: 'application/json' };
    if (target.user !== undefined || target.password !== undefined) {
      const token = Buffer.from(`${target.user ?? ''}:${target.password ?? ''}`).toString('base64');
      this.headers.Authorization = `Basic ${token}`;
    }
    if (target.sessionToken) this.headers.Cookie = `AuthSession=${target.sessionToken}`;
    this.backoff = settings.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  /** A URL under the instance root (`/api/...`) or, with `db`, under `/medic`. */
  url(pathAndQuery: string, db = false): string {
    const root = (db ? this.target.dbUrl : this.target.baseUrl).href.replace(/\/$/, '');
    return `${root}${pathAndQuery}`;
  }

  async request(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const attempts = this.backoff.length + 1;
    for (let attempt = 1; ; attempt++) {
      const ctx = this.context(method, url, options.purpose, attempt);
      try {
        return await this.once(method, url, options);
      } catch (err) {
        if (err instanceof InstanceError) throw err;
        const retryable =
          err instanceof RetryableStatus || (!isTimeout(err) && RETRYABLE_CODES.has(errorCode(err) ?? ''));
        if (!retryable || attempt >= attempts) {
          if (err instanceof RetryableStatus) throw statusError(ctx, err.status, err.text);
          throw networkError(ctx, err, errorCode(err), isTimeout(err));
        }
        const planned = this.backoff[attempt - 1] ?? 0;
        const delayMs = err instanceof RetryableStatus && err.retryAfterMs !== undefined ? err.retryAfterMs : planned;
        const reason = err instanceof RetryableStatus ? `HTTP ${err.status}` : (errorCode(err) ?? 'network error');
        this.events.onRetry?.({ method, url, reason, delayMs, attempt: attempt + 1, attempts });
        await sleep(delayMs);
      }
    }
  }

  private async once(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const { default: fetch } = await import('node-fetch');
    const started = performance.now();
    const headers: Record<string, string> = { ...this.headers };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: options.body,
        agent: this.agent,
        redirect: 'manual',
        compress: true,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      // The body is read under the same timeout: a response that stalls half-way is a failure, not a hang.
      const text = await res.text();
      this.events.onAttempt?.({ method, url, status: res.status, ms: performance.now() - started });
      if (res.status === 429 || res.status >= 500) {
        throw new RetryableStatus(res.status, text, res.status === 429 ? retryAfter(res.headers.get('retry-after')) : undefined);
      }
      if ((res.status >= 200 && res.status < 300) || options.allow?.includes(res.status)) {
        return { status: res.status, text, url };
      }
      throw statusError(this.context(method, url, options.purpose, 1), res.status, text, res.headers.get('location') ?? undefined);
    } catch (err) {
      if (!(err instanceof RetryableStatus) && !(err instanceof InstanceError)) {
        this.events.onAttempt?.({ method, url, ms: performance.now() - started, error: errorCode(err) ?? (err as Error).name });
      }
      throw err;
    }
  }

  private context(method: string, url: string, purpose: string, attempts: number): FailureContext {
    return {
      method,
      url,
      purpose,
      user: this.target.user,
      timeoutMs: this.settings.timeoutMs,
      attempts,
      acceptSelfSignedCerts: this.settings.acceptSelfSignedCerts,
    };
  }

  /** Frees the connection pool (tests run many clients in one process). */
  close(): void {
    this.agent.destroy();
  }
}
