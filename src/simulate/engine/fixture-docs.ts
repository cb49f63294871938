/* eslint-disable @typescript-eslint/no-explicit-any -- fixture docs are user-shaped JSON */
import { UserError } from '../../errors.js';
import { isReportInView, reportSubjectId } from './containers.js';

/**
 * Fixture docs as cht-conf-test-harness 5.0.4 reads them (`pushMockedDoc` in its src/harness.js): an array is
 * a group of docs (flattened in order, at any depth); each doc is minified as CHT stores docs; a doc whose
 * `type` is one of five is a contact, every other doc a report, given the harness's defaults where missing —
 * `_id`, `type: 'data_record'`, `reported_date: 1`, `fields: {}` — and, when it has no subject id, the
 * subject's id as `patient_id`. chtkit names a doc without `_id` after its file and position where the harness
 * draws a random uuid, so outputs and deep links are the same on every run.
 */

/** The `type`s pushMockedDoc files as contacts (a configurable-hierarchy contact is `type: 'contact'`). */
const HARNESS_CONTACT_TYPES = new Set(['contact', 'district_hospital', 'health_center', 'clinic', 'person']);

/** The subject the harness falls back to when a fixture names none (harness.js constructor defaults). */
const HARNESS_DEFAULT_SUBJECT = 'default_subject';

export function isHarnessContact(doc: any): boolean {
  return HARNESS_CONTACT_TYPES.has(doc.type);
}

/** What was done to which docs, for one note per kind (doc ids in fixture order). */
export interface DefaultsApplied {
  id: string[];
  type: string[];
  reportedDate: string[];
  fields: string[];
  /** Reports given the subject's id as `patient_id`, by subject id. */
  subject: Map<string, string[]>;
}

/** The docs of all files so far: the database the harness's state would hold. */
export interface DocStore {
  docs: any[];
  /** _id → its index in `docs`; with `files` and `paths`, names both sides of a duplicate (built only then). */
  indexOf: Map<string, number>;
  files: string[];
  paths: string[];
  /** Ids of the docs the harness holds as contacts: only those can be a string `subject`. */
  contactIds: Set<string>;
  applied: DefaultsApplied;
}

export function newDocStore(): DocStore {
  return { docs: [], indexOf: new Map(), files: [], paths: [], contactIds: new Set(), applied: { id: [], type: [], reportedDate: [], fields: [], subject: new Map() } };
}

/** One file's docs, with what the harness needs to read them. */
export interface FileDocs {
  file: string;
  /** Generated ids are `<idPrefix>#<position>`. */
  idPrefix: string;
  /** The file's own `subject` (a later file's does not reach back: the harness reads one file). */
  subject: unknown;
  docs: unknown[];
}

function fail(file: string, message: string, hint: string): never {
  throw new UserError(`${file}: ${message}`, { code: 'CHT_E_FIXTURE', hint });
}

function label(path: string): string {
  return `docs[${path.replaceAll('.', '][')}]`;
}

/** Adds one file's docs to the store, in the harness's order, with its defaults applied (in place: the parsed JSON is ours). */
export function pushFileDocs(store: DocStore, input: FileDocs): void {
  const { subject } = input;
  // pushMockedDoc reads `this.subject` at each report: an inline object always, a string id only once a contact
  // with that id has been pushed (a report listed before the subject's contact gets no subject id).
  const inlineSubjectId = subject && typeof subject === 'object' ? String((subject as any)._id) : undefined;
  const subjectId = typeof subject === 'string' ? subject : subject === undefined ? HARNESS_DEFAULT_SUBJECT : undefined;
  pushGroup(store, input, input.docs, '', inlineSubjectId, subjectId);
}

