/* eslint-disable @typescript-eslint/no-explicit-any -- fixture docs are user-shaped JSON */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { parseJsonText } from '../../project/read-json.js';
import { isContactDoc, isReportInView } from './containers.js';

/** A CouchDB document from a fixture: at least `_id` and `type`. */
export type Doc = Record<string, any> & { _id: string; type: string };

/** The fixtures of a dry run, merged from one or more harness.defaults.json-shaped files. */
export interface Fixtures {
  files: string[];
  /** Minified copies (lineage reduced to ids, as CHT stores docs), in file order. */
  docs: Doc[];
  /** The logged-in user's contact id, when the fixtures name one. */
  userId?: string;
  subjectId?: string;
  ownedBySubject: boolean;
  /** `userRoles` of the fixture, when given. */
  roles?: string[];
  /** An inline user object without a `type`: the user, but not a contact doc (the harness does the same). */
  inlineUser?: Record<string, any>;
  /** Things the user should know (reports the engine will ignore...). */
  notes: string[];
}

export const DEFAULT_FIXTURE_FILE = 'harness.defaults.json';

function fail(file: string, message: string, hint?: string): never {
  throw new UserError(`${file}: ${message}`, { code: 'CHT_E_FIXTURE', ...(hint ? { hint } : {}) });
}

function describeDoc(index: number, doc: any): string {
  return typeof doc?._id === 'string' ? `docs[${index}] (_id "${doc._id}")` : `docs[${index}]`;
}

interface RawFixture {
  file: string;
  user?: unknown;
  subject?: unknown;
  ownedBySubject?: unknown;
  userRoles?: unknown;
  docs: any[];
}

function readFixture(file: string): RawFixture {
  if (!existsSync(file)) fail(file, 'fixture file not found.');
  const value = parseJsonText<unknown>(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail(file, 'a fixture must be a JSON object like harness.defaults.json: { "user": ..., "docs": [ ... ] }.');
  }
  const obj = value as Record<string, unknown>;
  const docs = obj.docs === undefined ? [] : obj.docs;
  if (!Array.isArray(docs)) fail(file, '"docs" must be an array of documents.');
  docs.forEach((doc: any, i: number) => {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail(file, `docs[${i}] is not an object.`);
    if (typeof doc._id !== 'string' || !doc._id) {
      fail(file, `${describeDoc(i, doc)} has no "_id".`, 'Every fixture document needs a string "_id" (and a "type").');
    }
    if (typeof doc.type !== 'string' || !doc.type) {
      fail(file, `${describeDoc(i, doc)} has no "type".`, 'Contacts have a "type" such as "person" or "clinic" (or "contact" with "contact_type"); reports have "type": "data_record".');
    }
  });
  for (const key of ['user', 'subject'] as const) {
    const v = obj[key];
    if (v !== undefined && typeof v !== 'string' && !(v && typeof v === 'object' && typeof (v as any)._id === 'string')) {
      fail(file, `"${key}" must be a contact _id or a contact object with an "_id".`);
    }
  }
  if (obj.ownedBySubject !== undefined && typeof obj.ownedBySubject !== 'boolean') fail(file, '"ownedBySubject" must be true or false.');
  if (obj.userRoles !== undefined && !(Array.isArray(obj.userRoles) && obj.userRoles.every((r) => typeof r === 'string'))) {
    fail(file, '"userRoles" must be an array of role names.');
  }
  return { file, user: obj.user, subject: obj.subject, ownedBySubject: obj.ownedBySubject, userRoles: obj.userRoles, docs };
}

/**
 * Reads fixture files in the harness.defaults.json shape (`{user, subject?, ownedBySubject?, userRoles?, docs}`).
 * Docs are concatenated in file order; for user, subject, ownedBySubject and userRoles a later file overrides an
 * earlier one. An inline user or subject object is added as a contact unless a doc has its `_id`.
 */
