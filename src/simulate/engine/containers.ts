/* eslint-disable @typescript-eslint/no-explicit-any -- CouchDB docs are user-shaped JSON */
import type { Doc } from './fixtures.js';

/**
 * Grouping of docs into the rules engine's per-contact containers `{contact, reports, tasks}`, as a full
 * refresh of cht-core 4.x does it (cht-core 4.11.0 shared-libs/rules-engine/src/pouchdb-provider.js and
 * rules-emitter/index.js): contacts and reports in CouchDB view order, reports
 * attached to the first contact claiming their subject id, headless containers for unknown subjects, reports
 * sorted by reported_date, and containers in `Object.keys` order.
 */

const HIERARCHY_TYPES = ['district_hospital', 'health_center', 'clinic', 'person'];

/** The key contacts_by_type emits for a doc, or undefined when it emits nothing (not a contact). */
function contactViewKey(doc: any): { key: unknown } | undefined {
  let type: unknown;
  let idx: unknown;
  if (doc.type === 'contact') {
    type = doc.contact_type;
    idx = HIERARCHY_TYPES.indexOf(type as string);
    if (idx === -1) idx = type;
  } else {
    type = doc.type;
    idx = HIERARCHY_TYPES.indexOf(type as string);
  }
  return idx !== -1 ? { key: [type] } : undefined;
}

export function isContactDoc(doc: any): boolean {
  return contactViewKey(doc) !== undefined;
}

const REPORT_KEY_FIELDS = ['patient_id', 'place_id', 'case_id'];
const REPORT_FIELDS_KEY_FIELDS = ['patient_id', 'place_id', 'case_id', 'patient_uuid', 'place_uuid'];

/** The keys reports_by_subject emits for a doc (none: the rules engine never sees it), truthy values in this order. */
export function reportViewKeys(doc: any): unknown[] {
  if (doc.type !== 'data_record' || !doc.form) return [];
  const keys: unknown[] = [];
  for (const field of REPORT_KEY_FIELDS) if (doc[field]) keys.push(doc[field]);
  const fields = doc.fields;
  if (fields) for (const field of REPORT_FIELDS_KEY_FIELDS) if (fields[field]) keys.push(fields[field]);
  return keys;
}

export function isReportInView(doc: any): boolean {
  return reportViewKeys(doc).length > 0;
}

/** registration-utils getSubjectIds for a contact: its truthy `_id`, `patient_id`, `place_id`, without repeats. */
export function contactSubjectIds(doc: any): unknown[] {
  const ids: unknown[] = [];
  for (const prop of ['_id', 'patient_id', 'place_id']) {
    if (doc[prop] && !ids.includes(doc[prop])) ids.push(doc[prop]);
  }
  return ids;
}

const REPORT_SUBJECT_PROPERTIES = ['patient_id', 'patient_uuid', 'place_id', 'place_uuid'];

/** registration-utils getSubjectId: the first truthy patient_id, patient_uuid, place_id, place_uuid (top level, then fields). */
export function reportSubjectId(report: any): unknown {
  if (!report) return false;
  for (const prop of REPORT_SUBJECT_PROPERTIES) {
    if (report[prop]) return report[prop];
    if (report.fields && report.fields[prop]) return report.fields[prop];
  }
  return undefined;
}

function normalizeKey(key: unknown): unknown {
  if (key === undefined) return null;
  if (typeof key === 'number') return Number.isFinite(key) ? key : null;
  if (Array.isArray(key)) return key.map(normalizeKey);
  return key;
}

function collationIndex(x: unknown): number {
  if (x === null) return 1;
  switch (typeof x) {
    case 'boolean': return 2;
    case 'number': return 3;
    case 'string': return 4;
    default: return Array.isArray(x) ? 5 : 6;
  }
}

/** PouchDB's view collation: null < booleans < numbers < strings (code unit order) < arrays < objects. */
export function collate(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const na = normalizeKey(a);
  const nb = normalizeKey(b);
  const diff = collationIndex(na) - collationIndex(nb);
  if (diff !== 0) return diff;
  if (typeof na === 'number') return na - (nb as number);
  if (typeof na === 'boolean') return na < (nb as boolean) ? -1 : 1;
  if (typeof na === 'string') return na === nb ? 0 : na > (nb as string) ? 1 : -1;
  if (Array.isArray(na)) {
    const nbArr = nb as unknown[];
    for (let i = 0; i < Math.min(na.length, nbArr.length); i++) {
      const c = collate(na[i], nbArr[i]);
      if (c !== 0) return c;
    }
    return na.length === nbArr.length ? 0 : na.length > nbArr.length ? 1 : -1;
  }
  if (na === null) return 0;
  return collate(JSON.stringify(na), JSON.stringify(nb));
}

function byKeyThenId(a: { key: unknown; id: string }, b: { key: unknown; id: string }): number {
  return collate(a.key, b.key) || collate(a.id, b.id);
}

/** Code-unit order, which is how PouchDB collates two strings. */
function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a > b ? 1 : -1;
}

/**
 * Sorts view rows by key, then doc id. Keys are nearly always strings or `[string]` (a contact's type, a
 * report's subject id): those collate as their strings, so they are compared as such, without collate's
 * normalising copies — the same order, several times faster on thousands of rows. Any other key: collate.
 */
