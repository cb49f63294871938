/* eslint-disable @typescript-eslint/no-explicit-any -- fixture docs are user-shaped JSON */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { parseJsonText } from '../../project/read-json.js';
import { fixtureNotes, isHarnessContact, minify, newDocStore, pushFileDocs } from './fixture-docs.js';

/** A CouchDB document from a fixture: `_id` and `type` its own or the harness's defaults (fixture-docs.ts). */
export type Doc = Record<string, any> & { _id: string; type: string };

/** The fixtures of a dry run, merged from one or more harness.defaults.json-shaped files. */
export interface Fixtures {
  files: string[];
  /** Minified (lineage reduced to ids, as CHT stores docs), with the harness's defaults, in file order (groups flattened). */
  docs: Doc[];
  /** The logged-in user's contact id, when the fixtures name one. */
  userId?: string;
  subjectId?: string;
  ownedBySubject: boolean;
  /** `userRoles` of the fixture, when given. */
  roles?: string[];
  /** An inline user object without a `type`: the user, but not a contact doc (the harness does the same). */
  inlineUser?: Record<string, any>;
  /** Things the user should know: one per kind of default applied, docs the rules engine will not see. */
  notes: string[];
  /**
   * The files' texts as read, in `files` order: a worker thread loads the same fixtures from them
   * (fast/parallel.ts), which costs less to send and receive than the docs.
   */
  texts: string[];
}

export const DEFAULT_FIXTURE_FILE = 'harness.defaults.json';

function fail(file: string, message: string, hint?: string): never {
  throw new UserError(`${file}: ${message}`, { code: 'CHT_E_FIXTURE', ...(hint ? { hint } : {}) });
}

interface RawFixture {
  file: string;
  user?: unknown;
  subject?: unknown;
  ownedBySubject?: unknown;
  userRoles?: unknown;
  docs: unknown[];
}

function readFixtureText(file: string): string {
  if (!existsSync(file)) fail(file, 'fixture file not found.');
  return readFileSync(file, 'utf8');
}

function parseFixture(file: string, text: string): RawFixture {
  const value = parseJsonText<unknown>(file, text.replace(/^\uFEFF/, ''));
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail(file, 'a fixture must be a JSON object like harness.defaults.json: { "user": ..., "docs": [ ... ] }.');
  }
  const obj = value as Record<string, unknown>;
  // The harness would run a file without "docs" on two bare default contacts; here that is almost always a
  // mistake (a misspelt key, the wrong file), so it is said.
  if (obj.docs === undefined) {
    fail(file, 'no "docs" array.', 'A fixture lists its documents in "docs": [ ... ]; a file that only sets user, subject or userRoles has "docs": [].');
  }
  if (!Array.isArray(obj.docs)) fail(file, '"docs" must be an array of documents.');
  for (const key of ['user', 'subject'] as const) {
    const v = obj[key];
    if (v !== undefined && typeof v !== 'string' && !(v && typeof v === 'object' && !Array.isArray(v) && typeof (v as any)._id === 'string')) {
      fail(file, `"${key}" must be a contact _id or a contact object with an "_id".`);
    }
  }
  if (obj.ownedBySubject !== undefined && typeof obj.ownedBySubject !== 'boolean') fail(file, '"ownedBySubject" must be true or false.');
  if (obj.userRoles !== undefined && !(Array.isArray(obj.userRoles) && obj.userRoles.every((r) => typeof r === 'string'))) {
    fail(file, '"userRoles" must be an array of role names.');
  }
  return { file, user: obj.user, subject: obj.subject, ownedBySubject: obj.ownedBySubject, userRoles: obj.userRoles, docs: obj.docs };
}

/** `<base name>`, or `<base name>~<n>` for the n-th file of a run with that base name, so generated ids stay unique. */
function idPrefixes(files: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const base = path.basename(file);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  });
}

function notAContact(who: string, doc: { _id: string; type: unknown }): never {
  throw new UserError(`The fixtures' ${who} "${doc._id}" is not a contact (its type is "${String(doc.type)}").`, {
    code: 'CHT_E_FIXTURE',
    hint: `The ${who} is a contact: type person, clinic, health_center, district_hospital, or "contact" with a contact_type.`,
  });
}

/**
 * Reads fixture files in the harness.defaults.json shape (`{user, subject?, ownedBySubject?, userRoles?, docs}`),
 * each file's docs as cht-conf-test-harness reads them (fixture-docs.ts: groups, minification, the defaults of
 * reports). Docs are concatenated in file order; for user, subject, ownedBySubject and userRoles a later file
 * overrides an earlier one. An inline user or subject object is added as a contact unless a doc has its `_id`.
 * The parsed JSON is this function's own, so docs are completed and minified in place (no copies). `texts`: the
 * files' texts, when already read (the same texts give the same fixtures).
 */
export function loadFixtures(files: readonly string[], texts: readonly string[] = files.map(readFixtureText)): Fixtures {
  const raws = files.map((file, i) => parseFixture(file, texts[i]!));
  const prefixes = idPrefixes(files);
  const store = newDocStore();
  let user: unknown;
  let subject: unknown;
  let ownedBySubject = false;
  let roles: string[] | undefined;
  raws.forEach((raw, i) => {
    pushFileDocs(store, { file: raw.file, idPrefix: prefixes[i]!, subject: raw.subject, docs: raw.docs });
    if (raw.user !== undefined) user = raw.user;
    if (raw.subject !== undefined) subject = raw.subject;
    if (raw.ownedBySubject !== undefined) ownedBySubject = raw.ownedBySubject as boolean;
    if (raw.userRoles !== undefined) roles = raw.userRoles as string[];
  });
  const docsById = new Map<string, Doc>();
  for (const doc of store.docs) docsById.set(doc._id, doc);
  let inlineUser: Record<string, any> | undefined;
  for (const [key, value] of [['user', user], ['subject', subject]] as const) {
    if (!value || typeof value !== 'object' || docsById.has((value as any)._id)) continue;
    const inline = minify(value);
    if (typeof inline.type === 'string') {
      if (!isHarnessContact(inline)) notAContact(key, inline);
      store.docs.push(inline);
      docsById.set(inline._id, inline);
    } else if (key === 'user') {
      inlineUser = inline;
    }
  }
  const idOf = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' ? (v as any)._id as string : undefined);
  const userId = idOf(user);
  const subjectId = idOf(subject);
  if (userId !== undefined && !inlineUser) {
    const doc = docsById.get(userId);
    if (!doc) {
      throw new UserError(`The fixtures' user "${userId}" is not one of their docs.`, {
        code: 'CHT_E_FIXTURE',
        hint: 'Add the user\'s contact to "docs", or give "user" as an inline contact object.',
      });
    }
    if (!isHarnessContact(doc)) notAContact('user', doc);
  }
  return {
    files: [...files],
    docs: store.docs,
    ...(userId !== undefined ? { userId } : {}),
    ...(subjectId !== undefined ? { subjectId } : {}),
    ownedBySubject,
    ...(roles ? { roles } : {}),
    ...(inlineUser ? { inlineUser } : {}),
    notes: fixtureNotes(store),
    texts: [...texts],
  };
}

/** The default fixture of a project, if it has one. */
export function defaultFixtureFile(projectDir: string): string | undefined {
  const file = path.join(projectDir, DEFAULT_FIXTURE_FILE);
  return existsSync(file) ? file : undefined;
}

const RECURSION_LIMIT = 50;

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
