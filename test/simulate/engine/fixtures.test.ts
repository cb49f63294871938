/* eslint-disable @typescript-eslint/no-explicit-any -- fixture docs are untyped JSON */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { minify } from '../../../src/simulate/engine/fixture-docs.js';
import { hydrateContact, loadFixtures } from '../../../src/simulate/engine/fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-fixtures-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
const failure = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
};
const byId = (docs: any[], id: string) => docs.find((d) => d._id === id);

describe('fixtures: errors', () => {
  it('reports invalid JSON with the file and the location', () => {
    const file = write('broken.json', '{ "docs": [ { "_id": "a", } ] }');
    const err = failure(() => loadFixtures([file]));
    expect(err.message).toContain(file);
    expect(err.diagnostics[0]).toMatchObject({ file, line: 1, column: 27 });
  });

  it('names the file and the doc that is not a document', () => {
    const notObject = write('array.json', [1, 2]);
    expect(failure(() => loadFixtures([notObject])).message).toContain('must be a JSON object');
    const nested = write('nested-null.json', { docs: [{ _id: 'a', type: 'person' }, [{ form: 'x' }, null]] });
    expect(failure(() => loadFixtures([nested])).message).toBe(`${nested}: docs[1][1] is null, not a document.`);
    const text = write('string-doc.json', { docs: ['p1'] });
    expect(failure(() => loadFixtures([text])).message).toBe(`${text}: docs[0] is a string, not a document.`);
  });

  it('wants a docs array', () => {
    const missing = write('no-docs.json', { user: 'u' });
    const err = failure(() => loadFixtures([missing]));
    expect(err.message).toBe(`${missing}: no "docs" array.`);
    expect(err.hint).toContain('"docs": []');
    const wrong = write('docs-object.json', { docs: { a: 1 } });
    expect(failure(() => loadFixtures([wrong])).message).toBe(`${wrong}: "docs" must be an array of documents.`);
    expect(loadFixtures([write('empty-docs.json', { docs: [] })]).docs).toEqual([]);
  });

  it('rejects a contact without _id (the harness makes ids only for reports), and _id/type that are not strings', () => {
    const contact = write('contact-no-id.json', { docs: [{ type: 'contact', contact_type: 'household', name: 'H' }] });
    const err = failure(() => loadFixtures([contact]));
    expect(err.message).toBe(`${contact}: docs[0] is a contact (type "contact") without an "_id".`);
    expect(err.hint).toContain('Give it an _id');
    const badId = write('bad-id.json', { docs: [{ _id: 7, form: 'x' }] });
    expect(failure(() => loadFixtures([badId])).message).toBe(`${badId}: docs[0] has "_id": 7.`);
    const emptyId = write('empty-id.json', { docs: [{ _id: '', form: 'x' }] });
    expect(failure(() => loadFixtures([emptyId])).message).toBe(`${emptyId}: docs[0] has "_id": "".`);
    const badType = write('bad-type.json', { docs: [[{ _id: 'r', type: null }]] });
    expect(failure(() => loadFixtures([badType])).message).toBe(`${badType}: docs[0][0] (_id "r") has "type": null.`);
  });

  it('names both sides of a duplicate _id, in one file or across files', () => {
    const a = write('dup-a.json', { docs: [{ _id: 'p', type: 'person' }, [{ _id: 'p', form: 'x' }]] });
    expect(failure(() => loadFixtures([a])).message).toBe(`${a} docs[1][0] (_id "p") has the same _id as ${a} docs[0] (_id "p").`);
    const b = write('dup-b.json', { docs: [{ _id: 'q', type: 'person' }] });
    const c = write('dup-c.json', { docs: [{ form: 'x' }, { _id: 'q', type: 'clinic' }] });
    expect(failure(() => loadFixtures([b, c])).message).toBe(`${c} docs[1] (_id "q") has the same _id as ${b} docs[0] (_id "q").`);
    // A made-up id taken by a doc of the same file.
    const d = write('taken.json', { docs: [{ _id: 'taken.json#1', type: 'person' }, { form: 'x' }] });
    expect(failure(() => loadFixtures([d])).message).toContain('has the same _id as');
  });

  it('wants the user to be a contact', () => {
    const unknown = write('unknown-user.json', { user: 'ghost', docs: [] });
    expect(failure(() => loadFixtures([unknown])).message).toContain('"ghost" is not one of their docs');
    const report = write('report-user.json', { user: 'r1', docs: [{ _id: 'r1', type: 'data_record', form: 'x' }] });
    const err = failure(() => loadFixtures([report]));
    expect(err.message).toBe('The fixtures\' user "r1" is not a contact (its type is "data_record").');
    expect(err.hint).toContain('"contact" with a contact_type');
    const custom = write('custom-user.json', { user: 'hh', docs: [{ _id: 'hh', type: 'household' }] });
    expect(failure(() => loadFixtures([custom])).message).toContain('is not a contact (its type is "household")');
    const inline = write('inline-report-user.json', { user: { _id: 'me', type: 'data_record' }, docs: [] });
    expect(failure(() => loadFixtures([inline])).message).toContain('user "me" is not a contact');
  });
});

