import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { consoleLinesWanted, forwardConsoleLines, type ConsoleBatch } from '../../user-console.js';
import type { RulesConfig } from '../engine/config.js';
import type { SimulationOptions } from '../engine/simulation.js';
import type { Fixtures } from '../engine/fixtures.js';
import type { ContainerSpec } from '../engine/containers.js';
import type { Day, TimelineStats } from '../engine/timeline.js';
import type { Segment } from './segments.js';
import type { SegmentBlock } from './timeline.js';

/** What a worker is given: everything to rebuild the simulation, and how it claims its share of the containers. */
export interface ShareInput {
  config: RulesConfig;
  /**
   * The fixtures as a worker gets them: the files' texts, which it loads as this thread did (for 10,000 patients
   * the docs and containers were 17 MB to copy: ~230 ms of this thread's time to send, ~300 ms of the worker's to
   * receive), else the docs with the containers built from them.
   */
  fixtures: FixtureTexts | { loaded: Fixtures; containers: ContainerSpec[] };
  options: SimulationOptions;
  tz: string;
  days: Day[];
  part: number;
  /** Who owns which chunk of containers (see `claimer`), shared by every thread of the run. */
  claims: SharedArrayBuffer;
  /** How many `console.*` lines of the rules to send back (the rest are counted). */
  consoleLines: number;
}

/** Fixture files and their texts, as read by this thread. */
export interface FixtureTexts {
  files: string[];
  texts: string[];
}

/** Whether a worker can load these fixtures from their files' texts (see ShareInput.fixtures). */
export function fixturesHaveTexts(fixtures: Fixtures): boolean {
  return fixtures.texts.length === fixtures.files.length;
}

/**
 * What a worker is sent of the fixtures (see ShareInput.fixtures): their texts, else the docs with `containers`,
 * which are then needed (without them the worker would build none).
 */
export function sharedFixtures(fixtures: Fixtures, containers: ContainerSpec[] | undefined): ShareInput['fixtures'] {
  if (fixturesHaveTexts(fixtures)) return { files: fixtures.files, texts: fixtures.texts };
  if (!containers) throw new Error('fixtures without their texts go to a worker with their containers');
  return { loaded: fixtures, containers };
}

export type ShareStats = Pick<TimelineStats, 'evaluations' | 'reused' | 'targetsAlone' | 'untraced' | 'wentNaive'>;

/** What the rules wrote to the console on a worker thread since its last message, sent with each block and its end. */
export interface ShareConsole {
  console?: ConsoleBatch;
}

/** A share's segments of the days [from, to), sent as soon as that block is done. */
export interface ShareBlock extends ShareConsole {
  kind: 'block';
  from: number;
  to: number;
  segments: Segment[];
}

/** How a share ended: its counts, or why it could not go on (after the blocks it sent). */
export type ShareEnd =
  | ({ kind: 'end'; ok: true; stats: ShareStats } & ShareConsole)
  | ({ kind: 'end'; ok: false; reason: string } & ShareConsole);

export type ShareMessage = ShareBlock | ShareEnd;

/** What a parallel run came to, complete once its blocks were all read. */
export interface ParallelRun {
  /** The shares' counts, summed. */
  stats: ShareStats;
  /** When a share could not go on: the first day not covered by the blocks given, and why. */
  stopped?: { from: number; reason: string };
}

/** Below this many container-days a timeline is quicker on one thread than the workers take to start. */
export const PARALLEL_MIN_CONTAINER_DAYS = 400_000;

/**
 * Containers per claim. Threads take chunks as they get to them rather than a fixed half each: a worker starts
 * later than this thread and contacts cost very different amounts (one pregnancy is traced ten times, a
 * household once), so fixed shares left one thread idle for seconds while the other finished.
 */
export const CLAIM_CHUNK = 16;

/**
 * Blocks this thread computes ahead of the ones it lists, while a worker has not sent its part of the next one.
 * The first block is the dearest (every contact's first evaluation) and the workers start later: with 2, this
 * thread sat idle for 1.1 s of the 10,000-patient year waiting for the worker's first block; with 8 (more than a
 * year's blocks of 56 days), 0.2-0.5 s, for a few MB more at the peak (811 against 804 MB).
 */
const AHEAD = 8;

// Next to this module in dist/; absent when running from the TypeScript sources (tests), which then use one thread.
const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** How many threads a timeline of this size gets: 1 unless it is large and the machine has cores to spare. */
export function threadsFor(containerDays: number, requested: number | undefined): number {
  if (!existsSync(WORKER_FILE)) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (containerDays < PARALLEL_MIN_CONTAINER_DAYS) return 1;
  return Math.min(os.availableParallelism(), 4);
}