export function loadFixtures(files: readonly string[]): Fixtures {
  const raws = files.map(readFixture);
  const docs: Doc[] = [];
  const owner = new Map<string, string>();
  const notes: string[] = [];
  const add = (doc: any, file: string, where: string) => {
    const prev = owner.get(doc._id);
    if (prev !== undefined) {
      throw new UserError(`${file}: ${where} has the same _id as a doc in ${prev}.`, {
        code: 'CHT_E_FIXTURE',
        hint: 'Document ids are unique in a CHT database; rename one of them.',
      });
    }
    owner.set(doc._id, file);
    docs.push(minify(structuredClone(doc)));
  };
  let user: unknown;
  let subject: unknown;
  let ownedBySubject = false;
  let roles: string[] | undefined;
  for (const raw of raws) {
    raw.docs.forEach((doc, i) => add(doc, raw.file, describeDoc(i, doc)));
    if (raw.user !== undefined) user = raw.user;
    if (raw.subject !== undefined) subject = raw.subject;
    if (raw.ownedBySubject !== undefined) ownedBySubject = raw.ownedBySubject as boolean;
    if (raw.userRoles !== undefined) roles = raw.userRoles as string[];
  }
  const last = files[files.length - 1] ?? '';
  let inlineUser: Record<string, any> | undefined;
  for (const [key, value] of [['user', user], ['subject', subject]] as const) {
    if (value && typeof value === 'object' && !owner.has((value as any)._id)) {
      if (typeof (value as any).type === 'string') add(value, last, `the inline ${key}`);
      else if (key === 'user') inlineUser = minify(structuredClone(value));
    }
  }
  const idOf = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' ? (v as any)._id as string : undefined);
  const userId = idOf(user);
  const subjectId = idOf(subject);
  if (userId !== undefined && !owner.has(userId) && !inlineUser) {
    throw new UserError(`The fixtures' user "${userId}" is not one of their docs.`, {
      code: 'CHT_E_FIXTURE',
      hint: 'Add the user\'s contact to "docs", or give "user" as an inline contact object.',
    });
  }
  for (const doc of docs) {
    if (doc.type === 'data_record' && doc.form && !isReportInView(doc)) {
      notes.push(`report ${doc._id} (${String(doc.form)}) has no patient_id/place_id/case_id: cht-core's rules engine never sees it (the harness would give it the subject's id).`);
    } else if (!isContactDoc(doc) && doc.type !== 'data_record') {
      notes.push(`doc ${doc._id} of type "${doc.type}" is neither a contact nor a report: the rules engine ignores it.`);
    }
  }
  return {
    files: [...files],
    docs,
    ...(userId !== undefined ? { userId } : {}),
    ...(subjectId !== undefined ? { subjectId } : {}),
    ownedBySubject,
    ...(roles ? { roles } : {}),
    ...(inlineUser ? { inlineUser } : {}),
    notes,
  };
}

/** The default fixture of a project, if it has one. */
export function defaultFixtureFile(projectDir: string): string | undefined {
  const file = path.join(projectDir, DEFAULT_FIXTURE_FILE);
  return existsSync(file) ? file : undefined;
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
 * CHT stores docs minified: `parent` (and a `contact` reference) keep only ids; reports lose hydrated
 * `patient`/`place`. Harness fixtures are minified the same way on the way in.
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
  if (doc.linked_docs && typeof doc.linked_docs === 'object' && !Array.isArray(doc.linked_docs)) {
    for (const key of Object.keys(doc.linked_docs)) {
      const linked = doc.linked_docs[key];
      doc.linked_docs[key] = typeof linked === 'string' ? linked : linked && linked._id;
    }
  }
  return doc;
}

/**
 * The user's contact as the webapp hands it to the rules engine: a copy with its parent lineage replaced by the
 * parents' docs, and each lineage doc's `contact` reference replaced by that contact's doc (when present).
 */
export function hydrateContact(id: string | undefined, docsById: ReadonlyMap<string, Doc>, inline?: Record<string, any>): any {
  if (id === undefined) return null;
  const self = docsById.get(id) ?? (inline && inline._id === id ? inline : undefined);
  if (!self) return null;
  const ids: string[] = [];
  for (let p: any = self, guard = RECURSION_LIMIT; p && p._id && guard > 0; p = p.parent, guard--) ids.push(p._id);
  const lineage = ids.map((lid, i) => {
    const doc = i === 0 ? self : docsById.get(lid);
    return doc ? structuredClone(doc) : null;
  });
  for (const doc of lineage) {
    const contactId = doc?.contact?._id;
    const contact = contactId === undefined ? undefined : docsById.get(contactId);
    if (doc && contact) doc.contact = structuredClone(contact);
  }
  const result = lineage[0];
  let current: any = result;
  for (let i = 1; i < lineage.length; i++) {
    current.parent = lineage[i] ?? { _id: ids[i] };
    current = current.parent;
  }
  return result;
}