function pushGroup(store: DocStore, input: FileDocs, group: unknown[], prefix: string, inlineSubjectId: string | undefined, subjectId: string | undefined): void {
  for (let i = 0; i < group.length; i++) {
    const doc: any = group[i];
    const path = prefix + String(i);
    if (Array.isArray(doc)) {
      pushGroup(store, input, doc, `${path}.`, inlineSubjectId, subjectId);
      continue;
    }
    if (doc === null || typeof doc !== 'object') {
      fail(input.file, `${label(path)} is ${doc === null ? 'null' : `a ${typeof doc}`}, not a document.`,
        '"docs" lists documents (JSON objects), or arrays of them.');
    }
    if (doc._id !== undefined && (typeof doc._id !== 'string' || doc._id === '')) {
      fail(input.file, `${label(path)} has "_id": ${JSON.stringify(doc._id)}.`, 'An _id is a non-empty string; leave it out to have one made for a report.');
    }
    if (doc.type !== undefined && typeof doc.type !== 'string') {
      fail(input.file, `${describe(doc, path)} has "type": ${JSON.stringify(doc.type)}.`,
        'A type is a string: person, clinic, health_center, district_hospital, "contact" (with a contact_type), or "data_record" for a report.');
    }
    // The harness minifies before it applies defaults: a doc without a type keeps a hydrated `patient`/`place`.
    minify(doc);
    if (isHarnessContact(doc)) {
      if (doc._id === undefined) {
        fail(input.file, `${label(path)} is a contact (type "${String(doc.type)}") without an "_id".`,
          'Give it an _id: the harness makes ids only for reports (and stops on a contact without one).');
      }
      store.contactIds.add(doc._id);
    } else {
      applyReportDefaults(store.applied, doc, input.idPrefix, path, subjectId !== undefined && store.contactIds.has(subjectId) ? subjectId : inlineSubjectId);
    }
    const earlier = store.indexOf.get(doc._id);
    if (earlier !== undefined) {
      const there = `${store.files[earlier]!} ${describe(doc, store.paths[earlier]!)}`;
      throw new UserError(`${input.file} ${describe(doc, path)} has the same _id as ${there}.`, {
        code: 'CHT_E_FIXTURE',
        hint: 'Document ids are unique in a CHT database (and in the harness): rename one of them.',
      });
    }
    store.indexOf.set(doc._id, store.docs.length);
    store.docs.push(doc);
    store.files.push(input.file);
    store.paths.push(path);
  }
}

function describe(doc: any, path: string): string {
  return typeof doc._id === 'string' ? `${label(path)} (_id "${doc._id}")` : label(path);
}

/** lodash `defaults` as pushMockedDoc calls it: a key is filled only when undefined, in this order. */
function applyReportDefaults(applied: DefaultsApplied, doc: any, idPrefix: string, path: string, subjectId: string | undefined): void {
  if (doc._id === undefined) {
    doc._id = `${idPrefix}#${path}`;
    applied.id.push(doc._id);
  }
  if (doc.type === undefined) {
    doc.type = 'data_record';
    applied.type.push(doc._id);
  }
  if (doc.reported_date === undefined) {
    doc.reported_date = 1;
    applied.reportedDate.push(doc._id);
  }
  if (doc.fields === undefined) {
    doc.fields = {};
    applied.fields.push(doc._id);
  }
  // registration-utils getSubjectId (patient_id, patient_uuid, place_id, place_uuid; not case_id), as the harness checks.
  if (!reportSubjectId(doc) && subjectId !== undefined) {
    doc.patient_id = subjectId;
    let list = applied.subject.get(subjectId);
    if (!list) applied.subject.set(subjectId, (list = []));
    list.push(doc._id);
  }
}

const SHOWN = 5;

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, SHOWN).join(', ');
  return ids.length > SHOWN ? `${shown} and ${ids.length - SHOWN} more` : shown;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One note per kind of default applied, and per kind of doc cht-core's rules engine will not see. */
