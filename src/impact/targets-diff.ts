/**
 * Targets of two versions of the rules, per month and target. Pure and free of Node imports: the HTML report's
 * page (web/report/) imports it to draw the targets side by side, and the CLI's outputs use the same numbers.
 */

/** A target's value as `dry-run-targets --json` gives it (`value`). */
export interface TargetValueLike {
  pass: number;
  total: number;
  percent?: number;
}

/** One month of one side: its targets by id (the shape of a dry-run's MonthTargets). */
export interface MonthValues {
  month: string;
  interval: { start: string; end: string };
  targets: readonly { id: string; value: TargetValueLike }[];
}

/** A target's value in a month on both sides (null: the side has no such target) and the difference. */
export interface TargetChange {
  id: string;
  before: TargetValueLike | null;
  after: TargetValueLike | null;
  /** after - before, for pass, total and (when both have it) percent; null when a side lacks the target. */
  delta: { pass: number; total: number; percent?: number } | null;
  changed: boolean;
}

export interface MonthComparison {
  month: string;
  interval: { start: string; end: string };
  targets: TargetChange[];
}

const sameValue = (a: TargetValueLike, b: TargetValueLike) => a.pass === b.pass && a.total === b.total && a.percent === b.percent;

/** Per month (the new side's months) and target (new side's order, then targets only the old side has). */
export function compareTargets(oldMonths: readonly MonthValues[], newMonths: readonly MonthValues[]): MonthComparison[] {
  const oldByMonth = new Map(oldMonths.map((m) => [m.month, m]));
  return newMonths.map((m) => {
    const before = new Map((oldByMonth.get(m.month)?.targets ?? []).map((t) => [t.id, t]));
    const targets: TargetChange[] = m.targets.map((t) => {
      const was = before.get(t.id);
      before.delete(t.id);
      if (!was) return { id: t.id, before: null, after: t.value, delta: null, changed: true };
      const delta = {
        pass: t.value.pass - was.value.pass,
        total: t.value.total - was.value.total,
        ...(t.value.percent !== undefined && was.value.percent !== undefined ? { percent: t.value.percent - was.value.percent } : {}),
      };
      return { id: t.id, before: was.value, after: t.value, delta, changed: !sameValue(was.value, t.value) };
    });
    for (const t of before.values()) targets.push({ id: t.id, before: t.value, after: null, delta: null, changed: true });
    return { month: m.month, interval: m.interval, targets };
  });
}
