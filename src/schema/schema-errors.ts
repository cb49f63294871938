import type { ErrorObject } from 'ajv';
import { compiledSchema, type JsonSchema, type SchemaName } from './ajv.js';
import { didYouMean, listOf } from './did-you-mean.js';

export type Segment = string | number;

/** One schema violation in plain words, not yet located in a file. */
export interface SchemaProblem {
  /** `schema/<ajv keyword>`. */
  code: string;
  /** From the validated value's root to the offending value (or to the unknown or missing key). */
  path: Segment[];
  /** What the location should point at: the value, its key, or (for a missing key) the object that lacks it. */
  target: 'value' | 'key' | 'missing';
  message: string;
  suggestion?: string;
  hint?: string;
}

type Schemaish = JsonSchema & {
  errorMessage?: string;
  title?: string;
  properties?: Record<string, Schemaish | boolean>;
  not?: Schemaish;
  typeof?: string;
  enum?: unknown[];
  type?: string;
};

/** `a string ("yes")`, `the number 5`, `an empty array`... */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length ? `an array of ${value.length} item${value.length === 1 ? '' : 's'}` : 'an empty array';
  if (value instanceof Date) return 'a Date';
  return 'an object';
}

/** `a task`, `an event`, `form metadata` (a mass noun takes no article), `a JSON form` (acronyms keep their case). */
function named(title: string): string {
  const words = title.split(' ').map((w) => (/^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase()));
  const phrase = words.join(' ');
  if (/(metadata|settings)$/.test(phrase)) return phrase;
  return /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** A shared definition's sentence starts with "must ...": put the field's name in front. */
function sentence(expected: string, field: string): string {
  return expected.startsWith('must ') ? `${field} ${expected}` : expected;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  function: 'a function',
  null: 'null',
};

function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (!pointer) return [];
  const segments: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: Segment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    segments.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}

/** The schema node at a JSON pointer of the root schema document (for errors that carry no parentSchema). */
function nodeAt(root: JsonSchema, pointer: string): Schemaish | undefined {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node !== null && typeof node === 'object' ? (node as Schemaish) : undefined;
}