export function fixtureNotes(store: DocStore): string[] {
  const notes: string[] = [];
  const { applied } = store;
  if (applied.id.length) {
    notes.push(`${count(applied.id.length, 'fixture doc has', 'fixture docs have')} no _id: named after the file and the position in "docs" ` +
      `(file#3.1 is docs[3][1]; the harness makes random ids): ${listed(applied.id)}. Give these docs an _id to silence this.`);
  }
  if (applied.type.length) {
    notes.push(`${count(applied.type.length, 'fixture doc has', 'fixture docs have')} no type and ${applied.type.length === 1 ? 'is read as a report' : 'are read as reports'} ` +
      `(type "data_record"), as the harness does: ${listed(applied.type)}. Give these docs a type to silence this (a contact's is person, ` +
      'clinic, health_center, district_hospital, or "contact" with its contact_type).');
  }
  if (applied.reportedDate.length) {
    notes.push(`${count(applied.reportedDate.length, 'report has', 'reports have')} no reported_date and got 1 (1970-01-01), as in the harness, ` +
      `so tasks due from it are long past and targets dated by it count in 1970: ${listed(applied.reportedDate)}. ` +
      'Give these docs a reported_date (ms since 1970) to silence this.');
  }
  if (applied.fields.length) {
    notes.push(`${count(applied.fields.length, 'report has', 'reports have')} no fields and got "fields": {}, as in the harness: ` +
      `${listed(applied.fields)}. Give these docs a fields object to silence this.`);
  }
  for (const [subject, ids] of applied.subject) {
    notes.push(`${count(ids.length, 'report has', 'reports have')} no subject id (patient_id, patient_uuid, place_id or place_uuid, at the top ` +
      `level or in fields) and got "patient_id": "${subject}", the fixture's subject, as the harness does (its legacy behaviour): ` +
      `${listed(ids)}. Give these docs a patient_id (or place_id) to silence this.`);
  }
  const unseen: string[] = [];
  const ignored: string[] = [];
  for (const doc of store.docs) {
    if (doc.type === 'data_record') {
      if (doc.form && !isReportInView(doc)) unseen.push(doc._id);
    } else if (!isHarnessContact(doc)) {
      ignored.push(`${doc._id} (type "${doc.type}")`);
    }
  }
  if (unseen.length) {
    notes.push(`${count(unseen.length, 'report has', 'reports have')} no patient_id, place_id or case_id (at the top level or in fields; ` +
      `patient_uuid and place_uuid only count in fields), so cht-core's rules engine never sees ${unseen.length === 1 ? 'it' : 'them'}: ` +
      `${listed(unseen)}. Give ${unseen.length === 1 ? 'it' : 'them'} a patient_id (or list the subject's contact before ` +
      `${unseen.length === 1 ? 'it' : 'them'} in "docs": the harness then gives ${unseen.length === 1 ? 'it' : 'them'} the subject's id).`);
  }
  if (ignored.length) {
    notes.push(`${count(ignored.length, 'doc is', 'docs are')} neither a contact nor a report to cht-core 4.11, so its rules engine ignores ` +
      `${ignored.length === 1 ? 'it' : 'them'} (the harness reads ${ignored.length === 1 ? 'it' : 'them'} as a report): ${listed(ignored)}. ` +
      'A contact of a configured type (app_settings contact_types) is {"type": "contact", "contact_type": "<its id>"}.');
  }
  return notes;
}

const RECURSION_LIMIT = 50;

function minifyLineage(parent: any): any {
  if (!parent || !parent._id) return parent;
  const result: any = { _id: parent._id };
  let minified = result;
  let current = parent;
  for (let guard = RECURSION_LIMIT; current.parent && current.parent._id; --guard) {
    if (guard === 0) throw new UserError(`Could not minify ${parent._id}: its parents form a loop.`, { code: 'CHT_E_FIXTURE' });
    minified.parent = { _id: current.parent._id };
    minified = minified.parent;
    current = current.parent;
  }
  return result;
}

/**
 * CHT stores docs minified (cht-core 4.11 shared-libs/lineage minify, in place): `parent` and the `contact`
 * reference keep only ids; reports lose hydrated `patient`/`place`; a contact's `linked_docs` keep only ids.
 */
export function minify(doc: any): any {
  if (doc.parent) doc.parent = minifyLineage(doc.parent);
  if (doc.contact && doc.contact._id) {
    const mini: any = { _id: doc.contact._id };
    if (doc.contact.parent) mini.parent = minifyLineage(doc.contact.parent);
    doc.contact = mini;
  }
  if (doc.type === 'data_record') {
    delete doc.patient;
    delete doc.place;
  }
  if (isHarnessContact(doc) && doc.linked_docs && typeof doc.linked_docs === 'object' && !Array.isArray(doc.linked_docs)) {
    for (const key of Object.keys(doc.linked_docs)) {
      const linked = doc.linked_docs[key];
      doc.linked_docs[key] = linked && (typeof linked === 'string' ? linked : linked._id);
    }
  }
  return doc;
}
