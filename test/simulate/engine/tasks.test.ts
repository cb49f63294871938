/* eslint-disable @typescript-eslint/no-explicit-any -- emissions are user-shaped */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionName, emissionDoc, rankInView, taskRecord, tasksOfDay } from '../../../src/simulate/engine/tasks.js';

const previousTz = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'Africa/Nairobi';
});
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const NOW = () => new Date(2024, 5, 15, 12).getTime();
const container = (contactId: string | undefined) => ({ contact: contactId === undefined ? undefined : { _id: contactId, name: `Name ${contactId}` }, reports: [], tasks: [] });

function task(id: string, due: Date, opts: Record<string, any> = {}) {
  const c = opts.c ?? container('p1');
  return {
    _id: id,
    deleted: false,
    doc: c,
    contact: 'contact' in opts ? opts.contact : c.contact,
    icon: 'icon',
    date: due,
    readyStart: opts.start ?? 0,
    readyEnd: opts.end ?? 0,
    title: 'task.title',
    resolved: opts.resolved ?? false,
    actions: [{ type: 'report', form: 'f', label: 'Follow up', content: { source: 'task', source_id: 'r1', contact: c.contact } }],
    ...(opts.extra ?? {}),
  };
}

const records = (...raws: any[]) => raws.map((raw, i) => taskRecord(raw, NOW(), i));
const today = () => new Date(2024, 5, 15);

describe('task docs from emissions (cht-core 4.11.0 refresh-rules-emissions.js, transform-task-emission-to-doc.js, tasks_by_contact)', () => {
  it('stores the minified emission: listed fields, contact name, window, forId; content.contact removed; JSON', () => {
    const raw = task('r1~e~t', today(), { extra: { priority: 'high', priorityLabel: 'lbl', fields: { x: 1 } } });
    raw.actions.push({ type: 'report', form: 'g', label: 'L', content: { source: 'task', source_id: 'r1', contact: { _id: 'other' }, when: new Date(Date.UTC(2024, 0, 1)) } } as any);
    const doc = emissionDoc(taskRecord(raw, NOW(), 0));
    expect(doc).toEqual({
      _id: 'r1~e~t', title: 'task.title', icon: 'icon', deleted: false, resolved: false,
      actions: [
        { type: 'report', form: 'f', label: 'Follow up', content: { source: 'task', source_id: 'r1' } },
        { type: 'report', form: 'g', label: 'L', content: { source: 'task', source_id: 'r1', when: '2024-01-01T00:00:00.000Z' } },
      ],
      priority: 'high', priorityLabel: 'lbl', contact: { name: 'Name p1' },
      dueDate: '2024-06-15', startDate: '2024-06-15', endDate: '2024-06-15', forId: 'p1',
    });
    expect(Object.keys(doc)).toEqual(['_id', 'title', 'icon', 'deleted', 'resolved', 'actions', 'priority', 'priorityLabel', 'contact', 'dueDate', 'startDate', 'endDate', 'forId']);
    // The raw emission keeps its content.contact (cached emissions are reused on later days).
    expect(raw.actions[0]!.content.contact).toEqual({ _id: 'p1', name: 'Name p1' });
  });

  it('owner is the emission contact id; _unassigned for contactLabel tasks and the contact-less container', () => {
    const [labelled, loose, own] = records(
      task('a~e~t', today(), { contact: { name: 'Household A' } }),
      task('b~e~t', today(), { c: container(undefined) }),
      task('c~e~t', today()),
    );
    expect(labelled!.owner).toBe('_unassigned');
    expect(labelled!.requester).toBe('p1');
    expect(loose!.owner).toBe('_unassigned');
    expect(loose!.requester).toBeNull();
    expect(own!.owner).toBe('p1');
  });

  it('shows only Ready tasks, ordered like the tasks_by_contact view (owner, then doc id)', () => {
    const c2 = container('p0');
    const shown = tasksOfDay(records(
      task('z~e~t', today()),
      task('r1~e~t-0', today(), { c: c2 }),
      task('r1~e~t', today(), { c: c2 }),
      task('draft~e~t', new Date(2024, 5, 20)),
      task('done~e~t', today(), { resolved: true }),
      task('old~e~t', new Date(2024, 5, 1)),
      task('gone~e~t', today(), { extra: { deleted: true } }),
      task('label~e~t', today(), { contact: { name: 'Hh' } }),
    ), NOW(), { allStates: false });
    // `r1~e~t-0~…` sorts before `r1~e~t~…` in the view (the doc id has the time appended after a "~").
    expect(shown.map((t) => t.emission._id)).toEqual(['label~e~t', 'r1~e~t-0', 'r1~e~t', 'z~e~t']);
    expect(shown.every((t) => t.state === 'Ready')).toBe(true);
  });

  it('resolves duplicate ids: the first seen wins unless a later one is strictly more ready', () => {
    const a = task('dup', new Date(2024, 5, 20), { extra: { title: 'first (Draft)' } });
    const b = task('dup', today(), { extra: { title: 'second (Ready)' } });
    const c = task('dup', today(), { extra: { title: 'third (Ready)' } });
    expect(tasksOfDay(records(a, b, c), NOW(), { allStates: false }).map((t) => t.emission.title)).toEqual(['second (Ready)']);
    const all = tasksOfDay(records(a, b, c), NOW(), { allStates: true });
    expect(all.map((t) => [t.state, t.emission.title])).toEqual([
      ['Ready', 'second (Ready)'], ['Duplicate', 'first (Draft)'], ['Duplicate', 'third (Ready)'],
    ]);
  });

  it('filters untimely emissions before disambiguating', () => {
    const ancient = task('dup', new Date(2024, 0, 1), { extra: { title: 'untimely' } });
    const draft = task('dup', new Date(2024, 5, 20), { extra: { title: 'draft' } });
    const all = tasksOfDay(records(ancient, draft), NOW(), { allStates: true });
    expect(all.map((t) => [t.state, t.emission.title])).toEqual([['Draft', 'draft'], ['NotTimely', 'untimely']]);
  });

  it('--all-states explains every state', () => {
    const all = tasksOfDay(records(
      task('draft~e~t', new Date(2024, 5, 20), { start: 2 }),
      task('failed~e~t', new Date(2024, 5, 10), { end: 1 }),
      task('done~e~t', today(), { resolved: true }),
      task('gone~e~t', today(), { extra: { deleted: true } }),
      task('bad~e~t', new Date(NaN)),
    ), NOW(), { allStates: true });
    const byId = Object.fromEntries(all.map((t) => [t.emission._id, t]));
    expect(byId['draft~e~t']!.reason).toMatch(/^Draft until 2024-06-18/);
    expect(byId['failed~e~t']!.reason).toMatch(/^Failed since 2024-06-12/);
    expect(byId['done~e~t']!.state).toBe('Completed');
    expect(byId['gone~e~t']!.state).toBe('Cancelled');
    expect(byId['bad~e~t']!.state).toBe('NotTimely');
  });

  it('keeps only the subject\'s tasks with ownedBySubject', () => {
    const shown = tasksOfDay(records(task('a', today()), task('b', today(), { c: container('p2') })), NOW(), { allStates: false, ownedBy: 'p2' });
    expect(shown.map((t) => t.emission._id)).toEqual(['b']);
  });
});

