import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** The schemas in `schemas/`, by the name their file starts with. */
export const SCHEMA_NAMES = ['task', 'target', 'app-settings', 'forms', 'schedules', 'assetlinks', 'task-schedules'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** `schemas/` ships next to `dist/` (and `src/`), so the same relative path works from the build and from source. */
export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

export function schemaPath(name: SchemaName): string {
  return path.join(SCHEMAS_DIR, `${name}.schema.json`);
}

export type JsonSchema = Record<string, unknown>;

const texts = new Map<SchemaName, string>();
function schemaText(name: SchemaName): string {
  let text = texts.get(name);
  if (text === undefined) {
    text = readFileSync(schemaPath(name), 'utf8');
    texts.set(name, text);
  }
  return text;
}

const parsed = new Map<SchemaName, JsonSchema>();
/** The schema document (shared: do not modify it). */
export function readSchema(name: SchemaName): JsonSchema {
  let schema = parsed.get(name);
  if (!schema) {
    schema = JSON.parse(schemaText(name)) as JsonSchema;
    parsed.set(name, schema);
  }
  return schema;
}

/**
 * The schema as it is compiled: every local `$ref` replaced by the definition it points at. ajv reports errors
 * inside a referenced schema relative to that schema, which would make an error's schemaPath ambiguous; with
 * no refs left, every schemaPath is a plain path into this one document (the schemas are not recursive).
 */
const expanded = new Map<SchemaName, JsonSchema>();
export function compiledSchema(name: SchemaName): JsonSchema {
  let schema = expanded.get(name);
  if (!schema) {
    const root = readSchema(name);
    const definitions = (root.definitions ?? {}) as Record<string, unknown>;
    const inline = (node: unknown, depth: number): unknown => {
      if (depth > 64) throw new Error(`schemas/${name}.schema.json: $ref nesting too deep (recursive?)`);
      if (Array.isArray(node)) return node.map((n) => inline(n, depth + 1));
      if (node === null || typeof node !== 'object') return node;
      const { $ref, ...rest } = node as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      if (typeof $ref === 'string') {
        const target = definitions[$ref.replace('#/definitions/', '')];
        if (!$ref.startsWith('#/definitions/') || target === undefined) throw new Error(`schemas/${name}.schema.json: cannot resolve ${$ref}`);
        Object.assign(out, inline(target, depth + 1));
      }
      for (const [key, value] of Object.entries(rest)) if (key !== 'definitions') out[key] = inline(value, depth + 1);
      return out;
    };
    schema = inline(root, 0) as JsonSchema;
    expanded.set(name, schema);
  }
  return schema;
}

/**
 * Identifies the schema texts the generated validators were built from. Not for security: a 53-bit hash in the
 * manner of cyrb53, over 32-bit words (loading node:crypto alone would add ~13 ms to every run, and a loop
 * over characters a few more).
 */
export function schemasHash(): string {
  const bytes = Buffer.from(SCHEMA_NAMES.map((name) => `${name}\0${schemaText(name)}`).join('\0'), 'utf8');
  const words = Math.floor(bytes.length / 4);
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < words; i++) {
    const w = bytes.readInt32LE(i * 4);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  for (let i = words * 4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 2654435761);
    h2 = Math.imul(h2 ^ bytes[i]!, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

// ajv and ajv-keywords are CommonJS: required, not imported, to skip the ESM importer's export scan.
const require = createRequire(import.meta.url);

/**
 * The one ajv configuration, for the generated validators and for the fallback compile alike.
 * `uniqueItemProperties` is declared but not enforced here: duplicates are found by the semantic pass, which can
 * say which items collide (ajv-keywords' implementation only says that some do, and cannot be precompiled).
 */
export function createAjv(options: { standalone: boolean }): AjvModule.default {
  const { Ajv } = require('ajv') as typeof AjvModule;
  const ajv = new Ajv({
    allErrors: true,
    // No schema or data on errors, and no default messages: schema-errors.ts finds both from the paths and
    // writes its own sentences, and the generated code is half the size.
    verbose: false,
    messages: false,
    strict: true,
    strictTypes: false,
    // Conditional `required` (in if/then) names properties declared beside the condition, which strict mode rejects.
    strictRequired: false,
    // Lengths by UTF-16 units: the limits are 1 and 15 characters of ids, and the code needs no runtime import.
    unicode: false,
    // Never print: every problem is returned as a diagnostic.
    logger: false,
    ...(options.standalone ? { code: { source: true, esm: true } } : {}),
  });
  // Function-typed fields (appliesIf, resolvedIf...) are checked by ajv-keywords' `typeof`.
  ajv.addKeyword((require('ajv-keywords/dist/definitions/typeof') as () => AjvModule.KeywordDefinition)());
  ajv.addKeyword({ keyword: 'uniqueItemProperties', schemaType: 'array' });
  // VS Code's own extension keyword: a sentence for editors, reused here as the "what is allowed" text.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

/** The source of `validators.generated.ts`: every schema precompiled, so a run never pays ajv's compile (~100 ms). */
export function generateValidatorsSource(): string {
  const standalone = (require('ajv/dist/standalone') as { default: (ajv: AjvModule.default, refs: Record<string, string>) => string })
    .default;
  const ajv = createAjv({ standalone: true });
  for (const name of SCHEMA_NAMES) ajv.addSchema(compiledSchema(name), name);
  const refs = Object.fromEntries(SCHEMA_NAMES.map((n) => [exportName(n), n]));
  const code = standalone(ajv, refs);
  return [
    '/* eslint-disable */',
    '// @ts-nocheck',
    '// Generated from schemas/*.schema.json by scripts/generate-validators.js: do not edit.',
    `export const SCHEMAS_HASH = ${JSON.stringify(schemasHash())};`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}

export function exportName(name: SchemaName): string {
  return name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}

const validators = new Map<SchemaName, ValidateFunction>();
let generated: Record<string, unknown> | undefined;
let fallback: AjvModule.default | undefined;

/**
 * Loads the precompiled validators. They are generated from the schemas (scripts/generate-validators.js) and a
 * test fails while they are stale, so a run trusts them rather than hashing every schema first (~13 ms).
 */
export async function loadValidators(): Promise<void> {
  if (generated !== undefined) return;
  generated = (await import('./validators.generated.js')) as Record<string, unknown>;
}

export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const precompiled = generated?.[exportName(name)];
    if (typeof precompiled === 'function') {
      validate = precompiled as ValidateFunction;
    } else {
      fallback ??= createAjv({ standalone: false });
      validate = fallback.compile(compiledSchema(name));
    }
    validators.set(name, validate);
  }
  return validate;
}

/** Validates `data` against a schema; ajv's raw errors (with parentSchema and data), or none. */
export function validateAgainst(name: SchemaName, data: unknown): ErrorObject[] {
  const validate = validatorFor(name);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
