import { spawn } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'cht.js');
export const CHT_CONF_BIN = path.join(ROOT, 'node_modules', 'cht-conf', 'src', 'bin', 'index.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Env for child processes: no colour, no CI spinner logic, no inherited TZ surprises unless given. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** Runs the real `cht` binary (dist/) as a user would. */
export function runCht(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return runNode([BIN, ...args], opts);
}

/**
 * Runs cht-conf 6.6.1 (devDependency) as a user would, without its npm update check. cht-conf's webpack writes
 * every bundle to the same files in os.tmpdir() (cht-conf 6.6.1 src/lib/compilation/package-lib.js), so concurrent runs would read each other's
 * contact summaries: each run gets a temp directory of its own.
 */
export async function runChtConf(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cht-conf-tmp-'));
  try {
    return await runNode([CHT_CONF_BIN, '--skip-dependency-check', '--skip-version-check', ...args], {
      ...opts,
      env: { ...(opts.env ?? cleanEnv()), TMPDIR: tmp },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function runNode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

class Collector extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Runs the CLI in-process (faster; same code path as the binary, from source). */
export async function runMain(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main({ argv: args, env: opts.env ?? cleanEnv(), cwd: opts.cwd ?? ROOT, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const temps: string[] = [];

/** An empty temp directory, removed by cleanupTemps. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-test-'));
  temps.push(dir);
  return dir;
}

/**
 * A fresh copy of a fixture project in a temp directory. node_modules is linked in so npm packages the
 * project requires (moment...) resolve as they would in a real project.
 */
export function tempCopy(source: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-test-'));
  temps.push(dir);
  const project = path.join(dir, path.basename(source));
  cpSync(source, project, { recursive: true, filter: (src) => !/[\\/](backups|\.cht-local)$/.test(src) });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return project;
}

/**
 * Files saved less than two seconds before a compile started are not cached (they may have changed while being
 * read): a project copied by a test is dated an hour back, as a project not being edited is.
 */
export function age(dir: string): void {
  const past = new Date(Date.now() - 3600_000);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (lstatSync(p).isSymbolicLink()) continue;
    if (lstatSync(p).isDirectory()) age(p);
    utimesSync(p, past, past);
  }
  utimesSync(dir, past, past);
}

export function fixture(name: string): string {
  return path.join(ROOT, 'fixtures', name);
}

export function cleanupTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}