describe('ranked records (a timeline sorts each day by a rank computed once)', () => {
  it('sorting by rank gives the view order, duplicate ids and equal keys included, for any subset and order', () => {
    // A small deterministic generator: owners and ids collide on purpose (same emission id from two containers,
    // ids that are prefixes of others, an unassigned owner).
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const owners = ['p1', 'p10', 'p2', 'hh-1', undefined];
    const ids = ['a~e~t', 'a~e~t2', 'a~e', 'b~x~t', 'p1~y~t', 'a~e~t'];
    const all = Array.from({ length: 60 }, (_, i) => {
      const owner = owners[next(owners.length)];
      const raw = task(ids[next(ids.length)]!, today(), { c: container(owner), contact: owner === undefined ? { name: 'Loose' } : { _id: owner, name: owner } });
      return taskRecord(raw, NOW(), i);
    });
    const plain = all.map((r) => ({ ...r }));
    rankInView(all);
    expect(all.every((r) => typeof r.rank === 'number')).toBe(true);
    for (let round = 0; round < 25; round++) {
      const picked = all.filter(() => next(3) > 0).slice(next(10));
      if (round % 2) {
        for (let i = picked.length - 1; i > 0; i--) {
          const j = next(i + 1);
          [picked[i], picked[j]] = [picked[j]!, picked[i]!];
        }
      }
      const ranked = tasksOfDay(picked, NOW(), { allStates: false });
      const unranked = tasksOfDay(picked.map((r) => plain[r.container]!), NOW(), { allStates: false });
      expect(ranked.map((t) => [t.owner, t.emission._id, t.requester])).toEqual(unranked.map((t) => [t.owner, t.emission._id, t.requester]));
      expect(ranked.length).toBeGreaterThan(0);
    }
  });
});

describe('definitionName', () => {
  const c = {
    contact: { _id: 'p1' },
    reports: [
      { _id: 'reg-1', scheduled_tasks: [{ due: '2024-01-01' }, { due: '2024-02-01' }, { due: '2024-03-01' }] },
      { _id: 'visit-9' },
    ],
  };
  it('is the last part of the id, without the index a scheduled_tasks task adds', () => {
    expect(definitionName({ _id: 'p1~0~household-survey', doc: c })).toBe('household-survey');
    expect(definitionName({ _id: 'reg-1~0~immunization-visit-2', doc: c })).toBe('immunization-visit');
    // A name that ends in digits keeps them: the report has no scheduled task at that index, or none at all.
    expect(definitionName({ _id: 'reg-1~0~pnc-visit-3', doc: c })).toBe('pnc-visit-3');
    expect(definitionName({ _id: 'visit-9~0~pnc-visit-1', doc: c })).toBe('pnc-visit-1');
    expect(definitionName({ _id: 'p1~0~pnc-visit-1', doc: c })).toBe('pnc-visit-1');
    expect(definitionName({ _id: 'x~0~y-1' })).toBe('y-1');
  });
});
