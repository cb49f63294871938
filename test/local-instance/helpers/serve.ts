import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanEnv, ROOT } from '../../helpers/cli.js';

/** A real `cht serve` process on port 0, as a user would run it; its URL is the first line on stdout. */
export interface ServeProcess {
  url: string;
  /** `http://admin:pass@127.0.0.1:PORT` */
  adminUrl: string;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** SIGTERM and wait for a clean exit; resolves the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, no clean-up at all. */
  kill(): Promise<void>;
}

const running = new Set<ServeProcess>();

export function startServe(dataDir: string, extra: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port=0', `--data=${dataDir}`, '--verbose', ...extra], {
    cwd: ROOT,
    env: cleanEnv(),
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line && !running.has(proc)) {
        proc.url = line.trim();
        proc.adminUrl = proc.url.replace('http://', 'http://admin:pass@');
        running.add(proc);
        resolve(proc);
      }
    });
    child.on('exit', (code) => {
      if (!running.has(proc)) reject(new Error(`cht serve exited (${code}) before printing its URL:\n${err}`));
      running.delete(proc);
    });
    const proc: ServeProcess = {
      url: '',
      adminUrl: '',
      child,
      stdout: () => out,
      stderr: () => err,
      stop: async () => {
        child.kill('SIGTERM');
        return exited;
      },
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  });
}

export async function stopAllServes(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill()));
}

/** The requests the server logged with --verbose, e.g. `PUT /medic/_design/medic/_rewrite/update_settings/medic`. */
export function loggedRequests(serve: ServeProcess): string[] {
  return serve
    .stderr()
    .split('\n')
    .map((l) => /^(GET|PUT|POST|DELETE) (\S+) → /.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => `${m[1]} ${m[2]}`);
}

export async function getJson(url: string, auth = 'admin:pass'): Promise<unknown> {
  const res = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } });
  return res.json();
}

export async function putJson(url: string, body: unknown, auth = 'admin:pass'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** sha256 of every file under a directory (relative path → hash), to prove a run left it unchanged. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else {
        out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
      }
    }
  };
  walk(dir);
  return out;
}
