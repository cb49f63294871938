/** ajv's raw errors → one plain problem per mistake, with what is allowed and a did-you-mean. */
import { describe, expect, it } from 'vitest';
import { loadValidators, validateAgainst } from '../../src/schema/ajv.js';
import { didYouMean } from '../../src/schema/did-you-mean.js';
import { describeErrors, describeValue } from '../../src/schema/schema-errors.js';

await loadValidators();

const task = (extra: Record<string, unknown> = {}) => ({
  name: 't',
  title: 'task.t',
  appliesTo: 'reports',
  events: [{ days: 1, start: 0, end: 1 }],
  actions: [{ form: 'visit' }],
  ...extra,
});

function problems(schema: 'task' | 'target', data: unknown) {
  return describeErrors(schema, validateAgainst(schema, data), data);
}

describe('schema problems', () => {
  it('accept a minimal task and a minimal target', () => {
    expect(problems('task', [task()])).toEqual([]);
    expect(problems('target', [{ id: 'x', type: 'count', goal: 1, appliesTo: 'contacts' }])).toEqual([]);
  });

  it('name an unknown key, suggest the field it resembles and list the fields', () => {
    const [p, ...rest] = problems('task', [task({ apliesToType: ['visit'] })]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'schema/additionalProperties', path: [0, 'apliesToType'], target: 'key', suggestion: 'appliesToType' });
    expect(p!.message).toContain('apliesToType is not a field of a task');
    expect(p!.hint).toContain('appliesIf, appliesToType');
  });

  it('suggest the nearest enum value', () => {
    const [p] = problems('task', [task({ appliesTo: 'report' })]);
    expect(p).toMatchObject({ code: 'schema/enum', path: [0, 'appliesTo'], suggestion: "'reports'" });
    expect(p!.message).toBe("appliesTo must be 'contacts', 'reports' or 'scheduled_tasks', not 'report'.");
  });

  it('report an object priority by its own fields, and a priority of the wrong kind once', () => {
    const [level, ...none] = problems('task', [task({ priority: { level: 'urgent' } })]);
    expect(none).toEqual([]);
    expect(level).toMatchObject({ path: [0, 'priority', 'level'], code: 'schema/enum' });
    const [kind, ...others] = problems('task', [task({ priority: 'high' })]);
    expect(others).toEqual([]);
    expect(kind).toMatchObject({ path: [0, 'priority'], code: 'schema/anyOf' });
    expect(kind!.message).toContain('It is a string ("high")');
  });

  it('say which of days and dueDate is wrong', () => {
    const both = problems('task', [task({ events: [{ days: 1, dueDate: () => new Date(), start: 0, end: 0 }] })]);
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ path: [0, 'events', 0, 'days'], target: 'key' });
    const neither = problems('task', [task({ events: [{ start: 0, end: 0 }] })]);
    expect(neither).toHaveLength(1);
    expect(neither[0]).toMatchObject({ path: [0, 'events', 0, 'days'], target: 'missing' });
  });

  it('require event ids only when a task has several events', () => {
    expect(problems('task', [task({ events: [{ days: 1, start: 0, end: 0 }] })])).toEqual([]);
    const two = problems('task', [task({ events: [{ id: 'a', days: 1, start: 0, end: 0 }, { days: 2, start: 0, end: 0 }] })]);
    expect(two.map((p) => p.path)).toEqual([[0, 'events', 1, 'id']]);
  });

  it('require resolvedIf only when every action is a contact action', () => {
    const contact = { type: 'contact' };
    expect(problems('task', [task({ actions: [contact, { form: 'visit' }] })])).toEqual([]);
    expect(problems('task', [task({ actions: [contact] })]).map((p) => p.path)).toEqual([[0, 'resolvedIf']]);
    expect(problems('task', [task({ actions: [contact], resolvedIf: () => true })])).toEqual([]);
  });

  it('forbid form on a contact action, require it on a report action', () => {
    const forbidden = problems('task', [task({ actions: [{ type: 'contact', form: 'x' }], resolvedIf: () => true })]);
    expect(forbidden.map((p) => [p.code, p.path])).toEqual([['schema/forbidden', [0, 'actions', 0, 'form']]]);
    const missing = problems('task', [task({ actions: [{ label: 'x' }] })]);
    expect(missing.map((p) => [p.code, p.path])).toEqual([['schema/required', [0, 'actions', 0, 'form']]]);
  });

  it("apply the targets' passesIf, groupBy and goal rules", () => {
    const base = { id: 'x', appliesTo: 'reports' };
    const paths = (t: Record<string, unknown>) => problems('target', [{ ...base, ...t }]).map((p) => p.path.join('.'));
    expect(paths({ type: 'percent', goal: 50 })).toEqual(['0.passesIf']);
    expect(paths({ type: 'percent', goal: 101, passesIf: () => true })).toEqual(['0.goal']);
    expect(paths({ type: 'percent', goal: -1, passesIf: () => true })).toEqual([]);
    expect(paths({ type: 'count', goal: 5, passesIf: () => true })).toEqual(['0.passesIf']);
    expect(paths({ type: 'count', goal: -2 })).toEqual(['0.goal']);
    expect(paths({ type: 'percent', goal: 5, groupBy: () => 'g' })).toEqual(['0.passesIfGroupCount']);
    expect(paths({ type: 'percent', goal: 5, groupBy: () => 'g', passesIfGroupCount: { gte: 2 } })).toEqual([]);
    expect(paths({ type: 'percent', goal: 5, groupBy: () => 'g', passesIfGroupCount: { gte: 2 }, passesIf: () => 1 })).toEqual(['0.passesIf']);
    expect(paths({ type: 'count', goal: 5, passesIfGroupCount: { gte: 2 } })).toEqual(['0.passesIfGroupCount']);
    expect(paths({ type: 'count', goal: 1, date: 'reported', idType: () => ['a'], dhis: [{ dataElement: 'E', x: 1 }] })).toEqual([]);
    expect(paths({ type: 'count', goal: 1, date: 'today' })).toEqual(['0.date']);
    expect(paths({ type: 'count', goal: 1, dhis: { dataSet: 'S' } })).toEqual(['0.dhis.dataElement']);
  });

  it('merge a misspelt required key into one problem', () => {
    const merged = problems('target', [{ id: 'x', type: 'count', goals: 1, appliesTo: 'contacts' }]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.message).toContain('The required goal is missing');
  });

  it('say what a value is', () => {
    expect(describeValue('')).toBe('an empty string');
    expect(describeValue(3)).toBe('the number 3');
    expect(describeValue([])).toBe('an empty array');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(new Date(0))).toBe('a Date');
  });
});

describe('did you mean', () => {
  it('suggests slips of the keyboard and nothing for other words', () => {
    expect(didYouMean('apliesToType', ['appliesTo', 'appliesToType', 'appliesIf'])).toBe('appliesToType');
    expect(didYouMean('report', ['contacts', 'reports', 'scheduled_tasks'])).toBe('reports');
    expect(didYouMean('visti', ['visit', 'delivery'])).toBe('visit');
    expect(didYouMean('Reports', ['reports'])).toBe('reports');
    expect(didYouMean('banana', ['contacts', 'reports'])).toBeUndefined();
    expect(didYouMean('reports', ['reports'])).toBeUndefined();
  });
});