function dataAt(data: unknown, path: readonly Segment[]): unknown {
  let node = data;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

/**
 * The precompiled validators do not attach schemas or data to their errors (that doubles their size): both are
 * found again here, from the error's schema path and instance path.
 */
interface Detailed {
  error: ErrorObject;
  path: Segment[];
  data: unknown;
  parent: Schemaish | undefined;
}

function detail(root: JsonSchema, e: ErrorObject, data: unknown): Detailed {
  const path = pointerSegments(e.instancePath, data);
  return { error: e, path, data: dataAt(data, path), parent: nodeAt(root, e.schemaPath.replace(/\/[^/]*$/, '')) };
}

function fieldName(path: readonly Segment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the value';
  if (typeof last === 'string') return last;
  const parent = path[path.length - 2];
  return typeof parent === 'string' ? `${parent}[${last}]` : `item ${last}`;
}

/** `ajv` errors for one validated value → one plain problem per real mistake (branches of `anyOf` merged). */
export function describeErrors(schemaName: SchemaName, errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const root = compiledSchema(schemaName);
  // `if` only says which branch applied; uniqueness is the semantic pass's; propertyNames' inner errors repeat it.
  const live = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'uniqueItemProperties' && e.propertyName === undefined);
  const consumed = new Set<ErrorObject>();
  const problems: SchemaProblem[] = [];

  // anyOf nodes in chtkit's schemas hold only the alternatives, so every error in their instance subtree is theirs.
  const anyOfs = live.filter((e) => e.keyword === 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length);
  for (const a of anyOfs) {
    if (consumed.has(a)) continue;
    const at = a.instancePath;
    const group = live.filter((e) => e !== a && !consumed.has(e) && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    // Errors about the inside of an object or array (a missing key, a bad item) mean the value has the shape of
    // that alternative; errors about the value itself (an enum, a length) mean it fits none.
    const inside = (e: ErrorObject) => e.instancePath !== at || ['required', 'additionalProperties', 'propertyNames'].includes(e.keyword);
    const deeper = group.filter(inside);
    const shallowValue = group.filter((e) => !inside(e) && !['type', 'typeof', 'anyOf'].includes(e.keyword));
    consumed.add(a);
    for (const e of group) consumed.add(e);
    if (deeper.length && !shallowValue.length) {
      // The value has the shape of one alternative (e.g. a priority object): its own errors say more.
      for (const e of deeper) consumed.delete(e);
      continue;
    }
    problems.push(anyOfProblem(detail(root, a, data), shallowValue.map((e) => detail(root, e, data))));
  }
  for (const e of live) if (!consumed.has(e)) problems.push(problemFor(root, detail(root, e, data)));

  const seen = new Set<string>();
  return mergeMisspeltRequired(problems).filter((p) => {
    const key = `${JSON.stringify(p.path)}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `goals: 80` where `goal` is required gives two errors for one slip: keep the unknown key (with its
 * did-you-mean) and say there that the key it meant is required.
 */
function mergeMisspeltRequired(problems: SchemaProblem[]): SchemaProblem[] {
  const parentOf = (p: SchemaProblem) => JSON.stringify(p.path.slice(0, -1));
  const merged = new Set<SchemaProblem>();
  for (const unknown of problems) {
    if (unknown.code !== 'schema/additionalProperties' || !unknown.suggestion) continue;
    const missing = problems.find(
      (p) => p.code === 'schema/required' && !merged.has(p) && parentOf(p) === parentOf(unknown) && p.path[p.path.length - 1] === unknown.suggestion,
    );
    if (!missing) continue;
    merged.add(missing);
    unknown.message = `${unknown.message} The required ${unknown.suggestion} is missing.`;
  }
  return problems.filter((p) => !merged.has(p));
}

function anyOfProblem({ path, data, parent }: Detailed, shallow: Detailed[]): SchemaProblem {
  const field = fieldName(path);
  const expected = parent?.errorMessage ? sentence(parent.errorMessage, field) : `${field} does not match any allowed form.`;
  const problem: SchemaProblem = {
    code: 'schema/anyOf',
    path,
    target: 'value',
    message: `${expected} It is ${describeValue(data)}.`,
  };
  for (const { error: e, data: value } of shallow) {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
    if (e.keyword === 'enum' && typeof value === 'string' && allowed) {
      const suggestion = didYouMean(value, allowed.map(String));
      if (suggestion) problem.suggestion = `'${suggestion}'`;
    }
  }
  return problem;
}

function problemFor(root: JsonSchema, { error: e, path, data, parent }: Detailed): SchemaProblem {
  const field = fieldName(path);
  const found = describeValue(data);
  const expected = parent?.errorMessage === undefined ? undefined : sentence(parent.errorMessage, field);
  const params = e.params as Record<string, unknown>;
  const value = (message: string, extra: Partial<SchemaProblem> = {}): SchemaProblem => ({
    code: `schema/${e.keyword}`,
    path,
    target: 'value',
    message,
    ...extra,
  });

  switch (e.keyword) {
    case 'type':
    case 'typeof': {
      const wanted = String(params.type ?? parent?.typeof);
      const problem = value(`${expected ?? `${field} must be ${TYPE_WORDS[wanted] ?? wanted}.`} It is ${found}.`);
      if (wanted === 'array' && typeof data === 'string') problem.suggestion = `[${JSON.stringify(data)}]`;
      return problem;
    }
    case 'enum':
    case 'const': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
      const problem = value(`${field} must be ${listOf(allowed)}, not ${typeof data === 'string' ? `'${data}'` : describeValue(data)}.`);
      if (expected) problem.message = `${expected} It is ${found}.`;
      if (typeof data === 'string' && allowed.length > 1) {
        const suggestion = didYouMean(data, allowed.filter((v): v is string => typeof v === 'string'));
        if (suggestion) problem.suggestion = `'${suggestion}'`;
      }
      return problem;
    }
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit);
      const fallback = e.keyword === 'minLength'
        ? limit === 1 ? `${field} must not be empty.` : `${field} must be at least ${limit} characters long.`
        : `${field} must be at most ${limit} characters long.`;
      const length = typeof data === 'string' && data !== '' ? ` (${data.length} characters)` : '';
      return value(`${expected ?? fallback} It is ${found}${length}.`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'or more', maximum: 'or less', exclusiveMinimum: 'exclusive minimum', exclusiveMaximum: 'exclusive maximum' };
      return value(`${expected ?? `${field} must be ${String(params.limit)} ${words[e.keyword]}.`} It is ${found}.`);
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params.limit);
      const fallback = e.keyword === 'minItems'
        ? `${field} must have at least ${limit} item${limit === 1 ? '' : 's'}.`
        : `${field} must have at most ${limit} item${limit === 1 ? '' : 's'}.`;
      return value(`${expected ?? fallback} It is ${found}.`);
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const property = parent?.properties?.[missing];
      const own = typeof property === 'object' ? property : undefined;
      let message: string;
      if (expected) message = expected;
      else if (own?.errorMessage?.startsWith(`${missing} must `)) message = own.errorMessage.replace(/^(\S+) must /, '$1 is required and must ');
      else if (own?.enum) message = `${missing} is required: ${listOf(own.enum as unknown[])}.`;
      else message = `${missing} is required${own?.type ? `: ${TYPE_WORDS[String(own.type)] ?? String(own.type)}` : ''}.`;
      return { code: 'schema/required', path: [...path, missing], target: 'missing', message };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const thing = named(parent?.title ?? 'object');
      const problem: SchemaProblem = {
        code: 'schema/additionalProperties',
        path: [...path, key],
        target: 'key',
        message: `${key} is not a field of ${thing}, so the CHT would not use it (cht-conf rejects it too).`,
      };
      const suggestion = didYouMean(key, known);
      if (suggestion) problem.suggestion = suggestion;
      if (known.length) problem.hint = `The fields of ${thing} are: ${known.join(', ')}.`;
      return problem;
    }
    case 'false schema': {
      // `properties: { x: false }` inside a then/else: the sentence is on that then/else node.
      const owner = nodeAt(root, e.schemaPath.replace(/\/properties\/[^/]+\/false schema$/, ''));
      return { code: 'schema/forbidden', path, target: 'key', message: owner?.errorMessage ?? `${field} is not allowed here.` };
    }
    case 'not': {
      const forbidden = parent?.not && Array.isArray(parent.not.required) ? (parent.not.required as string[]) : [];
      const present = forbidden.find((k) => data !== null && typeof data === 'object' && k in data);
      return {
        code: 'schema/not',
        path: present ? [...path, present] : path,
        target: present ? 'key' : 'value',
        message: expected ?? `${field} has a combination of fields that is not allowed.`,
      };
    }
    case 'propertyNames':
      return { code: 'schema/propertyNames', path: [...path, String(params.propertyName)], target: 'key', message: 'Keys must not be empty strings.' };
    default:
      return value(`${field} ${e.message ?? 'is not valid'}.`);
  }
}
