import { describe, expect, it } from 'vitest';
import type { WorkflowProblem } from '../../../src/schema/workflows/context.js';
import { checkSmsForms } from '../../../src/schema/workflows/sms-forms.js';
import { workflowContext } from './context.js';

const run = (forms: unknown, core?: string) => checkSmsForms(workflowContext({ forms }, { core }));
const brief = (ps: WorkflowProblem[]) => ps.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);
const field = (type: string, extra: Record<string, unknown> = {}) => ({ type, labels: { short: 'Name', tiny: { en: 'N' } }, ...extra });
const form = (code: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ meta: { code }, fields, ...extra });

describe('SMS forms', () => {
  it('accepts a well-formed form with every field type, lists on integers and a facility reference', () => {
    const forms = {
      P: form('P', { patient_name: field('string', { required: true }), lmp: field('integer', { list: [[1, 'Yes'], [2, 'No']] }), phone: field('phone_number') }, { facility_reference: 'phone', public_form: true }),
      V: form('v', { patient_id: field('string') }),
      OFF: form('OFF', {}),
    };
    expect(run(forms)).toEqual([]);
  });

  it('rejects a field that is not an object: the labelled format reads labels.tiny of every field', () => {
    // As in medic/cht-interoperability's INTEROP_FOLLOW_UP form: `"set_task": true`.
    const [p, ...rest] = run({ P: form('P', { patient_id: field('string'), set_task: true }) });
    expect(rest).toEqual([]);
    expect(brief([p!])).toEqual(['error sms/form-field forms.P.fields.set_task']);
    expect(p!.message).toContain('for an SMS in the labelled format');
    expect(p!.message).toContain('a compact SMS keeps this field\'s text unconverted');
    expect(run({ P: form('P', { patient_id: null }) })[0]!.message).toContain('is null, not an object');
  });

  it('rejects a lower-case or separated code key', () => {
    expect(brief(run({ p: form('p', {}) }))).toEqual(['error sms/form-code forms.p']);
    expect(brief(run({ 'P-1': form('P-1', {}) }))).toEqual(['error sms/form-code forms.P-1']);
  });

  it('rejects a meta.code that is missing or differs from the key', () => {
    expect(brief(run({ P: { fields: {} } }))).toEqual(['error sms/form-meta-code forms.P.meta']);
    const ps = run({ P: form('PREG', {}) });
    expect(brief(ps)).toEqual(['error sms/form-meta-code forms.P.meta.code']);
    expect(ps[0]?.message).toContain("'PREG'");
  });

  it('reports codes cht-core cannot tell apart', () => {
    expect(brief(run({ P: form('P', {}), p: form('P', {}) }))).toEqual(['error sms/form-code forms.p', 'error sms/duplicate-form-code forms.p']);
  });

  it('rejects forms without fields and fields that are not objects', () => {
    expect(brief(run({ P: { meta: { code: 'P' } } }))).toEqual(['error sms/form-shape forms.P.fields']);
    expect(brief(run({ P: form('P', { a: 'string' }) }))).toEqual(['error sms/form-field forms.P.fields.a']);
    expect(brief(run([]))).toEqual(['error sms/form-shape forms']);
  });

  it('warns about an unknown field type with did-you-mean', () => {
    const ps = run({ P: form('P', { age: field('interger') }) });
    expect(brief(ps)).toEqual(['warning sms/form-field-type forms.P.fields.age.type']);
    expect(ps[0]?.suggestion).toBe("'integer'");
  });

  it('rejects a field without labels (labelled SMS throw)', () => {
    expect(brief(run({ P: form('P', { age: { type: 'integer' } }) }))).toEqual(['error sms/form-field-labels forms.P.fields.age.labels']);
    expect(brief(run({ P: form('P', { age: { type: 'integer', labels: { tiny: 5 } } }) }))).toEqual(['warning sms/form-field-labels forms.P.fields.age.labels']);
  });

  it('rejects a label that is not a valid regular expression (api builds one from each label)', () => {
    const ps = run({ P: form('P', { n: { type: 'integer', labels: { short: 'Cases (new', tiny: { en: 'C+' } } } }) });
    expect(brief(ps)).toEqual(['error sms/form-field-labels forms.P.fields.n.labels.short']);
  });

  it('rejects a list on a string field before 5.2 only', () => {
    const forms = { P: form('P', { answer: field('string', { list: [['y', 'Yes']] }) }) };
    const ps = run(forms, '4.11');
    expect(brief(ps)).toEqual(['error sms/form-field-list forms.P.fields.answer.list']);
    expect(ps[0]?.hint).toContain('cht-core 4.11');
    expect(run(forms, '5.2')).toEqual([]);
    expect(brief(run({ P: form('P', { n: field('integer', { list: 'a,b' }) }) }))).toEqual(['error sms/form-field-list forms.P.fields.n.list']);
  });

  it('warns about a non-boolean required and public_form', () => {
    expect(brief(run({ P: form('P', { n: field('integer', { required: 'false' }) }) }))).toEqual(['warning sms/form-field-required forms.P.fields.n.required']);
    expect(brief(run({ P: form('P', {}, { public_form: 'true' }) }))).toEqual(['warning sms/form-public forms.P.public_form']);
  });

  it('warns when position disagrees with the key order the compact parser follows', () => {
    const ps = run({ P: form('P', { name: field('string', { position: 1 }), age: field('integer', { position: 0 }) }) });
    expect(brief(ps)).toEqual(['warning sms/form-field-position forms.P.fields.name.position']);
    expect(run({ P: form('P', { name: field('string', { position: 0 }), age: field('integer', { position: 1 }) }) })).toEqual([]);
  });

  it('warns about a facility_reference that is not a field', () => {
    expect(brief(run({ P: form('P', { name: field('string') }, { facility_reference: 'clinic_id' }) }))).toEqual(['warning sms/form-facility-reference forms.P.facility_reference']);
  });
});
