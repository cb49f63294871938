/**
 * When tracing a contact costs more than its reuse saves. Tracing pays when one traced evaluation, however much
 * dearer than a plain run of the rules, covers enough days; a contact whose evaluations hold for a day or two
 * (its tasks read today's date, a library recomputes "now" in ways the tracing cannot follow...) is cheaper to
 * run plainly once a day, as the naive timeline does. This is measured per contact as its timeline is computed:
 * the time of its traced evaluations (rules, bookkeeping and the search for the days they hold; all but the
 * dearest, which may have been interrupted) against the days they covered, and — once it has had a few — the time
 * of a plain run of its rules on the next day (a "probe", whose answer is that day's answer, so it costs nothing
 * more than the day it covers). Decisions only ever change how a day is computed, never its tasks.
 */

/** Why a contact went naive (ran the plain rules once a day for the rest of the timeline). */
export const NAIVE_REASONS = {
  noReuse: 'its traced evaluations held for about a day each, so there was nothing to reuse',
  cost: 'tracing it cost more than running its rules plainly on the days its evaluations covered',
  predicted: 'most contacts before it went naive, and tracing them cost more per day than a plain run of its rules',
} as const;

export type NaiveReason = (typeof NAIVE_REASONS)[keyof typeof NAIVE_REASONS];

/** Traced evaluations a contact gets before it can go naive for lack of reuse (the cost is weighed from the first). */
export const MIN_TRACED = 3;
/** Below this many days per traced evaluation, tracing cannot pay: a traced run never costs less than a plain one. */
const NO_REUSE_DAYS = 1.5;
/**
 * From this many days per traced evaluation, tracing is taken to pay without probing: a traced evaluation would
 * have to cost more than this many plain runs (the dearest measured, rules bundling luxon, cost about 12).
 */
const SURE_GAIN_DAYS = 64;

/** Tracing a contact that costs under this share of the typical plain run per day covered is taken to pay. */
const SURE_GAIN_SHARE = 0.25;

export type Verdict = 'trace' | 'probe' | NaiveReason;

/** One contact's account: what its traced evaluations cost and covered, and what a plain run costs. */
export class ContactCost {
  traced = 0;
  tracedMs = 0;
  /** Days covered by the traced evaluations (each counts the days it is listed on, its own included). */
  covered = 0;
  /**
   * Its dearest traced evaluation and the days it covered, left out of the cost: on a busy machine one evaluation
   * in a few hundred is stopped by a garbage collection or another process for 5-40 ms, 30-200 times what it
   * costs, and that one measure alone sent 9-31 contacts of the 10,000-patient year naive (each then ran plainly
   * on ~330 days, where two or three more traced evaluations would have done), different ones in every run.
   */
  private dearestMs = 0;
  private dearestDays = 0;
  /** The cheapest plain run measured (Infinity: none yet). */
  plainMs = Infinity;
  /** `traced` when the last probe ran (0: never). */
  private probedAt = 0;
  /** Set once the contact went naive. */
  naive: NaiveReason | undefined;

  addTraced(ms: number, days: number): void {
    this.traced++;
    this.tracedMs += ms;
    this.covered += days;
    if (ms > this.dearestMs) {
      this.dearestMs = ms;
      this.dearestDays = days;
    }
  }

  /** Days an earlier evaluation covered again, carried into a new span (--as-reported): reuse at no cost. */
  addCarried(days: number): void {
    this.covered += days;
  }

  addProbe(ms: number): void {
    this.plainMs = Math.min(this.plainMs, ms);
    this.probedAt = this.traced;
  }

  /**
   * What to do on the next day to compute: trace it, run it plainly to measure a plain run (probes come at 1,
   * 2, 4, 8... traced evaluations, keeping the cheapest measure: the first runs of the plain rules are the JIT's
   * slowest), or go naive for good.
   */
  verdict(typicalPlainMs?: number): Verdict {
    if (this.naive) return this.naive;
    if (this.traced === 0) return 'trace';
    if (this.traced >= MIN_TRACED && this.covered < this.traced * NO_REUSE_DAYS) return NAIVE_REASONS.noReuse;
    if (this.covered >= this.traced * SURE_GAIN_DAYS) return 'trace';
    // Nor when its tracing costs a fraction of what the plain runs of the other contacts cost per day: a
    // probe would only confirm it (and splits the walk: the example app had ~2,000 of them for 10,000 contacts).
    if (this.probedAt === 0 && typicalPlainMs !== undefined && this.tracedMs < this.covered * typicalPlainMs * SURE_GAIN_SHARE) return 'trace';
    // A plain run is measured as soon as a second evaluation is needed (rules this cheap to run plainly are
    // not worth three traced evaluations each), then again at 2, 4, 8... traced evaluations.
    if (this.traced >= this.probedAt * 2 && this.probedAt !== this.traced) return 'probe';
    // (So a contact whose every evaluation costs more than the plain runs it saves goes naive from its second.)
    if (this.tracedMs - this.dearestMs > (this.covered - this.dearestDays) * this.plainMs) return NAIVE_REASONS.cost;
    return 'trace';
  }
}

/** The plain runs measured so far over a timeline's contacts (their mean, once there are a few). */
export class PlainRuns {
  private sum = 0;
  private count = 0;

  add(ms: number): void {
    this.sum += ms;
    this.count++;
  }

  typical(): number | undefined {
    return this.count >= TYPICAL_AFTER ? this.sum / this.count : undefined;
  }
}

const TYPICAL_AFTER = 8;

/**
 * What tracing cost per day covered over the contacts traced so far. When most of them went naive (rules that
 * trace badly: a date library the membrane does not recognise in a minified bundle...), each new contact is
 * first run plainly on its first day to compute — which it then answers — and goes naive at once when that
 * run costs well under what tracing cost per day: its first traced evaluation would cost more than many days.
 */
export class CostModel {
  private tracedMs = 0;
  private covered = 0;
  private readonly traced = new Set<string>();
  private naiveCount = 0;

  addTraced(contact: string, ms: number, days: number): void {
    this.tracedMs += ms;
    this.covered += days;
    this.traced.add(contact);
  }

  wentNaive(): void {
    this.naiveCount++;
  }

  /** Whether new contacts are to be run plainly first: enough were traced, and at least half of them went naive. */
  probeFirst(): boolean {
    return this.traced.size >= PREDICT_AFTER && this.naiveCount * 2 >= this.traced.size;
  }

  /** Whether a contact whose plain run costs `plainMs` would cost more traced, by a clear margin. */
  naive(plainMs: number): boolean {
    return plainMs * PREDICT_MARGIN < this.tracedMs / this.covered;
  }
}

const PREDICT_AFTER = 8;
/** A contact's own evaluations may hold longer than the others': it goes naive at half the cost per day. */
const PREDICT_MARGIN = 2;

/** Times a piece of work (tests give a meter of their own, to decide without a real clock). */
export type Meter = <T>(kind: 'traced' | 'plain', work: () => T) => { value: T; ms: number };

export const wallClockMeter: Meter = (_kind, work) => {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
};