/** The worker threads of a parallel timeline, each on its share, and the claims they share with this thread. */
export interface Shares {
  claims: SharedArrayBuffer;
  workers: Share[];
}

/**
 * Starts the `parts - 1` workers of a timeline of at most `containers` containers. They load and prepare their
 * simulation while this thread prepares its own, and start claiming as soon as they are ready (see
 * parallelBlocks, which stops them; `stopShares` when the timeline is not read).
 */
export function startShares(input: Omit<ShareInput, 'part' | 'claims' | 'consoleLines'>, containers: number, parts: number): Shares {
  const consoleLines = consoleLinesWanted();
  const claims = new SharedArrayBuffer(4 * Math.ceil(Math.max(1, containers) / CLAIM_CHUNK));
  return { claims, workers: Array.from({ length: parts - 1 }, (_, i) => startShare({ ...input, part: i + 1, claims, consoleLines })) };
}

export function stopShares(shares: Shares): void {
  for (const worker of shares.workers) worker.stop();
}

/**
 * Ready-only timeline segments computed by this thread and the workers of `shares`, a block of days at a time,
 * each thread taking the chunks of containers it claims first (`claimer`): this thread's share by `local`, the
 * others on worker threads, which send each block as they finish it. A block is given once every share has
 * it, so its days can be listed (in container order, exactly as one thread would) while the next is computed.
 * When a share cannot go on — rules that modify `user`, a record that cannot be copied, an error — the blocks
 * stop and `run.stopped` says from which day: the caller runs the rest on one thread, which gives the answer or
 * the error with all its details.
 */
