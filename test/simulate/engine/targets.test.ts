/* eslint-disable @typescript-eslint/no-explicit-any -- emissions are user-shaped */
import { describe, expect, it } from 'vitest';
import type { TargetItem } from '../../../src/simulate/engine/config.js';
import { aggregateTargets, visibleTargets } from '../../../src/simulate/engine/targets.js';

const interval = { start: Date.UTC(2024, 5, 1), end: Date.UTC(2024, 6, 1) - 1 };
const NOW = Date.UTC(2024, 5, 15);
const IN = Date.UTC(2024, 5, 10);
const OUT = Date.UTC(2024, 4, 10);
const contact = (id: string, reported_date?: number) => ({ _id: id, ...(reported_date !== undefined ? { reported_date } : {}) });
const emission = (type: string, id: string, requestor: any, pass: boolean, date: unknown, extra: Record<string, unknown> = {}) =>
  ({ _id: `${id}~${type}`, type, contact: requestor, pass, date, deleted: false, groupBy: undefined, ...extra });
const value = (items: TargetItem[], emissions: any[]) => aggregateTargets(items, emissions, interval, NOW).targets.map((t) => t.value);

describe('target aggregation (cht-core 4.11.0 target-state.js)', () => {
  const count: TargetItem = { id: 'c', type: 'count', goal: 1 };
  const percent: TargetItem = { id: 'p', type: 'percent', goal: 80 };

  it('counts instances dated inside the interval, inclusive at both ends', () => {
    expect(value([count], [
      emission('c', 'a', contact('x'), true, interval.start),
      emission('c', 'b', contact('x'), false, interval.end),
      emission('c', 'c', contact('x'), true, interval.end + 1),
      emission('c', 'd', contact('x'), true, OUT),
    ])).toEqual([{ pass: 1, total: 2 }]);
  });

  it('an undefined date is "now" (counted); null and 0 are not', () => {
    expect(value([count], [
      emission('c', 'a', contact('x'), true, undefined),
      emission('c', 'b', contact('x'), true, null),
      emission('c', 'c', contact('x'), true, 0),
      emission('c', 'd', contact('x'), true, new Date(IN)),
      emission('c', 'e', contact('x'), true, '2024-06-30'),
    ])).toEqual([{ pass: 3, total: 3 }]);
  });

  it('the last emission with the same _id and requestor overwrites earlier ones', () => {
    expect(value([count], [
      emission('c', 'a', contact('x'), true, IN),
      emission('c', 'a', contact('x'), false, OUT),
    ])).toEqual([{ pass: 0, total: 0 }]);
    expect(value([count], [
      emission('c', 'a', contact('x'), false, OUT),
      emission('c', 'a', contact('x'), true, IN),
    ])).toEqual([{ pass: 1, total: 1 }]);
  });

  it('per _id, the requestor with the greatest reported_date wins; on ties the first requestor key', () => {
    expect(value([count], [
      emission('c', 'hh', contact('old', 100), true, IN),
      emission('c', 'hh', contact('new', 200), false, IN),
    ])).toEqual([{ pass: 0, total: 1 }]);
    expect(value([count], [
      emission('c', 'hh', contact('first', 100), true, IN),
      emission('c', 'hh', contact('second', 100), false, IN),
    ])).toEqual([{ pass: 1, total: 1 }]);
    // Integer-like requestor ids come first in Object.keys order, whatever the emission order.
    expect(value([count], [
      emission('c', 'hh', contact('b', 100), true, IN),
      emission('c', 'hh', contact('7', 100), false, IN),
    ])).toEqual([{ pass: 0, total: 1 }]);
    // Only requestors whose instance is inside the interval compete.
    expect(value([count], [
      emission('c', 'hh', contact('old', 100), true, IN),
      emission('c', 'hh', contact('new', 200), false, OUT),
    ])).toEqual([{ pass: 1, total: 1 }]);
  });

  it('skips deleted instances, instances without a contact id, and unknown target ids', () => {
    expect(value([count], [
      emission('c', 'a', contact('x'), true, IN, { deleted: true }),
      emission('c', 'b', undefined, true, IN),
      emission('c', 'c', { name: 'no id' }, true, IN),
      emission('unknown', 'd', contact('x'), true, IN),
    ])).toEqual([{ pass: 0, total: 0 }]);
  });

  it('rounds percentages; 0 when there is nothing to count', () => {
    expect(value([percent], [
      emission('p', 'a', contact('x'), true, IN),
      emission('p', 'b', contact('x'), true, IN),
      emission('p', 'c', contact('x'), false, IN),
    ])).toEqual([{ pass: 2, total: 3, percent: 67 }]);
    expect(value([percent], [])).toEqual([{ pass: 0, total: 0, percent: 0 }]);
  });

  it('groupBy + passesIfGroupCount: groups with at least gte passing instances pass; no group, not counted', () => {
    const grouped: TargetItem = { id: 'g', type: 'percent', passesIfGroupCount: { gte: 2 } };
    expect(value([grouped], [
      emission('g', 'a', contact('x'), true, IN, { groupBy: 'h1' }),
      emission('g', 'b', contact('x'), true, IN, { groupBy: 'h1' }),
      emission('g', 'c', contact('x'), false, IN, { groupBy: 'h2' }),
      emission('g', 'd', contact('x'), true, IN, { groupBy: 'h2' }),
      emission('g', 'e', contact('x'), true, IN, { groupBy: undefined }),
    ])).toEqual([{ pass: 1, total: 2, percent: 50 }]);
    // gte 0 is no threshold: a plain count.
    expect(value([{ id: 'g', type: 'count', passesIfGroupCount: { gte: 0 } }], [
      emission('g', 'a', contact('x'), true, IN, { groupBy: 'h1' }),
      emission('g', 'b', contact('x'), false, IN),
    ])).toEqual([{ pass: 1, total: 2 }]);
  });

  it('keeps id, type and goal as configured, in settings order', () => {
    const { targets } = aggregateTargets([percent, { id: 'n' }, count], [], interval, NOW);
    expect(targets).toEqual([
      { id: 'p', type: 'percent', goal: 80, value: { pass: 0, total: 0, percent: 0 } },
      { id: 'n', value: { pass: 0, total: 0 } },
      { id: 'c', type: 'count', goal: 1, value: { pass: 0, total: 0 } },
    ]);
  });

  it('explains each instance of a target', () => {
    const { explanation } = aggregateTargets([count], [
      emission('c', 'a', contact('x', 1), true, IN),
      emission('c', 'a', contact('x', 1), false, IN),
      emission('c', 'b', contact('y', 1), true, OUT),
      emission('c', 'd', contact('z', 1), true, IN, { deleted: true }),
      emission('c', 'e', contact('u', 1), true, IN),
      emission('c', 'e', contact('v', 2), true, IN),
    ], interval, NOW, 'c');
    expect(explanation!.instances.map((i) => i.status)).toEqual(['overwritten', 'counted', 'outside-interval', 'deleted', 'superseded', 'counted']);
    expect(explanation!.result!.value).toEqual({ pass: 1, total: 2 });
  });

  it('drops targets whose context is false for the user', () => {
    const items: TargetItem[] = [{ id: 'a' }, { id: 'b', context: "user.role === 'chw'" }, { id: 'c', context: 'user.parent.missing.deep' }];
    expect(visibleTargets(items, { role: 'chw', parent: {} }).map((t) => t.id)).toEqual(['a', 'b']);
    expect(visibleTargets(items, { role: 'nurse' }).map((t) => t.id)).toEqual(['a']);
  });
});
