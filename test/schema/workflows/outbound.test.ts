/* eslint-disable @typescript-eslint/no-explicit-any -- settings in tests are user-shaped JSON */
import { describe, expect, it } from 'vitest';
import { checkOutbound } from '../../../src/schema/workflows/outbound.js';
import { inspectScript } from '../../../src/schema/workflows/outbound-js.js';
import { workflowContext } from './context.js';

const PUSH = {
  relevant_to: "doc.type === 'data_record' && doc.form === 'pregnancy' && doc.fields.lmp !== undefined",
  destination: { base_url: 'https://dhis.example.org', path: '/api/events', auth: { type: 'basic', username: 'cht', password_key: 'dhis' } },
  mapping: { id: 'doc._id', 'event.lmp': { path: 'doc.fields.lmp', optional: true }, age: { expr: 'doc.fields.age * 12' } },
  cron: '0 */2 * * 1-5',
};
const settings = (push: Record<string, any>, extra: Record<string, any> = {}) => ({
  transitions: { mark_for_outbound: true },
  outbound: { dhis: push },
  ...extra,
});
const run = (push: Record<string, any>, core?: string) => checkOutbound(workflowContext(settings(push), core ? { core } : {}));
const codes = (push: Record<string, any>, core?: string) => run(push, core).map((p) => p.code);

