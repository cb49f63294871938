import { InstanceError } from '../errors.js';

/**
 * Plain-language errors for every way a request to an instance can fail. All are InstanceErrors (exit 2).
 * URLs here never carry credentials (the client keeps them in headers), and the reporter masks any that slip in.
 */
export interface FailureContext {
  method: string;
  url: string;
  /** "upload the app settings": what the request was for. */
  purpose: string;
  user: string | undefined;
  timeoutMs: number;
  attempts: number;
  acceptSelfSignedCerts: boolean;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not known',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not known',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not known here',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
};

function where(ctx: FailureContext): string {
  const u = new URL(ctx.url);
  return `${ctx.method} ${u.pathname}${u.search}`;
}

function origin(ctx: FailureContext): string {
  return new URL(ctx.url).origin;
}

function tries(ctx: FailureContext): string {
  return ctx.attempts > 1 ? ` (${ctx.attempts} attempts)` : '';
}

/** The reason an instance gave: CouchDB `{error, reason}`, cht-core `{code, error}`, or short plain text. */
export function reasonFrom(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const parts = [body.error, body.reason, body.message].filter((p) => typeof p === 'string' && p) as string[];
    if (parts.length) return [...new Set(parts)].join(': ');
  } catch {
    // not JSON
  }
  if (/^<(!doctype|html)/i.test(trimmed)) return 'an HTML page';
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

export function statusError(ctx: FailureContext, status: number, text: string, location?: string): InstanceError {
  const name = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
  const reason = reasonFrom(text);
  const because = reason ? `: ${reason}` : '';
  const who = ctx.user ? `the user '${ctx.user}'` : 'an anonymous request (no user in the URL)';
  if (status === 401) {
    return new InstanceError(`Authentication failed connecting to ${origin(ctx)}: the instance did not accept ${who}.`, {
      code: 'CHT_E_HTTP_401',
      hint: 'Check the user name and password (in --url=https://user:password@host, CHT_USERNAME/CHT_PASSWORD, or the --instance password prompt).',
    });
  }
  if (status === 403) {
    return new InstanceError(`Insufficient permissions: ${who} may not ${ctx.purpose} on ${origin(ctx)} (403 Forbidden${because}).`, {
      code: 'CHT_E_HTTP_403',
      hint: 'Use an admin account: changing app settings needs the can_edit and can_configure permissions.',
    });
  }
  if (status === 404) {
    const path = new URL(ctx.url).pathname;
    if (/\/medic\/?$/.test(path)) {
      return new InstanceError(`${origin(ctx)} does not look like a CHT instance: ${where(ctx)} answered 404 Not Found.`, {
        code: 'CHT_E_NOT_CHT',
        hint: 'Point the URL at the CHT API root (e.g. https://cht.example.org, or http://localhost:5988 for a local CHT), not at CouchDB (5984) or a sub-path.',
      });
    }
    return new InstanceError(`The instance has no ${path} (404 Not Found to ${where(ctx)}), needed to ${ctx.purpose}${because}.`, {
      code: 'CHT_E_HTTP_404',
      hint: 'Check that the URL is a CHT instance (CHT API, not CouchDB) and that its version supports this endpoint.',
    });
  }
  if (status === 409) {
    return new InstanceError(`The instance reported a conflict (409) while trying to ${ctx.purpose}${because}.`, {
      code: 'CHT_E_HTTP_409',
      hint: 'Someone changed the same document at the same moment. Run the command again.',
    });
  }
  if (status >= 300 && status < 400) {
    return new InstanceError(`The instance redirected ${where(ctx)} (${name}) to ${location ?? 'another address'}.`, {
      code: 'CHT_E_REDIRECT',
      hint: 'Use the URL it redirects to (often https:// instead of http://) so credentials are not sent to an unexpected place.',
    });
  }
  if (status === 429 || status >= 500) {
    return new InstanceError(`The instance answered ${name} to ${where(ctx)}${tries(ctx)} while trying to ${ctx.purpose}${because}.`, {
      code: status === 429 ? 'CHT_E_HTTP_429' : 'CHT_E_HTTP_5XX',
      hint: 'The instance is failing or overloaded; check its logs (CHT API and CouchDB) and try again.',
    });
  }
  return new InstanceError(`The instance answered ${name} to ${where(ctx)} while trying to ${ctx.purpose}${because}.`, {
    code: 'CHT_E_HTTP_STATUS',
  });
}

export function networkError(ctx: FailureContext, err: unknown, code: string | undefined, timedOut: boolean): InstanceError {
  const host = new URL(ctx.url).host;
  if (timedOut) {
    return new InstanceError(`No response from ${origin(ctx)} within ${ctx.timeoutMs / 1000} s to ${where(ctx)} (trying to ${ctx.purpose}).`, {
      code: 'CHT_E_TIMEOUT',
      cause: err,
      hint: 'The instance may be overloaded or a proxy is holding the request. Raise the limit with --timeout=SECONDS if it is just slow.',
    });
  }
  if (code && TLS_CODES[code]) {
    return new InstanceError(`The TLS certificate of ${host} is not trusted: ${TLS_CODES[code]} (${code}).`, {
      code: 'CHT_E_TLS',
      cause: err,
      hint: ctx.acceptSelfSignedCerts
        ? 'The certificate was refused even with --accept-self-signed-certs; check the host name and the server configuration.'
        : 'If you trust this instance (a local or test instance with a self-signed certificate), pass --accept-self-signed-certs: ' +
          "it applies only to chtkit's requests to this instance. Otherwise add the issuing CA with NODE_EXTRA_CA_CERTS.",
    });
  }
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new InstanceError(`The TLS handshake with ${host} failed (${code}).`, {
      code: 'CHT_E_TLS',
      cause: err,
      hint: 'Is the instance really served over https on this port? Try http:// (or the https port).',
    });
  }
  if (code === 'ECONNREFUSED') {
    return new InstanceError(`Could not connect to ${origin(ctx)}: connection refused${tries(ctx)}.`, {
      code: 'CHT_E_CONNECTION_REFUSED',
      cause: err,
      hint: 'Is the instance running, and is the port right? --local expects CHT API on localhost:5988 (`cht serve` starts one).',
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new InstanceError(`Could not resolve the host name ${new URL(ctx.url).hostname}.`, {
      code: 'CHT_E_DNS',
      cause: err,
      hint: 'Check the spelling of the instance URL (or --instance name) and the network connection.',
    });
  }
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE') {
    return new InstanceError(`The connection to ${origin(ctx)} was cut before the response to ${where(ctx)} was complete${tries(ctx)}.`, {
      code: 'CHT_E_CONNECTION_RESET',
      cause: err,
      hint: 'The instance or a proxy closed the connection; check the instance logs and try again.',
    });
  }
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return new InstanceError(`Failed to get a response from ${origin(ctx)} to ${where(ctx)}${tries(ctx)}: ${detail}.`, {
    code: 'CHT_E_NETWORK',
    cause: err,
    hint: 'Maybe the URL or port is wrong, or the instance is not started.',
  });
}
