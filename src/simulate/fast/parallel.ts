import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { consoleLinesWanted, forwardConsoleLines, type ConsoleLine } from '../../user-console.js';
import type { RulesConfig } from '../engine/config.js';
import type { SimulationOptions } from '../engine/simulation.js';
import type { Fixtures } from '../engine/fixtures.js';
import type { ContainerSpec } from '../engine/containers.js';
import type { Day, TimelineStats } from '../engine/timeline.js';
import type { Segment } from './segments.js';

/** What a worker is given: everything to rebuild the simulation, and how it claims its share of the containers. */
export interface ShareInput {
  config: RulesConfig;
  fixtures: Fixtures;
  /** The containers of `fixtures.docs`, as the main thread built them (the worker need not build them again). */
  containers: ContainerSpec[];
  options: SimulationOptions;
  tz: string;
  days: Day[];
  part: number;
  /** Who owns which chunk of containers (see `claimer`), shared by every thread of the run. */
  claims: SharedArrayBuffer;
  /** How many `console.*` lines of the rules to send back (the rest are counted). */
  consoleLines: number;
}

export type ShareStats = Pick<TimelineStats, 'evaluations' | 'reused' | 'untraced' | 'wentNaive'>;

/** What the rules wrote to the console on a worker thread, sent with its result. */
export interface ShareConsole {
  console?: { lines: ConsoleLine[]; dropped: number };
}

export type ShareOutput =
  | ({ ok: true; segments: Segment[]; stats: ShareStats } & ShareConsole)
  | ({ ok: false; reason: string } & ShareConsole);

/** Below this many container-days a timeline is quicker on one thread than the workers take to start. */
export const PARALLEL_MIN_CONTAINER_DAYS = 400_000;

/**
 * Containers per claim. Threads take chunks as they get to them rather than a fixed half each: a worker starts
 * later than this thread and contacts cost very different amounts (one pregnancy is traced ten times, a
 * household once), so fixed shares left one thread idle for seconds while the other finished.
 */
export const CLAIM_CHUNK = 16;

// Next to this module in dist/; absent when running from the TypeScript sources (tests), which then use one thread.
const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** How many threads a timeline of this size gets: 1 unless it is large and the machine has cores to spare. */
export function threadsFor(containerDays: number, requested: number | undefined): number {
  if (!existsSync(WORKER_FILE)) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (containerDays < PARALLEL_MIN_CONTAINER_DAYS) return 1;
  return Math.min(os.availableParallelism(), 4);
}

/**
 * Ready-only timeline segments computed by `parts` threads, each taking the chunks of containers it claims
 * first (`claimer`): this thread's share by `local` while the workers run, the others on worker threads. The days are then listed on this
 * thread, in container order, exactly as one thread would. Undefined when any share could not finish — rules
 * that modify `user`, a record that cannot be copied, an error — and the caller runs the timeline on one
 * thread, which gives the answer or the error with all its details.
 */
export async function parallelSegments(
  input: Omit<ShareInput, 'part' | 'claims' | 'consoleLines'>, parts: number, local: (take: (spec: { index: number }) => boolean) => ShareOutput,
): Promise<{ segments: Segment[]; stats: ShareStats } | undefined> {
  const consoleLines = consoleLinesWanted();
  const claims = new SharedArrayBuffer(4 * Math.ceil(Math.max(1, input.containers.length) / CLAIM_CHUNK));
  const workers = Array.from({ length: parts - 1 }, (_, i) => runShare({ ...input, part: i + 1, claims, consoleLines }));
  let own: ShareOutput;
  try {
    own = local(claimer(0, claims));
  } catch (err) {
    own = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  const outputs = [own, ...(await Promise.all(workers))];
  // The workers' console lines go where this thread's go (this thread's own share wrote there directly).
  for (const out of outputs) if (out.console) forwardConsoleLines(out.console.lines, out.console.dropped);
  const segments: Segment[] = [];
  const stats: ShareStats = { evaluations: 0, reused: 0 };
  for (const out of outputs) {
    if (!out.ok) return undefined;
    for (const s of out.segments) segments.push(s);
    stats.evaluations += out.stats.evaluations;
    stats.reused += out.stats.reused;
    for (const [reason, n] of Object.entries(out.stats.untraced ?? {})) {
      stats.untraced = { ...stats.untraced, [reason]: (stats.untraced?.[reason] ?? 0) + n };
    }
    // (Each share decides for its own contacts: a share may hold contacts that went naive.)
    const naive = out.stats.wentNaive;
    if (naive) {
      const sum = (stats.wentNaive ??= { contacts: 0, reasons: {}, plainEvaluations: 0 });
      sum.contacts += naive.contacts;
      sum.plainEvaluations += naive.plainEvaluations;
      for (const [reason, n] of Object.entries(naive.reasons)) sum.reasons[reason] = (sum.reasons[reason] ?? 0) + n;
    }
  }
  return { segments, stats };
}

/**
 * The containers of thread `part`: the chunks of CLAIM_CHUNK consecutive indexes it claimed first (each thread
 * walks the containers in order and claims each chunk it reaches unclaimed, atomically, so every chunk has one
 * owner). A claim holds for the whole run: with --as-reported every span's containers of those indexes are its.
 */
export function claimer(part: number, claims: SharedArrayBuffer): (spec: { index: number }) => boolean {
  const owners = new Int32Array(claims);
  const mark = part + 1;
  return (spec) => {
    const chunk = Math.floor(spec.index / CLAIM_CHUNK);
    if (chunk >= owners.length) return part === 0;
    const owner = Atomics.load(owners, chunk);
    if (owner !== 0) return owner === mark;
    const before = Atomics.compareExchange(owners, chunk, 0, mark);
    return before === 0 || before === mark;
  };
}

function runShare(input: ShareInput): Promise<ShareOutput> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // A larger young generation: tracing allocates many short-lived values (fewer scavenges, measured ~10%).
      worker = new Worker(WORKER_FILE, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    } catch (err) {
      resolve({ ok: false, reason: `no worker thread: ${(err as Error).message}` });
      return;
    }
    let settled = false;
    const settle = (out: ShareOutput) => {
      if (settled) return;
      settled = true;
      resolve(out);
      void worker.terminate();
    };
    worker.once('message', (out: ShareOutput) => settle(out));
    worker.once('error', (err) => settle({ ok: false, reason: err.message }));
    worker.once('exit', (code) => settle({ ok: false, reason: `worker exited with code ${code}` }));
  });
}