describe('outbound', () => {
  it('accepts a complete push, and header / muso-sih auth in any case', () => {
    expect(run(PUSH)).toEqual([]);
    expect(run({ ...PUSH, destination: { base_url: 'http://x.org', auth: { type: 'Header', name: 'authorization', value_key: 'k' } } })).toEqual([]);
    expect(run({ ...PUSH, destination: { base_url: 'http://x.org', auth: { type: 'MUSO-SIH', username: 'u', password_key: 'k', path: '/login' } } })).toEqual([]);
  });

  it('checks nothing without outbound or with an empty one', () => {
    expect(checkOutbound(workflowContext({}))).toEqual([]);
    expect(checkOutbound(workflowContext({ outbound: {} }))).toEqual([]);
  });

  it('errors when mark_for_outbound is not enabled (missing, false or disable: true)', () => {
    for (const transitions of [{}, { mark_for_outbound: false }, { mark_for_outbound: { disable: true } }]) {
      const problems = checkOutbound(workflowContext({ transitions, outbound: { dhis: PUSH } }));
      expect(problems.map((p) => [p.code, p.path, p.target])).toEqual([['outbound/transition-disabled', ['outbound'], 'key']]);
    }
  });

  it('says nothing about the transition when the project sends no transitions (the instance keeps its own)', () => {
    expect(checkOutbound(workflowContext({ outbound: { dhis: PUSH } }))).toEqual([]);
  });

  it('warns that cron is ignored before 4.5', () => {
    const [p, ...rest] = run(PUSH, '4.4');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'outbound/cron-unsupported', severity: 'warning' });
    expect(p!.hint).toContain('cht-core 4.4 (from --core-version)');
    expect(run(PUSH, '4.5')).toEqual([]);
  });

  it('errors on a missing relevant_to; one that is not a string runs as its text (Node\'s vm.Script), as cht-core runs it', () => {
    const { relevant_to: _r, ...without } = PUSH;
    expect(run(without)[0]).toMatchObject({ code: 'outbound/missing-relevant-to', target: 'missing', path: ['outbound', 'dhis', 'relevant_to'] });
    // `conf.relevant_to && vm.runInNewContext(…)`: 0 is never relevant, like false.
    expect(codes({ ...PUSH, relevant_to: 0 })).toEqual(['outbound/missing-relevant-to']);
    // `true` (or a number) runs as "true": relevant to every document.
    const [always, ...rest] = run({ ...PUSH, relevant_to: true });
    expect(rest).toEqual([]);
    expect(always).toMatchObject({ code: 'outbound/relevant-to-not-string', severity: 'warning', path: ['outbound', 'dhis', 'relevant_to'] });
    expect(always!.message).toContain('runs it as the text "true", true for every document');
    // An array runs as its items joined by commas; an object as "[object Object]", which does not parse.
    const [joined] = run({ ...PUSH, relevant_to: ["doc.form === 'pregnancy'"] });
    expect(joined).toMatchObject({ code: 'outbound/relevant-to-not-string', severity: 'warning' });
    expect(joined!.hint).toBe('Write relevant_to as the string "doc.form === \'pregnancy\'".');
    const [object, ...none] = run({ ...PUSH, relevant_to: { form: 'pregnancy' } });
    expect(none).toEqual([]);
    expect(object).toMatchObject({ code: 'outbound/script-syntax', severity: 'error' });
    expect(object!.message).toContain('which cht-core\'s vm runs as the text "[object Object]"');
  });

  it('a mapping expr that is a number or boolean gives itself, as in cht-core; an array or object runs as its text', () => {
    expect(run({ ...PUSH, mapping: { active: { expr: true, optional: false }, version: { expr: 2 } } })).toEqual([]);
    const [joined] = run({ ...PUSH, mapping: { id: { expr: ['doc._id'] } } });
    expect(joined).toMatchObject({ code: 'outbound/expr-not-string', severity: 'warning', path: ['outbound', 'dhis', 'mapping', 'id', 'expr'] });
    expect(codes({ ...PUSH, mapping: { id: { expr: { a: 1 } } } })).toEqual(['outbound/script-syntax']);
    expect(codes({ ...PUSH, mapping: { id: { expr: ['patient.age'] } } })).toEqual(['outbound/script-unknown-name']);
  });

  it('errors on a relevant_to that does not parse', () => {
    const [p] = run({ ...PUSH, relevant_to: "doc.form === 'x' &&" });
    expect(p).toMatchObject({ code: 'outbound/script-syntax', severity: 'error' });
    expect(p!.message).toContain('stops every push');
  });

  it('errors on names that are not defined in cht-core’s vm context', () => {
    const [p] = run({ ...PUSH, relevant_to: "report.form === 'pregnancy'" });
    expect(p).toMatchObject({ code: 'outbound/script-unknown-name' });
    expect(p!.message).toContain("uses 'report'");
    expect(p!.hint).toContain('Use doc');
  });

  it('accepts scripts with statements, local names, globals and typeof of unknown names', () => {
    expect(codes({ ...PUSH, relevant_to: "var f = doc.form; ['a', 'b'].includes(f) && Math.max(1, 2) > 0 && typeof something === 'undefined'" })).toEqual([]);
    expect(codes({ ...PUSH, relevant_to: "doc.form === 'x' && Object.keys(doc.fields).some(k => k.startsWith('a'))" })).toEqual([]);
  });

  it('warns on doc.fields.x read before any test of the form or type', () => {
    const [p] = run({ ...PUSH, relevant_to: "doc.fields.danger === 'yes'" });
    expect(p).toMatchObject({ code: 'outbound/relevant-to-throws', severity: 'warning' });
    expect(codes({ ...PUSH, relevant_to: "doc.fields?.danger === 'yes'" })).toEqual([]);
    expect(codes({ ...PUSH, relevant_to: "doc.type === 'data_record' ? doc.fields.danger === 'yes' : false" })).toEqual([]);
  });

  it('errors on a base_url without scheme, a missing destination, a bad path', () => {
    expect(run({ ...PUSH, destination: { base_url: 'dhis.example.org' } })[0]).toMatchObject({ code: 'outbound/bad-base-url', path: ['outbound', 'dhis', 'destination', 'base_url'] });
    expect(codes({ ...PUSH, destination: { base_url: 'ftp://x.org' } })).toEqual(['outbound/bad-base-url']);
    expect(codes({ ...PUSH, destination: undefined })).toEqual(['outbound/missing-destination']);
    expect(codes({ ...PUSH, destination: { base_url: 'https://x.org', path: 5 } })).toEqual(['outbound/bad-path']);
  });

  it('errors on bad auth: unknown type, missing type, missing keys, other header names, literal passwords', () => {
    const withAuth = (auth: unknown) => codes({ ...PUSH, destination: { base_url: 'https://x.org', auth } });
    expect(withAuth('basic')).toEqual(['outbound/bad-auth']);
    expect(withAuth({ type: 'bearer', value_key: 'k' })).toEqual(['outbound/bad-auth-type']);
    expect(withAuth({ username: 'u', password_key: 'k' })).toEqual(['outbound/bad-auth-type']);
    expect(withAuth({ type: 'basic', username: 'u' })).toEqual(['outbound/auth-missing-key']);
    expect(withAuth({ type: 'header', name: 'X-Api-Key', value_key: 'k' })).toEqual(['outbound/bad-header-name']);
    expect(withAuth({ type: 'basic', username: 'u', password: 'hunter2' })).toEqual(['outbound/secret-in-settings', 'outbound/auth-missing-key']);
  });

  it('errors on mapping paths without doc. (warning when optional), suggesting the fix', () => {
    const [p] = run({ ...PUSH, mapping: { id: 'doc._id', patient: 'fields.patient_id' } });
    expect(p).toMatchObject({ code: 'outbound/mapping-path', severity: 'error', path: ['outbound', 'dhis', 'mapping', 'patient'], suggestion: 'doc.fields.patient_id' });
    const [q] = run({ ...PUSH, mapping: { patient: { path: 'fields.patient_id', optional: true } } });
    expect(q).toMatchObject({ code: 'outbound/mapping-path', severity: 'warning', path: ['outbound', 'dhis', 'mapping', 'patient', 'path'] });
  });

  it('errors on a missing mapping, null or numeric entries, and bad expr', () => {
    expect(codes({ ...PUSH, mapping: undefined })).toEqual(['outbound/missing-mapping']);
    expect(codes({ ...PUSH, mapping: { a: null } })).toEqual(['outbound/bad-mapping']);
    // A number has no path or expr: like an object without them (the whole document before 4.17).
    expect(run({ ...PUSH, mapping: { b: 3 } }, '4.11')[0]).toMatchObject({ code: 'outbound/mapping-without-source', severity: 'warning' });
    expect(run({ ...PUSH, mapping: { b: 3 } }, '4.11')[0]!.message).toContain('is 3, with neither path nor expr');
    expect(codes({ ...PUSH, mapping: { a: { expr: 'doc.fields.age *' } } })).toEqual(['outbound/script-syntax']);
    expect(codes({ ...PUSH, mapping: { a: { expr: 'patient.age' } } })).toEqual(['outbound/script-unknown-name']);
    // Mapping expressions only run on relevant documents: no guard needed.
    expect(codes({ ...PUSH, mapping: { a: { expr: 'doc.fields.age' } } })).toEqual([]);
  });

  it('mapping without path or expr: a warning before 4.17 (the whole document is sent), an error from 4.17', () => {
    const push = { ...PUSH, mapping: { all: { optional: true } } };
    const [old] = run(push, '4.11');
    expect(old).toMatchObject({ code: 'outbound/mapping-without-source', severity: 'warning' });
    expect(old!.message).toContain('sends the whole hydrated document');
    expect(old!.hint).toContain('cht-core 4.11 (from --core-version)');
    expect(run(push, '4.17')[0]).toMatchObject({ code: 'outbound/mapping-without-source', severity: 'error' });
  });

  it('checks cron as cron-validator 1.3.1 does: 5 numeric fields, weekday 0–6', () => {
    for (const cron of ['0 0 * * *', '*/15 8-17 * * 1-5', '0 0 1,15 * *', '']) expect(codes({ ...PUSH, cron }), cron).toEqual([]);
    for (const cron of ['0 0 * * MON', '0 0 * * 7', '0 0 0 * * *', '@daily', '0 0 ? * *', 5]) {
      expect(codes({ ...PUSH, cron }), String(cron)).toEqual(['outbound/bad-cron']);
    }
  });

  it('errors on a valid cron that never occurs (later 1.2.0 finds no date), February 29 being fine', () => {
    expect(run({ ...PUSH, cron: '0 0 30 2 *' })[0]).toMatchObject({ code: 'outbound/cron-never-due', severity: 'error' });
    expect(codes({ ...PUSH, cron: '0 0 31 4,6,9,11 *' })).toEqual(['outbound/cron-never-due']);
    expect(codes({ ...PUSH, cron: '0 0 29 2 *' })).toEqual([]);
    expect(codes({ ...PUSH, cron: '0 0 31 */2 *' })).toEqual([]);
    expect(codes({ ...PUSH, cron: '0 0 28-31 2 *' })).toEqual([]);
  });

  it('warns on a day of the month with a weekday (later requires both, standard cron either)', () => {
    expect(run({ ...PUSH, cron: '0 9 1 * 1' })[0]).toMatchObject({ code: 'outbound/cron-day-and-weekday', severity: 'warning' });
    expect(codes({ ...PUSH, cron: '0 9 * * 1' })).toEqual([]);
    expect(codes({ ...PUSH, cron: '0 9 1,15 * *' })).toEqual([]);
  });

  it('errors on a push that is not an object', () => {
    expect(codes(null as never)).toEqual(['outbound/not-object']);
  });
});

describe('inspectScript', () => {
  it('reports each unknown name once, in order', () => {
    expect(inspectScript('a + b + a').map((f) => f.detail)).toEqual(['a', 'b']);
  });
  it('knows function parameters, catch bindings and vm globals', () => {
    expect(inspectScript('try { JSON.parse(doc.x) } catch (e) { e.message }; [1].map(function (x) { return x * Number.EPSILON; })')).toEqual([]);
  });
  it('reports require and console-like Node globals the vm context lacks', () => {
    expect(inspectScript("require('x')").map((f) => f.detail)).toEqual(['require']);
  });
});
