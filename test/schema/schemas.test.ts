/** The schema files themselves: usable by editors, compiled in ajv's strict mode, precompiled code up to date. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compiledSchema,
  createAjv,
  generateValidatorsSource,
  loadValidators,
  readSchema,
  SCHEMA_NAMES,
  validatorFor,
  type JsonSchema,
} from '../../src/schema/ajv.js';
import { ROOT } from '../helpers/cli.js';

const require = createRequire(import.meta.url);

/** Every subschema that declares properties (outside conditions), with its JSON pointer. */
function objects(node: unknown, at = '#'): [string, JsonSchema][] {
  if (node === null || typeof node !== 'object') return [];
  const own: [string, JsonSchema][] = 'properties' in node ? [[at, node as JsonSchema]] : [];
  return [
    ...own,
    // Conditions (if/then/else/not) only restate properties declared, with their titles, beside them.
    ...Object.entries(node).flatMap(([k, v]) => (['enum', 'required', 'if', 'then', 'else', 'not'].includes(k) ? [] : objects(v, `${at}/${k}`))),
  ];
}

describe.each(SCHEMA_NAMES)('schemas/%s.schema.json', (name) => {
  const schema = readSchema(name);

  it('has $schema, $id, title and description, for editors', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(`https://unpkg.com/chtkit/schemas/${name}.schema.json`);
    expect(typeof schema.title).toBe('string');
    expect(String(schema.description).length).toBeGreaterThan(40);
  });

  it('gives every property a title', () => {
    for (const [at, node] of objects(schema)) {
      for (const [key, property] of Object.entries(node.properties as Record<string, JsonSchema | boolean>)) {
        if (typeof property === 'boolean') continue;
        expect(property.title ?? (property.$ref ? 'ref' : undefined), `${at}/properties/${key}`).toBeTruthy();
      }
    }
  });

  it('compiles in strict mode, without the precompiled code', () => {
    expect(() => createAjv({ standalone: false }).compile(compiledSchema(name))).not.toThrow();
  });
});

describe('the precompiled validators', () => {
  it('are generated from the current schemas (run scripts/generate-validators.js after editing one)', () => {
    const committed = readFileSync(path.join(ROOT, 'src', 'schema', 'validators.generated.ts'), 'utf8');
    expect(committed === generateValidatorsSource(), 'src/schema/validators.generated.ts is stale').toBe(true);
  });

  it('give the same errors as compiling the schemas', async () => {
    await loadValidators();
    const ajv = createAjv({ standalone: false });
    const samples: [(typeof SCHEMA_NAMES)[number], unknown][] = [
      ['task', [{ name: '', appliesTo: 'report', events: [{ days: '1', dueDate: 1, start: -1 }, {}], actions: [{ type: 'contact', form: 'x' }], extra: 1 }]],
      ['target', [{ id: 'x', type: 'percent', goal: 150, appliesTo: 'people', groupBy: 1, dhis: [{}], passesIf: () => 1 }, 'not a target']],
      ['forms', { A: { meta: {}, fields: { f: { labels: { short: 3 } } }, extra: true } }],
      ['schedules', [{ messages: [{ group: '1' }] }]],
      ['assetlinks', [{ relation: [], target: { namespace: 'ios' } }]],
      ['task-schedules', [{ events: [{ start: -1, days: 'x' }] }, 5]],
      ['app-settings', { max_task_notifications: 1.5, contact_types: [{}], forms: [] }],
    ];
    for (const [name, data] of samples) {
      const precompiled = validatorFor(name);
      const compiled = ajv.compile(compiledSchema(name));
      precompiled(data);
      compiled(data);
      expect(precompiled.errors, name).toEqual(compiled.errors);
      expect(precompiled.errors?.length, name).toBeGreaterThan(2);
    }
  });
});

describe('uniqueItemProperties', () => {
  it("flags the duplicates the semantic pass reports when ajv-keywords' own implementation runs the schemas", () => {
    const { Ajv } = require('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const keyword of ['typeof', 'uniqueItemProperties']) ajv.addKeyword((require(`ajv-keywords/dist/definitions/${keyword}`) as () => never)());
    const tasks = ajv.compile(compiledSchema('task'));
    const event = { id: 'e', days: 1, start: 0, end: 0 };
    const t = { name: 'n', title: 't', appliesTo: 'reports', actions: [{ form: 'f' }], events: [event] };
    expect(tasks([t, { ...t, name: 'm' }])).toBe(true);
    expect(tasks([t, t])).toBe(false);
    expect(tasks([{ ...t, events: [event, event] }])).toBe(false);
    const targets = ajv.compile(compiledSchema('target'));
    const target = { id: 'x', type: 'count', goal: 1, appliesTo: 'contacts' };
    expect(targets([target, target])).toBe(false);
  });
});
