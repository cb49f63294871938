import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { LiveBuild } from '../../src/report/html/live.js';
import { BIN, cleanEnv, fixture, ROOT, tempDir } from '../helpers/cli.js';

export interface DevProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** A copy of the example app that `cht dev` can watch and the test can edit (node_modules linked). */
export function devProject(): string {
  const dir = path.join(tempDir(), 'app');
  // (Not what earlier runs left in the fixture: backups, a local instance's data.)
  cpSync(fixture('example-app'), dir, { recursive: true, filter: (src) => !/[\\/](backups|\.cht-local)$/.test(src) });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Starts `cht dev` and resolves with the URL it prints on its first stdout line. */
export function startDev(args: string[]): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, ...args, 'dev'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n');
      if (line.length > 1) resolve({ child, url: line[0]!, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`cht dev exited ${code} before printing its URL:\n${err}`)));
  });
}

export async function stopAllDevs(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
}

export async function build(url: string): Promise<LiveBuild> {
  const res = await fetch(new URL('build.json', url));
  return (await res.json()) as LiveBuild;
}

/** Polls until a build newer than `after` is published (and, if given, passes `until`). */
export async function nextBuild(url: string, after: number, until: (b: LiveBuild) => boolean = () => true): Promise<LiveBuild> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const b = await build(url);
    if (b && b.id > after && until(b)) return b;
    if (Date.now() > deadline) throw new Error(`no build after ${after} within 30 s (latest ${b?.id})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
