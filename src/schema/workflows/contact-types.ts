/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';

/*
 * `contact_types` (cht-core 4.11.0 shared-libs/contact-types-utils/src/index.js, webapp/src/ts/modules/contacts/,
 * shared-libs/user-management/src/users.js). The app offers "New X" under a contact only
 * for types whose `parents` list that contact's type and whose `create_form` is an uploaded form, so a broken
 * reference leaves a type that nobody can create, with no error anywhere.
 */

const HARDCODED_PERSON_TYPE = 'person';

/** cht-core's rule: `person: true`, or the hard-coded id `person`. */
const isPersonType = (t: Record<string, any>): boolean => Boolean(t.person) || t.id === HARDCODED_PERSON_TYPE;

/**
 * The form doc ids cht-conf uploads from forms/contact: `form:contact:` + the file name with every `-` made `:`
 * (cht-conf src/lib/upload-forms.js), plus whatever ids the facts carry, so a form is never missed.
 */
function uploadedContactForms(ctx: WorkflowContext): Set<string> {
  const ids = new Set<string>();
  for (const f of ctx.facts.contactForms) {
    ids.add(`form:${f}`);
    if (!f.startsWith('contact:')) ids.add(`form:contact:${f.replaceAll('-', ':')}`);
  }
  return ids;
}

interface TypeEntry {
  index: number;
  id: string;
  type: Record<string, any>;
  parents: string[];
}