export async function* parallelBlocks(
  { claims, workers }: Shares, local: (take: (spec: { index: number }) => boolean) => Generator<ShareBlock, ShareEnd>, run: ParallelRun,
): AsyncGenerator<SegmentBlock> {
  let next = 0;
  const stop = (reason: string) => {
    run.stopped = { from: next, reason };
  };
  const own = local(claimer(0, claims, workers.length + 1));
  // This thread's blocks not listed yet, and how its share ended: while a worker's part of the next block to list
  // has not arrived, this thread computes its own next ones (up to AHEAD) instead of waiting.
  const ahead: ShareBlock[] = [];
  let ownEnd: ShareEnd | undefined;
  const compute = (): string | undefined => {
    try {
      const step = own.next();
      if (step.done) ownEnd = step.value;
      else ahead.push(step.value);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  try {
    for (;;) {
      let failed = ahead.length === 0 && !ownEnd ? compute() : undefined;
      while (failed === undefined && !ownEnd && ahead.length < AHEAD && !workers.every((w) => w.ready())) {
        // (A worker's messages arrive between macrotasks: they are let in before looking again.)
        await new Promise((resolve) => setImmediate(resolve));
        if (!workers.every((w) => w.ready())) failed = compute();
      }
      if (failed !== undefined) return stop(failed);
      const block = ahead.shift();
      if (!block) {
        const ends = [ownEnd!, ...(await Promise.all(workers.map((w) => w.next())))];
        for (const end of ends) {
          if (end.kind !== 'end') return stop('a worker has more blocks than this thread');
          if (!end.ok) return stop(end.reason);
          addStats(run.stats, end.stats);
        }
        return;
      }
      const { from, to, segments } = block;
      const all = [...segments];
      for (const worker of workers) {
        const message = await worker.next();
        if (message.kind === 'end') return stop(message.ok ? 'a worker ended before this thread' : message.reason);
        if (message.from !== from || message.to !== to) return stop('a worker sent another block than this thread');
        for (const segment of message.segments) all.push(segment);
      }
      yield { from, to, segments: all };
      next = to;
    }
  } finally {
    for (const worker of workers) worker.stop();
    // This thread's share may be suspended between blocks: ending it takes its tracing hooks off.
    own.return({ kind: 'end', ok: false, reason: 'stopped' });
  }
}

function addStats(sum: ShareStats, stats: ShareStats): void {
  sum.evaluations += stats.evaluations;
  sum.reused += stats.reused;
  if (stats.targetsAlone) sum.targetsAlone = (sum.targetsAlone ?? 0) + stats.targetsAlone;
  for (const [reason, n] of Object.entries(stats.untraced ?? {})) {
    sum.untraced = { ...sum.untraced, [reason]: (sum.untraced?.[reason] ?? 0) + n };
  }
  // (Each share decides for its own contacts: a share may hold contacts that went naive.)
  const naive = stats.wentNaive;
  if (naive) {
    const all = (sum.wentNaive ??= { contacts: 0, reasons: {}, plainEvaluations: 0 });
    all.contacts += naive.contacts;
    all.plainEvaluations += naive.plainEvaluations;
    for (const [reason, n] of Object.entries(naive.reasons)) all.reasons[reason] = (all.reasons[reason] ?? 0) + n;
  }
}

/**
 * This thread's most of a timeline's work, as a fraction of an equal share: it also lists every day (the human
 * summary, the JSON) and starts on its share sooner than a worker, which loads the fixtures again first. Taking
 * chunks as fast as the workers, it took 54% of the chunks of the 10,000-patient year on two threads; capped at
 * 0.95 of a half (47.5%), the whole run took 4.6% less (medians of 5 alternating runs, 10.67 -> 10.18 s, with the
 * other changes of that day); at 0.85 the worker finished last.
 */
const THIS_THREAD_SHARE = 0.95;

/**
 * Whether chunk `chunk` is left to the workers of a run on `parts` threads: this thread never claims it, so it
 * takes at most THIS_THREAD_SHARE of an equal share (less when the workers are quicker). Spread evenly over the
 * indexes, as contacts of one kind are often listed together. Every worker walks every chunk, so each of these
 * is claimed by one of them.
 */
export function leftToWorkers(chunk: number, parts: number): boolean {
  if (parts < 2) return false;
  const most = THIS_THREAD_SHARE / parts;
  return Math.floor((chunk + 1) * most) === Math.floor(chunk * most);
}

/**
 * The containers of thread `part`: the chunks of CLAIM_CHUNK consecutive indexes it claimed first (each thread
 * walks the containers in order and claims each chunk it reaches unclaimed, atomically, so every chunk has one
 * owner; this thread, `part` 0, leaves some to the workers: `leftToWorkers`). A claim holds for the whole run:
 * with --as-reported every span's containers of those indexes are its.
 */
export function claimer(part: number, claims: SharedArrayBuffer, parts = 1): (spec: { index: number }) => boolean {
  const owners = new Int32Array(claims);
  const mark = part + 1;
  return (spec) => {
    const chunk = Math.floor(spec.index / CLAIM_CHUNK);
    if (chunk >= owners.length) return part === 0;
    if (part === 0 && leftToWorkers(chunk, parts)) return false;
    const owner = Atomics.load(owners, chunk);
    if (owner !== 0) return owner === mark;
    const before = Atomics.compareExchange(owners, chunk, 0, mark);
    return before === 0 || before === mark;
  };
}

/** A worker's share: its messages in the order sent (after its end, the end again), and a way to stop it. */
interface Share {
  next(): Promise<ShareMessage>;
  /** Whether `next` has a message at hand. */
  ready(): boolean;
  stop(): void;
}

function startShare(input: ShareInput): Share {
  const queue: ShareMessage[] = [];
  let waiting: ((message: ShareMessage) => void) | undefined;
  let ended: ShareEnd | undefined;
  const deliver = (message: ShareMessage) => {
    if (ended) return;
    if (message.kind === 'end') ended = message;
    if (waiting) {
      const wake = waiting;
      waiting = undefined;
      wake(message);
    } else queue.push(message);
  };
  let worker: Worker | undefined;
  try {
    // A larger young generation: tracing allocates many short-lived values (fewer scavenges, measured ~10%).
    worker = new Worker(WORKER_FILE, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    worker.on('message', (message: ShareMessage) => deliver(message));
    worker.once('error', (err) => deliver({ kind: 'end', ok: false, reason: err.message }));
    worker.once('exit', (code) => deliver({ kind: 'end', ok: false, reason: `worker exited with code ${code}` }));
  } catch (err) {
    deliver({ kind: 'end', ok: false, reason: `no worker thread: ${(err as Error).message}` });
  }
  // The worker's console lines go where this thread's go (its own share writes there directly) as each message
  // is read: a run that stops part-way keeps the lines of what was read. (The end, read again after the end,
  // forwards nothing twice: its lines are taken the first time.)
  const read = (message: ShareMessage): ShareMessage => {
    if (message.console) {
      forwardConsoleLines(message.console.lines, message.console.dropped);
      delete message.console;
    }
    return message;
  };
  return {
    next: () => {
      const message = queue.shift() ?? (queue.length === 0 && ended && !waiting ? ended : undefined);
      return message ? Promise.resolve(read(message)) : new Promise((resolve) => (waiting = (m) => resolve(read(m))));
    },
    ready: () => queue.length > 0 || ended !== undefined,
    stop: () => void worker?.terminate(),
  };
}