function sortRows<R extends { key: unknown; id: string }>(rows: R[]): R[] {
  const text = (key: unknown): string | undefined =>
    typeof key === 'string' ? key : Array.isArray(key) && key.length === 1 && typeof key[0] === 'string' ? key[0] : undefined;
  const keys: string[] = [];
  for (const row of rows) {
    const k = text(row.key);
    // Mixed shapes (`"x"` and `["x"]` collate differently) or any other key: the general collation.
    if (k === undefined || typeof row.id !== 'string' || typeof row.key !== typeof rows[0]!.key) return rows.sort(byKeyThenId);
    keys.push(k);
  }
  const order = rows.map((_, i) => i);
  order.sort((i, j) => compareStrings(keys[i]!, keys[j]!) || compareStrings(rows[i]!.id, rows[j]!.id));
  return order.map((i) => rows[i]!);
}

/** Contacts in contacts_by_type order (key [type], then doc id). */
export function contactsInViewOrder(docs: readonly Doc[]): Doc[] {
  const rows: { key: unknown; id: string; doc: Doc }[] = [];
  for (const doc of docs) {
    const emitted = contactViewKey(doc);
    if (emitted) rows.push({ key: emitted.key, id: doc._id, doc });
  }
  return sortRows(rows).map((r) => r.doc);
}

/** Reports in reports_by_subject order, each at the position of its lowest key (lodash uniqBy keeps the first row). */
export function reportsInViewOrder(docs: readonly Doc[]): Doc[] {
  const rows: { key: unknown; id: string; doc: Doc }[] = [];
  for (const doc of docs) for (const key of reportViewKeys(doc)) rows.push({ key, id: doc._id, doc });
  const seen = new Set<string>();
  const result: Doc[] = [];
  for (const row of sortRows(rows)) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    result.push(row.doc);
  }
  return result;
}

/** The rules engine's container class: own `contact`, `reports`, `tasks`; `tasks` is also on the prototype. */
export class Contact {
  contact: any;
  reports: any[];
  tasks: any[];
  constructor({ contact, reports, tasks }: { contact: any; reports: any[]; tasks: any[] }) {
    this.contact = contact;
    this.reports = reports;
    this.tasks = tasks;
  }
}
(Contact.prototype as any).tasks = 'defined';

/** One container, ready to be evaluated any number of times on fresh copies of its docs. */
export interface ContainerSpec {
  /** Position in the evaluation order. */
  index: number;
  /** The `Object.keys` key cht-core files it under (a contact id, a headless subject id, or "undefined"). */
  key: string;
  /** The contact doc's id; for a headless container the subject id; undefined for the contact-less one. */
  contactId: string | undefined;
  headless: boolean;
  /** The contact doc (minified), or `{_id}` when headless, or undefined. */
  contact: Doc | { _id: string } | undefined;
  /** Reports in the order the rules see them (sorted by reported_date). */
  reports: Doc[];
  /** JSON of `{contact, reports}`: each evaluation parses its own copy, so user code cannot leak mutations. */
  json: string;
}

/** Builds the containers of a full refresh, in the order cht-core runs them. */
export function buildContainers(docs: readonly Doc[]): ContainerSpec[] {
  const contacts = contactsInViewOrder(docs);
  const reports = reportsInViewOrder(docs);
  type Fact = { contact: any; reports: Doc[]; headless: boolean };
  // Plain objects, as in cht-core: integer-like keys come first in Object.keys order.
  const factByContactId: Record<string, Fact> = {};
  for (const contact of contacts) factByContactId[contact._id] = { contact, reports: [], headless: false };
  const factBySubjectId: Record<string, Fact> = {};
  for (const contact of contacts) {
    for (const subjectId of contactSubjectIds(contact)) {
      const key = String(subjectId);
      if (!factBySubjectId[key]) factBySubjectId[key] = factByContactId[contact._id]!;
    }
  }
  const addHeadless = (subjectId: unknown): Fact => {
    const fact: Fact = { contact: subjectId ? { _id: subjectId } : undefined, reports: [], headless: true };
    factByContactId[String(subjectId)] = fact;
    factBySubjectId[String(subjectId)] = fact;
    return fact;
  };
  for (const report of reports) {
    const subjectId = reportSubjectId(report);
    const fact = factBySubjectId[String(subjectId)] || addHeadless(subjectId);
    fact.reports.push(report);
  }
  return Object.keys(factByContactId).map((key, index) => {
    const fact = factByContactId[key]!;
    const sorted = fact.reports.sort((a: any, b: any) => a.reported_date - b.reported_date);
    const contact = fact.contact;
    return {
      index,
      key,
      contactId: contact ? contact._id : undefined,
      headless: fact.headless,
      contact,
      reports: sorted,
      json: JSON.stringify({ contact, reports: sorted }),
    };
  });
}

/** A fresh `c` for one evaluation. */
export function freshContainer(spec: ContainerSpec): Contact {
  const { contact, reports } = JSON.parse(spec.json) as { contact: any; reports: any[] };
  return new Contact({ contact, reports, tasks: [] });
}