describe('fixtures: the harness defaults (pushMockedDoc)', () => {
  const everyDefault = {
    subject: 'm',
    docs: [
      { _id: 'hh', type: 'contact', contact_type: 'household' },
      { _id: 'm', type: 'person', parent: { _id: 'hh', name: 'H' } },
      [{ form: 'pregnancy', lmp: '2024-01-15' }, [{ form: 'visit', fields: { n: 1 } }]],
      { _id: 'own', type: 'data_record', form: 'visit', reported_date: 5, fields: { patient_id: 'm' } },
    ],
  };

  it('gives reports an _id, type data_record, reported_date 1, fields {} and the subject\'s id; contacts stay as they are', () => {
    const file = write('every-default.json', everyDefault);
    const { docs } = loadFixtures([file]);
    expect(docs).toEqual([
      { _id: 'hh', type: 'contact', contact_type: 'household' },
      { _id: 'm', type: 'person', parent: { _id: 'hh' } },
      { form: 'pregnancy', lmp: '2024-01-15', _id: 'every-default.json#2.0', type: 'data_record', reported_date: 1, fields: {}, patient_id: 'm' },
      { form: 'visit', fields: { n: 1 }, _id: 'every-default.json#2.1.0', type: 'data_record', reported_date: 1, patient_id: 'm' },
      { _id: 'own', type: 'data_record', form: 'visit', reported_date: 5, fields: { patient_id: 'm' } },
    ]);
    // In lodash defaults' order, after the doc's own keys (as the harness leaves them).
    expect(Object.keys(docs[2]!)).toEqual(['form', 'lmp', '_id', 'type', 'reported_date', 'fields', 'patient_id']);
  });

  it('makes the same ids on every run, from the file\'s base name and the position; files sharing a base name are told apart', () => {
    const a = write('one/fixture.json', { docs: [{ form: 'a' }, [{ form: 'b' }]] });
    const b = write('two/fixture.json', { docs: [{ form: 'c' }] });
    const ids = () => loadFixtures([a, b]).docs.map((d) => d._id);
    expect(ids()).toEqual(['fixture.json#0', 'fixture.json#1.0', 'fixture.json~2#0']);
    expect(ids()).toEqual(ids());
  });

  it('subject ids as registration-utils getSubjectId reads them: not case_id, top-level patient_uuid yes, falsy ids no', () => {
    const file = write('subject-ids.json', {
      subject: 'm',
      docs: [
        { _id: 'm', type: 'person' },
        { _id: 'case', form: 'referral', case_id: 'c-1' },
        { _id: 'uuid', form: 'visit', patient_uuid: 'x' },
        { _id: 'place', form: 'visit', fields: { place_uuid: 'hh' } },
        { _id: 'empty', form: 'visit', patient_id: '', place_id: 0 },
      ],
    });
    const { docs } = loadFixtures([file]);
    expect(byId(docs, 'case').patient_id).toBe('m');
    expect(byId(docs, 'uuid').patient_id).toBeUndefined();
    expect(byId(docs, 'place').patient_id).toBeUndefined();
    expect(byId(docs, 'empty')).toMatchObject({ patient_id: 'm', place_id: 0 });
    expect(Object.keys(byId(docs, 'empty'))[2]).toBe('patient_id');
  });

  it('a subject named by id counts once its contact is in: reports listed before it get none', () => {
    const file = write('order.json', {
      subject: 'm',
      docs: [{ _id: 'early', form: 'visit' }, { _id: 'm', type: 'person' }, { _id: 'late', form: 'visit' }],
    });
    const fixtures = loadFixtures([file]);
    expect(byId(fixtures.docs, 'early').patient_id).toBeUndefined();
    expect(byId(fixtures.docs, 'late').patient_id).toBe('m');
    expect(fixtures.notes.find((n) => n.includes('never sees'))).toContain(': early. Give it a patient_id');
  });

  it('an inline subject counts everywhere; a subject that is not a contact (or no subject) gives nothing', () => {
    const inline = write('inline-subject.json', { subject: { _id: 'm', type: 'person', name: 'M' }, docs: [{ _id: 'r', form: 'visit' }] });
    const loaded = loadFixtures([inline]);
    expect(byId(loaded.docs, 'r').patient_id).toBe('m');
    expect(byId(loaded.docs, 'm')).toEqual({ _id: 'm', type: 'person', name: 'M' });
    const notContact = write('subject-report.json', { subject: 'x', docs: [{ _id: 'x', type: 'household' }, { _id: 'r', form: 'visit' }] });
    expect(byId(loadFixtures([notContact]).docs, 'r').patient_id).toBeUndefined();
    // Without a subject the harness uses "default_subject", found only if such a contact is there.
    const none = write('no-subject.json', { docs: [{ _id: 'r', form: 'visit' }] });
    expect(byId(loadFixtures([none]).docs, 'r').patient_id).toBeUndefined();
    const defaultSubject = write('default-subject.json', { docs: [{ _id: 'default_subject', type: 'contact' }, { _id: 'r', form: 'visit' }] });
    expect(byId(loadFixtures([defaultSubject]).docs, 'r').patient_id).toBe('default_subject');
  });

  it('each file\'s reports take that file\'s subject, looked up among the contacts of all files so far', () => {
    const base = write('merge-base.json', { subject: 'a', docs: [{ _id: 'a', type: 'person' }, { _id: 'b', type: 'person' }, { _id: 'r1', form: 'v' }] });
    const more = write('merge-more.json', { subject: 'b', docs: [{ _id: 'r2', form: 'v' }] });
    const plain = write('merge-plain.json', { docs: [{ _id: 'r3', form: 'v' }] });
    const { docs, subjectId } = loadFixtures([base, more, plain]);
    expect([byId(docs, 'r1').patient_id, byId(docs, 'r2').patient_id, byId(docs, 'r3').patient_id]).toEqual(['a', 'b', undefined]);
    expect(subjectId).toBe('b');
  });

  it('only the five harness contact types are contacts: a custom type gets report defaults and is noted', () => {
    const file = write('custom-type.json', { subject: 'm', docs: [{ _id: 'm', type: 'clinic' }, { _id: 'hh', type: 'household', name: 'H' }] });
    const fixtures = loadFixtures([file]);
    expect(byId(fixtures.docs, 'hh')).toEqual({ _id: 'hh', type: 'household', name: 'H', reported_date: 1, fields: {}, patient_id: 'm' });
    expect(fixtures.notes.find((n) => n.includes('neither a contact nor a report'))).toContain('hh (type "household")');
    expect(fixtures.notes.find((n) => n.includes('neither a contact nor a report'))).toContain('{"type": "contact", "contact_type": "<its id>"}');
  });

  it('minifies before the defaults, as the harness does: a doc without a type keeps a hydrated patient', () => {
    const file = write('minify-order.json', {
      docs: [
        { _id: 'typeless', form: 'x', patient: { _id: 'p' }, contact: { _id: 'c', name: 'C', parent: { _id: 'hh', name: 'H' } } },
        { _id: 'typed', type: 'data_record', form: 'x', patient: { _id: 'p' } },
      ],
    });
    const { docs } = loadFixtures([file]);
    expect(byId(docs, 'typeless')).toMatchObject({ patient: { _id: 'p' }, contact: { _id: 'c', parent: { _id: 'hh' } } });
    expect(byId(docs, 'typed').patient).toBeUndefined();
  });
});