function checkForms(ctx: WorkflowContext, e: TypeEntry, forms: Set<string> | undefined, out: WorkflowProblem[]): void {
  const { type, index } = e;
  // A type another contact form creates (a household's head, made with the household) needs no form of its own.
  const madeBy = ctx.facts.typesMadeByForms.get(e.id);
  if ((typeof type.create_form !== 'string' || !type.create_form) && madeBy === undefined) {
    out.push({
      code: 'contact-types/missing-create-form',
      // A warning: types that are only imported (csv-to-docs, SMS add_place) legitimately have no form.
      severity: 'warning',
      path: ['contact_types', index, 'create_form'],
      target: type.create_form === undefined ? 'missing' : 'value',
      message: `Contact type '${e.id}' has ${type.create_form === undefined ? 'no create_form' : `create_form ${quote(type.create_form)}`}, and no contact form creates one: the app never offers to create a '${e.id}' (fine only if they are imported).`,
      hint: `Set "create_form": "form:contact:${e.id}:create" and add forms/contact/${e.id}-create.xml.`,
    });
  }
  if (!forms) return;
  for (const key of ['create_form', 'edit_form'] as const) {
    const form = type[key];
    if (typeof form !== 'string' || !form || forms.has(form)) continue;
    // Only forms of the same kind: suggesting the create form for a missing edit form would hide the problem.
    const suffix = key === 'create_form' ? ':create' : ':edit';
    const suggestion = didYouMean(form, [...forms].filter((f) => f.endsWith(suffix)));
    const file = /^form:contact:(.+)$/.exec(form)?.[1]?.replaceAll(':', '-');
    out.push({
      code: 'contact-types/unknown-form',
      severity: 'error',
      path: ['contact_types', index, key],
      target: 'value',
      message: `Contact type '${e.id}' has ${key} '${form}', which no file in forms/contact uploads: ${key === 'create_form' ? `the app never offers to create a '${e.id}'` : `editing a '${e.id}' fails to load its form`}.`,
      hint: suggestion
        ? `Did you mean '${suggestion}'?`
        : `Add ${file ? `forms/contact/${file}.xml` : 'the form under forms/contact'} (cht-conf uploads forms/contact/<type>-<create|edit>.xml as form:contact:<type>:<create|edit>)${key === 'edit_form' ? ', or leave edit_form out to edit with the create form' : ''}.`,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

/** Types none of whose parents can ever be created: parents that only lead back to each other. */
function unreachable(entries: readonly TypeEntry[], byId: Map<string, TypeEntry>): Set<string> {
  const reachable = new Set(entries.filter((e) => e.parents.length === 0).map((e) => e.id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of entries) {
      if (!reachable.has(e.id) && e.parents.some((p) => reachable.has(p))) {
        reachable.add(e.id);
        changed = true;
      }
    }
  }
  // Only types whose parents all exist: an undefined parent is reported as such.
  return new Set(entries.filter((e) => !reachable.has(e.id) && e.parents.every((p) => byId.has(p))).map((e) => e.id));
}

/** The cycle through `start` along parents that are themselves stuck, for the message. */
function cycleFrom(start: string, byId: Map<string, TypeEntry>, stuck: Set<string>): string[] | undefined {
  const walk = (id: string, seen: string[]): string[] | undefined => {
    const e = byId.get(id);
    if (!e) return undefined;
    for (const p of e.parents) {
      if (p === start) return [...seen, p];
      if (stuck.has(p) && !seen.includes(p)) {
        const found = walk(p, [...seen, p]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** `contact_types`. Absent: cht-core keeps its defaults, nothing to check. */
export const checkContactTypes: SectionCheck = (ctx) => {
  const out: WorkflowProblem[] = [];
  const types = ctx.settings.contact_types;
  if (types === undefined) return out;
  if (!Array.isArray(types)) {
    out.push({
      code: 'contact-types/not-array',
      severity: 'error',
      path: ['contact_types'],
      target: 'value',
      message: `contact_types is ${isObject(types) ? 'an object' : quote(types)}, not an array: cht-core ignores it and knows no contact type, so no contact can be created in the app.`,
      hint: 'Write contact_types as an array of { "id": …, "parents": […], "create_form": …, … }.',
    });
    return out;
  }
  const entries: TypeEntry[] = [];
  const byId = new Map<string, TypeEntry>();
  types.forEach((type, index) => {
    if (!isObject(type)) {
      out.push({
        code: 'contact-types/not-object',
        severity: 'error',
        path: ['contact_types', index],
        target: 'value',
        message: `contact_types[${index}] is ${quote(type)}, not a contact type object.`,
        hint: 'Each entry is { "id": …, "create_form": …, … }.',
      });
      return;
    }
    if (typeof type.id !== 'string' || !type.id) {
      out.push({
        code: 'contact-types/missing-id',
        severity: 'error',
        path: ['contact_types', index, 'id'],
        target: type.id === undefined ? 'missing' : 'value',
        message: `contact_types[${index}] has ${type.id === undefined ? 'no id' : `the id ${quote(type.id)}`}: cht-core finds types by their string id, so this one can never be used.`,
        hint: 'Give it an "id" such as "household".',
      });
      return;
    }
    const first = byId.get(type.id);
    if (first) {
      out.push({
        code: 'contact-types/duplicate-id',
        severity: 'error',
        path: ['contact_types', index, 'id'],
        target: 'value',
        message: `Contact type '${type.id}' is defined twice (contact_types[${first.index}] and [${index}]): cht-core always takes the first, so this one is never used.`,
        hint: 'Merge the two definitions, or give this one another id.',
      });
      return;
    }
    let parents: string[] = [];
    if (type.parents !== undefined) {
      if (Array.isArray(type.parents)) parents = type.parents.filter((p: unknown): p is string => typeof p === 'string');
      else {
        out.push({
          code: 'contact-types/parents-not-array',
          severity: 'warning',
          path: ['contact_types', index, 'parents'],
          target: 'value',
          message: `Contact type '${type.id}' has parents ${quote(type.parents)}, not an array: cht-core tests it with includes(), which on a string matches any part of it.`,
          hint: typeof type.parents === 'string' ? `Write "parents": ${JSON.stringify([type.parents])}.` : 'Write parents as an array of contact type ids.',
        });
        if (typeof type.parents === 'string') parents = [type.parents];
      }
    }
    const entry = { index, id: type.id, type, parents };
    entries.push(entry);
    byId.set(type.id, entry);
  });

  const ids = [...byId.keys()];
  for (const e of entries) {
    if (!Array.isArray(e.type.parents)) continue;
    e.type.parents.forEach((p: unknown, i: number) => {
      if (typeof p === 'string' && byId.has(p)) return;
      const suggestion = typeof p === 'string' ? didYouMean(p, ids) : undefined;
      out.push({
        code: 'contact-types/unknown-parent',
        severity: 'error',
        path: ['contact_types', e.index, 'parents', i],
        target: 'value',
        message: `Contact type '${e.id}' lists the parent ${quote(p)}, which is not a contact type id: the app never offers a '${e.id}' there.`,
        hint: suggestion ? `Did you mean '${suggestion}'?` : `Use one of: ${ids.join(', ')}.`,
        ...(suggestion ? { suggestion } : {}),
      });
    });
  }

  const stuck = unreachable(entries, byId);
  for (const id of stuck) {
    const e = byId.get(id)!;
    const cycle = cycleFrom(id, byId, stuck);
    // Types that merely sit below a cycle are reported through the cycle itself.
    if (!cycle) continue;
    out.push({
      code: 'contact-types/parent-cycle',
      severity: 'error',
      path: ['contact_types', e.index, 'parents'],
      target: 'value',
      message: `Contact type '${id}' can only be created under ${cycle.slice(1, -1).length ? 'types that lead back to it' : 'itself'} (${cycle.join(' → ')}), never under a top-level place: no '${id}' can ever be created.`,
      hint: 'Give one type in the cycle a parent that is created from the top of the hierarchy, or no parents to make it top-level.',
    });
  }

  const forms = ctx.hasContactFormsDir ? uploadedContactForms(ctx) : undefined;
  for (const e of entries) checkForms(ctx, e, forms, out);

  if (entries.length && !entries.some((e) => isPersonType(e.type))) {
    out.push({
      code: 'contact-types/no-person-type',
      severity: 'warning',
      path: ['contact_types'],
      target: 'value',
      message: 'contact_types defines no person type (person: true, or the id \'person\'): nobody can be registered as a person, and cht-core refuses to create a user whose contact is not a person.',
      hint: 'Add a person type, e.g. { "id": "person", "person": true, "parents": [...], "create_form": "form:contact:person:create", … }.',
    });
  }
  return out;
};
