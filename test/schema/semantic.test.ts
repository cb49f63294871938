/** The checks the schemas cannot express, on loaded definitions. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { namesInCode, projectFacts, type ProjectFacts } from '../../src/schema/project-facts.js';
import { targetSemantics, taskSemantics } from '../../src/schema/semantic.js';
import { cleanupTemps, fixture, tempDir } from '../helpers/cli.js';

afterAll(cleanupTemps);

const facts: ProjectFacts = {
  reportForms: new Set(['visit', 'delivery']),
  contactForms: new Set(['person-create', 'contact:person:create']),
  typesMadeByForms: new Map(),
  contactTypes: new Set(['clinic', 'person']),
  hasForms: true,
};

const task = (extra: Record<string, unknown> = {}) => ({
  name: 't', title: 'task.t', appliesTo: 'reports', appliesToType: ['visit'],
  events: [{ id: 'e', days: 1, start: 0, end: 1 }], actions: [{ form: 'visit' }], ...extra,
});
const codes = (tasks: unknown[]) => taskSemantics(tasks, facts).map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);

describe('semantic checks', () => {
  it('find nothing in a sound task', () => {
    expect(codes([task()])).toEqual([]);
  });

  it('report duplicate task names, target ids and event ids as errors', () => {
    expect(codes([task(), task()])).toEqual(['error semantic/duplicate-id 1.name']);
    expect(codes([task({ events: [{ id: 'a', days: 1, start: 0, end: 0 }, { id: 'a', days: 2, start: 0, end: 0 }] })]))
      .toEqual(['error semantic/duplicate-id 0.events.1.id']);
    const targets = [{ id: 'x' }, { id: 'y' }, { id: 'x' }];
    expect(targetSemantics(targets, facts).map((p) => p.path.join('.'))).toEqual(['2.id']);
  });

  it('warn about forms and types the project does not have', () => {
    expect(codes([task({ actions: [{ form: 'visti' }] })])).toEqual(['warning semantic/unknown-form 0.actions.0.form']);
    expect(codes([task({ appliesToType: ['visit', 'vist'] })])).toEqual(['warning semantic/unknown-type 0.appliesToType.1']);
    expect(codes([task({ appliesTo: 'contacts', appliesToType: ['persn'] })])).toEqual(['warning semantic/unknown-type 0.appliesToType.0']);
    expect(codes([task({ actions: [{ type: 'contact' }], resolvedIf: () => true })])).toEqual([]);
    // Without any form in the project, forms are not checked.
    expect(taskSemantics([task({ actions: [{ form: 'anything' }] })], { ...facts, reportForms: new Set(), contactForms: new Set(), hasForms: false })).toEqual([]);
  });

  it('warn about events that can never be timely: the window must close less than 60 days before the report', () => {
    const event = (days: number, end: number) => codes([task({ events: [{ id: 'e', days, start: 0, end }], resolvedIf: () => true })]);
    expect(event(-66, 7)).toEqual([]); // closes 59 days before: still shown on the report's day
    expect(event(-67, 7)).toEqual(['warning semantic/never-timely 0.events.0.days']); // 60 days before
    expect(codes([task({ events: [{ id: 'e', dueDate: () => new Date(0), start: 0, end: 0 }] })])).toEqual([]);
  });

  it('warn about resolvedIf-less tasks that the default rule can never resolve', () => {
    expect(codes([task({ events: [{ id: 'e', days: -1, start: 0, end: 1 }] })])).toEqual([]);
    expect(codes([task({ events: [{ id: 'e', days: -2, start: 0, end: 1 }] })])).toEqual(['warning semantic/never-resolved 0.events.0.days']);
    expect(codes([task({ actions: [{ form: 'contact:person:create' }] })])).toEqual(['warning semantic/never-resolved 0.actions.0.form']);
    expect(codes([task({ actions: [{ form: 'contact:person:create' }], resolvedIf: () => false })])).toEqual([]);
  });

  it('warn about scheduled_tasks without appliesIf, empty events and report ids on contact targets', () => {
    expect(codes([task({ appliesTo: 'scheduled_tasks' })])).toEqual(['warning semantic/scheduled-without-appliesIf 0.appliesTo']);
    expect(codes([task({ events: [] })])).toEqual(['warning semantic/no-events 0.events']);
    const target = { id: 'x', appliesTo: 'contacts', idType: 'report' };
    expect(targetSemantics([target], facts).map((p) => p.code)).toEqual(['semantic/report-id-without-report']);
  });
});

describe('project facts', () => {
  it('read the forms and contact types of the example app', () => {
    const found = projectFacts(fixture('example-app'), { contact_types: [{ id: 'household' }], forms: { CHILD: { meta: { code: 'CHILD' } } } });
    expect([...found.reportForms]).toEqual(expect.arrayContaining(['pregnancy', 'pnc_visit', 'CHILD']));
    expect([...found.contactForms]).toEqual(expect.arrayContaining(['person-create', 'contact:person:create']));
    expect([...found.contactTypes]).toEqual(['district_hospital', 'health_center', 'clinic', 'person', 'household']);
    expect(found.hasForms).toBe(true);
    expect(found.typesMadeByForms).toEqual(new Map());
  });

  it('read the contact types a contact form creates with its own (siblings and repeats)', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'forms', 'contact'), { recursive: true });
    const xform = `<h:html><h:head><model><instance><data id="contact:household:create"><household>
      <type>contact</type><contact_type>household</contact_type>
      <contact><type>contact</type><contact_type> household_head </contact_type><name/></contact>
      <repeat><child><type>contact</type><contact_type>household_member</contact_type></child></repeat>
      </household></data></instance></model></h:head></h:html>`;
    writeFileSync(path.join(dir, 'forms', 'contact', 'household-create.xml'), xform);
    const found = projectFacts(dir, {});
    expect(found.typesMadeByForms).toEqual(new Map([['household_head', 'household-create.xml'], ['household_member', 'household-create.xml']]));
  });

  it('read the names the project\'s own code writes: permissions it checks, forms of the reports its scripts create', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'scripts', 'contacts'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'scripts', 'contacts', 'listener.js'), "const doc = { type: 'data_record', content_type: 'xml', form: \"trigger_muting\" };\n");
    // A task's action opens a form: it creates no report by itself (no data_record in the file).
    writeFileSync(path.join(dir, 'tasks.js'), "module.exports = [{ actions: [{ form: 'home_visit' }], appliesIf: () => cht.v1.hasPermissions('can_view_x') }];\n");
    writeFileSync(path.join(dir, 'node_modules', 'x', 'index.js'), "const d = { type: 'data_record', form: 'dependency_form' }; 'can_dep';\n");
    const found = namesInCode(dir);
    expect([...found.reportForms]).toEqual(['trigger_muting']);
    expect([...found.permissions]).toEqual(['can_view_x']);
  });
});
