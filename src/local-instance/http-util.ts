import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small node:http helpers: JSON answers, CouchDB-style error bodies, bounded body reading. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'must-revalidate',
    Server: 'chtkit-local-instance',
    ...headers,
  });
  res.end(text);
}

/** CouchDB's error shape: `{"error": "not_found", "reason": "..."}`. */
export function sendFailure(res: ServerResponse, failure: HttpFailure): void {
  sendJson(res, failure.status, { error: failure.error, reason: failure.reason }, failure.headers);
}

/** cht-core accepts bodies up to 32 MB; a settings doc is ~0.3 MB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpFailure(413, 'too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A client that disconnects mid-body never finishes the request: nothing is applied.
    req.on('close', () => {
      if (!req.complete) reject(new HttpFailure(400, 'bad_request', 'The client disconnected before the body was complete.'));
    });
  });
}

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    // cht-core's wording (api/src/server-utils.js emptyJSONBodyError).
    throw new HttpFailure(400, 'bad_request', 'Request body is empty or Content-Type header was not set to application/json.');
  }
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpFailure(400, 'bad_request', 'invalid UTF-8 JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpFailure(400, 'bad_request', 'The settings must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** A query flag as cht-core 4.x reads it: any non-empty value is true (`?replace=1`, even `?replace=false`). */
export function queryFlag(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  return value !== null && value !== '';
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
