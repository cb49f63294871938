import { describe, expect, it } from 'vitest';
import { checkContactTypes } from '../../../src/schema/workflows/contact-types.js';
import { workflowContext } from './context.js';

const type = (id: string, parents?: string[], extra: Record<string, unknown> = {}) => ({
  id,
  ...(parents ? { parents } : {}),
  create_form: `form:contact:${id}:create`,
  ...extra,
});
const HIERARCHY = [type('district'), type('area', ['district']), type('household', ['area']), type('person', ['area', 'household'], { person: true })];
/** The file base names a forms/contact folder with a create form per type holds (as project facts list them). */
const FILES = ['district-create', 'area-create', 'household-create', 'person-create'];

const run = (types: unknown, options: { files?: string[] } = {}) =>
  checkContactTypes(workflowContext({ contact_types: types }, { contactForms: options.files ?? FILES, hasContactFormsDir: true }));

describe('contact_types', () => {
  it('accepts a hierarchy whose forms exist, including a type nested under itself', () => {
    expect(run(HIERARCHY)).toEqual([]);
    expect(run([...HIERARCHY.slice(0, 1), type('area', ['district', 'area']), ...HIERARCHY.slice(2)])).toEqual([]);
  });

  it('checks nothing when absent, errors when not an array', () => {
    expect(checkContactTypes(workflowContext({}))).toEqual([]);
    expect(run({ person: {} })[0]).toMatchObject({ code: 'contact-types/not-array', severity: 'error', path: ['contact_types'] });
  });

  it('errors on a duplicate id, pointing at the second', () => {
    const [p] = run([...HIERARCHY, type('area', ['district'])]);
    expect(p).toMatchObject({ code: 'contact-types/duplicate-id', severity: 'error', path: ['contact_types', 4, 'id'] });
    expect(p!.message).toContain('contact_types[1] and [4]');
  });

  it('errors on an entry that is not an object', () => {
    expect(run([...HIERARCHY, 'village'])[0]).toMatchObject({ code: 'contact-types/not-object', path: ['contact_types', 4] });
  });

  it('errors on a missing id', () => {
    expect(run([...HIERARCHY, { parents: ['area'] }])[0]).toMatchObject({ code: 'contact-types/missing-id', target: 'missing', path: ['contact_types', 4, 'id'] });
  });

  it('errors on an undefined parent, with did-you-mean', () => {
    const [p, ...rest] = run([...HIERARCHY.slice(0, 2), type('household', ['aera']), HIERARCHY[3]]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'contact-types/unknown-parent', severity: 'error', path: ['contact_types', 2, 'parents', 0], suggestion: 'area' });
  });

  it('errors on types whose parents only lead back to each other, once per type on the cycle', () => {
    const types = [type('district'), type('a', ['b']), type('b', ['a']), type('below', ['a']), type('person', ['district'], { person: true })];
    const problems = run(types, { files: ['district-create', 'a-create', 'b-create', 'below-create', 'person-create'] });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['contact-types/parent-cycle', ['contact_types', 1, 'parents']],
      ['contact-types/parent-cycle', ['contact_types', 2, 'parents']],
    ]);
    expect(problems[0]!.message).toContain('(a → b → a)');
  });

  it('errors on a type that lists only itself as parent', () => {
    const problems = run([...HIERARCHY, type('loop', ['loop'])], { files: [...FILES, 'loop-create'] });
    expect(problems.map((p) => p.code)).toEqual(['contact-types/parent-cycle']);
    expect(problems[0]!.message).toContain('under itself');
  });

  it('warns on parents given as a string (includes() matches substrings)', () => {
    expect(run([...HIERARCHY.slice(0, 2), type('household', 'area' as never), HIERARCHY[3]]).map((p) => p.code)).toEqual(['contact-types/parents-not-array']);
  });

  it('errors on a create_form or edit_form no forms/contact file uploads, with a same-kind suggestion', () => {
    const problems = run([...HIERARCHY.slice(0, 3), type('person', ['area'], { person: true, edit_form: 'form:contact:person:edit' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'contact-types/unknown-form', severity: 'error', path: ['contact_types', 3, 'edit_form'] });
    expect(problems[0]!.suggestion).toBeUndefined();
    expect(problems[0]!.hint).toContain('forms/contact/person-edit.xml');
    const typo = run([...HIERARCHY.slice(0, 3), type('person', ['area'], { person: true, create_form: 'form:contact:persn:create' })]);
    expect(typo[0]).toMatchObject({ code: 'contact-types/unknown-form', suggestion: 'form:contact:person:create' });
  });

  it('maps every dash of a file name to a colon, as cht-conf does', () => {
    const types = [type('district'), type('family-member', ['district'], { person: true, create_form: 'form:contact:family:member:create' })];
    expect(run(types, { files: ['district-create', 'family-member-create'] })).toEqual([]);
  });

  it('does not check forms when the project has no forms/contact folder', () => {
    const ctx = workflowContext({ contact_types: HIERARCHY }, { hasContactFormsDir: false });
    expect(checkContactTypes(ctx)).toEqual([]);
  });

  it('warns on a type without create_form', () => {
    const [p] = run([...HIERARCHY, { id: 'imported', parents: ['area'] }]);
    expect(p).toMatchObject({ code: 'contact-types/missing-create-form', severity: 'warning', target: 'missing' });
  });

  it('takes a type that another contact form creates (a household head made with the household) as creatable', () => {
    const types = [...HIERARCHY, { id: 'household_head', parents: ['household'], person: true }];
    const ctx = workflowContext({ contact_types: types }, { contactForms: FILES, hasContactFormsDir: true });
    ctx.facts.typesMadeByForms = new Map([['household_head', 'household-create.xml']]);
    expect(checkContactTypes(ctx)).toEqual([]);
    ctx.facts.typesMadeByForms = new Map([['someone_else', 'household-create.xml']]);
    expect(checkContactTypes(ctx).map((p) => p.code)).toEqual(['contact-types/missing-create-form']);
  });

  it('warns when no type is a person type', () => {
    const problems = run(HIERARCHY.slice(0, 3));
    expect(problems.map((p) => p.code)).toEqual(['contact-types/no-person-type']);
  });
});
