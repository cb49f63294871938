import { describe, expect, it } from 'vitest';
import { daySpans, TaskDiffer, taskFieldChanges } from '../../src/impact/task-diff.js';
import type { TaskResult } from '../../src/simulate/index.js';

function task(owner: string, id: string, extra: Record<string, unknown> = {}, state: TaskResult['state'] = 'Ready'): TaskResult {
  return { state, name: id.slice(id.lastIndexOf('~') + 1), owner, requester: owner, emission: { _id: id, title: 't', dueDate: '2024-01-05', contact: { name: owner.toUpperCase() }, ...extra } };
}

describe('taskFieldChanges', () => {
  it('names the changed fields, actions down to the changed action part, and the state', () => {
    const a = task('c', 'r~e~visit', { actions: [{ form: 'f', content: { a: 1 } }, { form: 'g' }] });
    const b = task('c', 'r~e~visit', { dueDate: '2024-01-06', actions: [{ form: 'f', content: { a: 2 } }, { form: 'g' }], contact: { name: 'X' } }, 'Draft');
    expect(taskFieldChanges(a, b)).toEqual(['state', 'actions[0].content', 'contact.name', 'dueDate']);
    expect(taskFieldChanges(a, { ...a, emission: { ...a.emission } })).toEqual([]);
    // Key order alone is not a change; an added action is named by the list.
    expect(taskFieldChanges(task('c', 'x', { p: { a: 1, b: 2 } }), task('c', 'x', { p: { b: 2, a: 1 } }))).toEqual([]);
    expect(taskFieldChanges(task('c', 'x', { actions: [] }), task('c', 'x', { actions: [{}] }))).toEqual(['actions']);
  });
});

describe('TaskDiffer', () => {
  it('keys task-days by owner and emission _id, and sums them per task name and contact', () => {
    const d = new TaskDiffer();
    const kept = task('c1', 'r1~e~visit');
    d.old({ date: '2024-01-01', tasks: [kept, task('c2', 'r2~e~visit')] });
    d.old({ date: '2024-01-02', tasks: [kept] });
    d.old({ date: '2024-01-04', tasks: [task('c2', 'r2~e~visit')] });
    const day1 = d.compare({ date: '2024-01-01', tasks: [task('c1', 'r1~e~visit'), task('c3', 'r3~e~check')] });
    expect(day1.added.map((t) => t.owner)).toEqual(['c3']);
    expect(day1.removed.map((t) => t.owner)).toEqual(['c2']);
    expect(day1.changed).toEqual([]);
    const day2 = d.compare({ date: '2024-01-02', tasks: [task('c1', 'r1~e~visit', { dueDate: '2024-01-09' })] });
    expect(day2.changed.map((c) => c.fields)).toEqual([['dueDate']]);
    d.compare({ date: '2024-01-03', tasks: [] });
    d.compare({ date: '2024-01-04', tasks: [] });
    // The same owner's task under another owner is another task-day.
    expect(d.summary()).toEqual({
      added: 1, removed: 2, changed: 1,
      byTask: { check: { added: 1, removed: 0, changed: 0 }, visit: { added: 0, removed: 2, changed: 1 } },
      days: 4, contacts: 3, contactsAffected: 3, firstDay: '2024-01-01', lastDay: '2024-01-04',
    });
    expect(d.impactDetails().map((x) => [x.task, x.owner, x.label, x.added, x.removed, x.changed, x.fields])).toEqual([
      ['check', 'c3', 'C3', ['2024-01-01'], [], [], []],
      ['visit', 'c1', 'C1', [], [], ['2024-01-02'], ['dueDate']],
      ['visit', 'c2', 'C2', [], ['2024-01-01', '2024-01-04'], [], []],
    ]);
  });
});

describe('daySpans', () => {
  it('joins consecutive days, across months and leap days', () => {
    expect(daySpans(['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-03'])).toEqual([['2024-02-28', '2024-03-01'], ['2024-03-03', '2024-03-03']]);
    expect(daySpans([])).toEqual([]);
  });
});