describe('fixtures: notes', () => {
  it('one note per kind of default, naming a few docs and how many more', () => {
    const docs = [{ _id: 's', type: 'person' }, ...Array.from({ length: 7 }, () => ({ form: 'visit' }))];
    const fixtures = loadFixtures([write('many.json', { subject: 's', docs })]);
    expect(fixtures.notes).toHaveLength(5);
    expect(fixtures.notes[0]).toBe('7 fixture docs have no _id: named after the file and the position in "docs" (file#3.1 is docs[3][1]; ' +
      'the harness makes random ids): many.json#1, many.json#2, many.json#3, many.json#4, many.json#5 and 2 more. Give these docs an _id to silence this.');
    expect(fixtures.notes[1]).toMatch(/^7 fixture docs have no type and are read as reports? \(type "data_record"\)/);
    expect(fixtures.notes[2]).toMatch(/^7 reports have no reported_date and got 1 \(1970-01-01\)/);
    expect(fixtures.notes[3]).toMatch(/^7 reports have no fields and got "fields": \{\}/);
    expect(fixtures.notes[4]).toMatch(/^7 reports have no subject id .* got "patient_id": "s", the fixture's subject/);
    expect(fixtures.notes.every((n) => n.includes('and 2 more'))).toBe(true);
  });

  it('notes only what applies; none for docs that need no default', () => {
    const clean = write('clean.json', { docs: [{ _id: 'p', type: 'person' }, { _id: 'r', type: 'data_record', form: 'v', reported_date: 2, fields: { patient_id: 'p' } }] });
    expect(loadFixtures([clean]).notes).toEqual([]);
    const noDate = write('no-date.json', { docs: [{ _id: 'p', type: 'person' }, { _id: 'r', type: 'data_record', form: 'v', fields: { patient_id: 'p' } }] });
    const notes = loadFixtures([noDate]).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toBe('1 report has no reported_date and got 1 (1970-01-01), as in the harness, so tasks due from it are long past and ' +
      'targets dated by it count in 1970: r. Give these docs a reported_date (ms since 1970) to silence this.');
  });
});

describe('fixtures: from texts already read', () => {
  it('the same texts give the same fixtures (a worker thread loads them so), and the texts are kept', () => {
    const a = write('t-a.json', { user: 'u1', docs: [{ _id: 'u1', type: 'person' }, { form: 'f', fields: { patient_id: 'u1' } }] });
    const b = write('t-b.json', { docs: [{ _id: 'c2', type: 'clinic' }, [{ form: 'g', fields: {} }]] });
    const read = loadFixtures([a, b]);
    expect(read.texts).toHaveLength(2);
    expect(loadFixtures([a, b], read.texts)).toEqual(read);
    // (The texts are what is parsed: the files are not read again.)
    const other = loadFixtures([a, b], [read.texts[1]!, read.texts[0]!]);
    expect(other.docs.map((d) => d._id)).not.toEqual(read.docs.map((d) => d._id));
  });
});

describe('fixtures: merging files', () => {
  it('docs concatenated, later user/subject/roles win, inline user contact added', () => {
    const a = write('a.json', { user: 'u1', userRoles: ['chw'], docs: [{ _id: 'u1', type: 'person' }, { _id: 'u2', type: 'person' }] });
    const b = write('b.json', { user: 'u2', ownedBySubject: true, subject: 'u1', docs: [{ _id: 'r1', type: 'data_record', form: 'f', patient_id: 'u1' }] });
    const merged = loadFixtures([a, b]);
    expect(merged.docs.map((d) => d._id)).toEqual(['u1', 'u2', 'r1']);
    expect(merged).toMatchObject({ userId: 'u2', subjectId: 'u1', ownedBySubject: true, roles: ['chw'] });
    const inline = write('inline.json', { user: { _id: 'me', type: 'person', name: 'Me', parent: { _id: 'hc', name: 'HC' } }, docs: [{ _id: 'hc', type: 'health_center' }] });
    expect(byId(loadFixtures([inline]).docs, 'me')).toEqual({ _id: 'me', type: 'person', name: 'Me', parent: { _id: 'hc' } });
  });
});

describe('lineage', () => {
  it('minifies as CHT stores docs', () => {
    expect(minify({
      _id: 'r', type: 'data_record', contact: { _id: 'c', name: 'C', parent: { _id: 'p', name: 'P', parent: { _id: 'g' } } },
      patient: { _id: 'x' }, place: { _id: 'y' }, parent: { _id: 'q', parent: { _id: 'w', name: 'W' } },
    })).toEqual({ _id: 'r', type: 'data_record', contact: { _id: 'c', parent: { _id: 'p', parent: { _id: 'g' } } }, parent: { _id: 'q', parent: { _id: 'w' } } });
  });

  it('reduces linked_docs to ids on contacts only (cht-core lineage validLinkedDocs)', () => {
    expect(minify({ _id: 'hh', type: 'clinic', linked_docs: { head: { _id: 'p', name: 'P' }, aide: 'q' } }).linked_docs).toEqual({ head: 'p', aide: 'q' });
    expect(minify({ _id: 'r', type: 'data_record', linked_docs: { head: { _id: 'p' } } }).linked_docs).toEqual({ head: { _id: 'p' } });
  });

  it('hydrates the user with its parents and their primary contacts', () => {
    const docs = new Map<string, Record<string, unknown> & { _id: string; type: string }>([
      ['u', { _id: 'u', type: 'person', name: 'U', parent: { _id: 'hc', parent: { _id: 'missing', parent: { _id: 'dh' } } } }],
      ['hc', { _id: 'hc', type: 'health_center', name: 'HC', contact: { _id: 'boss' }, parent: { _id: 'missing', parent: { _id: 'dh' } } }],
      ['boss', { _id: 'boss', type: 'person', name: 'Boss', parent: { _id: 'hc' } }],
      ['dh', { _id: 'dh', type: 'district_hospital', name: 'DH' }],
    ]);
    expect(hydrateContact('u', docs)).toEqual({
      _id: 'u', type: 'person', name: 'U',
      parent: {
        _id: 'hc', type: 'health_center', name: 'HC', contact: { _id: 'boss', type: 'person', name: 'Boss', parent: { _id: 'hc' } },
        parent: { _id: 'missing', parent: { _id: 'dh', type: 'district_hospital', name: 'DH' } },
      },
    });
    expect(hydrateContact(undefined, docs)).toBeNull();
  });
});
