import type { Predicate, Sym } from './trace-runtime.js';
import { UNSEEN } from './trace-state.js';
import type { Validity } from './trace-validity.js';

/**
 * Refuting coincidences with another evaluation of the same container. Values are tracked by value, so a small
 * number that merely equals a clock-derived one — a scheduled task's index passed to `appliesIf(c, r, i)` that
 * equals today's day of the month, then `i + 1`, `r.scheduled_tasks[i + 1]`... — has the clock among its
 * candidates, and every decision on it (a property key, a comparison, a task's `readyEnd`) is recorded on each
 * of them: the evaluation then holds for a day. cht-core's config/standard did so on most days of the month
 * (its targets read `now.getDate()` for every person).
 *
 * An evaluation on another day `w` that took the same path up to a decision saw, at the same position of its
 * log (Trace.observe), the value of the same expression — the one the decision's value really came from. A
 * candidate whose replay at `w` gives something else is not where the value came from, and the decision need
 * not hold for it. "The same path" is established decision by decision, in the order they were taken: each
 * decision kept must come out the same at `w`; at the first that does not (or cannot be placed in the log), the
 * paths may part, and every later decision is kept as it is. The true provenance of a value is never dropped
 * (replayed at `w` it gives what `w` saw), so the decisions left are exactly those the reuse must respect.
 */
export interface Witness {
  /** Its day index. */
  day: number;
  /** Its decisions in the order taken (before `distinct`), outputs and types last. */
  decisions: Predicate[];
  /** Those of them the targets took, when kept apart (TracedEvaluation.targets). */
  inside?: Set<Predicate> | undefined;
  /** What its trace saw, position by position. */
  log: readonly unknown[];
}

/** The decisions of an evaluation that are not refuted by `witness`, in their order. */
export function refuted(decisions: readonly Predicate[], witness: Witness, validity: Validity): Predicate[] {
  const kept: Predicate[] = [];
  let parted = false;
  for (const p of decisions) {
    if (!parted && (notFrom(p.a, p.ia, witness, validity) || (p.b !== undefined && notFrom(p.b, p.ib, witness, validity)))) continue;
    kept.push(p);
    if (!parted && !validity.holds(p, witness.day)) parted = true;
  }
  return kept;
}

/** Whether `s` replayed on the witness's day differs from what the witness saw at `at` (false when unknown). */
function notFrom(s: Sym, at: number | undefined, witness: Witness, validity: Validity): boolean {
  if (at === undefined || at >= witness.log.length) return false;
  const seen = witness.log[at];
  if (seen === UNSEEN) return false;
  let value: unknown;
  try {
    value = validity.valueOn(s, witness.day);
  } catch {
    return false;
  }
  // (A candidate standing for an object — a Date used as a key — is not compared with what was logged of it.)
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) return false;
  return !Object.is(value, seen);
}
