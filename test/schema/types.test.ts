/**
 * The TypeScript declarations for config authors (types/index.d.ts) and the schemas are one contract: the
 * same fields, the same required fields, the same kinds of values. These tests fail when they drift apart, and
 * prove the declarations do their job in plain JavaScript (JSDoc `@type`), through the package name.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledSchema, type JsonSchema } from '../../src/schema/ajv.js';
import { fixture, ROOT } from '../helpers/cli.js';

type Node = JsonSchema & { properties?: Record<string, Node>; required?: string[]; anyOf?: Node[]; enum?: unknown[]; items?: Node };

const program = ts.createProgram([path.join(ROOT, 'types', 'index.d.ts')], { strict: true, noEmit: true, types: [] });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, 'types', 'index.d.ts'))!)!;
const exported = checker.getExportsOfModule(moduleSymbol);

function declared(name: string): ts.Type {
  const symbol = exported.find((s) => s.name === name);
  if (!symbol) throw new Error(`types/index.d.ts does not export ${name}`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

function at(schema: 'task' | 'target', ...keys: (string | number)[]): Node {
  let node = compiledSchema(schema) as unknown;
  for (const k of keys) node = (node as Record<string | number, unknown>)[k];
  return node as Node;
}

/** The kinds of value a schema node allows: 'string', 'number', 'function', 'array', or a literal `'x'`. */
function schemaKinds(node: Node): string[] {
  if (node.anyOf) return node.anyOf.flatMap(schemaKinds);
  if (node.enum) return node.enum.map((v) => `'${String(v)}'`);
  if (node.const !== undefined) return [`'${String(node.const)}'`];
  if (node.typeof === 'function') return ['function'];
  const type = node.type === 'integer' ? 'number' : String(node.type);
  return [type];
}

function tsKinds(type: ts.Type): string[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.flatMap((t) => {
    if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Never)) return [];
    if (t.isStringLiteral()) return [`'${t.value}'`];
    if (t.flags & ts.TypeFlags.String) return ['string'];
    if (t.flags & ts.TypeFlags.Number) return ['number'];
    if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return ['boolean'];
    if (checker.isArrayType(t)) return ['array'];
    if (t.getCallSignatures().length) return ['function'];
    return ['object'];
  });
}

const uniq = (values: string[]) => [...new Set(values)].sort();

/** Fields of a declared type (across a union's members), which are required in all members, and their kinds. */
function fields(type: ts.Type): { names: string[]; required: string[]; kinds: Map<string, string[]>; open: boolean } {
  const members = type.isUnion() ? type.types : [type];
  const kinds = new Map<string, string[]>();
  const requiredIn = new Map<string, number>();
  for (const member of members) {
    for (const prop of checker.getPropertiesOfType(member)) {
      const propType = checker.getTypeOfSymbol(prop);
      kinds.set(prop.name, uniq([...(kinds.get(prop.name) ?? []), ...tsKinds(propType)]));
      if (!(prop.flags & ts.SymbolFlags.Optional)) requiredIn.set(prop.name, (requiredIn.get(prop.name) ?? 0) + 1);
    }
  }
  const required = [...requiredIn].filter(([, n]) => n === members.length).map(([k]) => k);
  const open = members.every((m) => checker.getIndexInfosOfType(m).length > 0);
  return { names: uniq([...kinds.keys()]), required: uniq(required), kinds, open };
}

const PAIRS: [string, Node][] = [
  ['Task', at('task', 'items')],
  ['TaskEvent', at('task', 'items', 'properties', 'events', 'items')],
  ['TaskAction', at('task', 'items', 'properties', 'actions', 'items')],
  ['TaskPriority', at('task', 'items', 'properties', 'priority', 'anyOf', 0)],
  ['Target', at('target', 'items')],
  ['TargetDhis', at('target', 'items', 'properties', 'dhis', 'anyOf', 0)],
  ['TargetPassesIfGroupCount', at('target', 'items', 'properties', 'passesIfGroupCount')],
];

describe('types/index.d.ts and the schemas', () => {
  it.each(PAIRS)('%s has exactly the fields, required fields and value kinds of its schema', (name, node) => {
    const ours = fields(declared(name));
    expect(ours.names, `${name}: field names`).toEqual(uniq(Object.keys(node.properties ?? {})));
    expect(ours.required, `${name}: required fields`).toEqual(uniq(node.required ?? []));
    for (const [field, schema] of Object.entries(node.properties ?? {})) {
      expect(ours.kinds.get(field), `${name}.${field}: kinds of value`).toEqual(uniq(schemaKinds(schema)));
    }
    expect(ours.open, `${name}: extra keys allowed`).toBe(node.additionalProperties !== false);
  });

  it('declares the globals config code sees', () => {
    const text = readFileSync(path.join(ROOT, 'types', 'index.d.ts'), 'utf8');
    for (const global of ['const Utils: ChtUtils', 'const user:', 'const cht: ChtApi']) expect(text).toContain(global);
  });
});

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A project with chtkit installed (node_modules/chtkit → this repository) and the given files. */
function project(files: Record<string, string>, from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-types-'));
  temps.push(dir);
  if (from) cpSync(from, dir, { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'chtkit'), 'dir');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

function typeErrors(dir: string, files: string[], resolution: 'node10' | 'node16'): string[] {
  // What an editor applies to a `// @ts-check` JavaScript file without a jsconfig: not TypeScript 6's strict.
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: false,
    types: [],
    ...(resolution === 'node16'
      ? { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }
      : { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, ignoreDeprecations: '6.0' }),
  };
  const p = ts.createProgram(files.map((f) => path.join(dir, f)), options);
  return ts
    .getPreEmitDiagnostics(p)
    .filter((d) => !d.file || files.some((f) => d.file!.fileName.endsWith(f)))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** The README's pattern: the array in a typed const (a JSDoc type on `module.exports = ` itself is not applied). */
const annotate = (text: string, type: string) =>
  `// @ts-check\n${text.replace('module.exports = [', `/** @type {import('chtkit/types').${type}[]} */\nconst definitions = [`)}\nmodule.exports = definitions;\n`;

describe.each(['node10', 'node16'] as const)('JSDoc types in tasks.js and targets.js (%s resolution)', (resolution) => {
  it('accept the example app as it is', () => {
    const source = fixture('example-app');
    const dir = project(
      {
        'tasks.js': annotate(readFileSync(path.join(source, 'tasks.js'), 'utf8'), 'Task'),
        'targets.js': annotate(readFileSync(path.join(source, 'targets.js'), 'utf8'), 'Target'),
      },
      source,
    );
    expect(typeErrors(dir, ['tasks.js', 'targets.js'], resolution)).toEqual([]);
  });

  it('report a misspelt key, a wrong enum value, days with dueDate and a form on a contact action', () => {
    const dir = project({
      'tasks.js': annotate(
        [
          'module.exports = [',
          "  { name: 'a', title: 't', appliesTo: 'reports', apliesToType: ['x'], events: [{ days: 1, start: 0, end: 0 }], actions: [{ form: 'f' }] },",
          "  { name: 'b', title: 't', appliesTo: 'report', events: [{ days: 1, start: 0, end: 0 }], actions: [{ form: 'f' }] },",
          "  { name: 'c', title: 't', appliesTo: 'reports', events: [{ days: 1, dueDate: () => new Date(), start: 0, end: 0 }], actions: [{ form: 'f' }] },",
          "  { name: 'd', title: 't', appliesTo: 'contacts', events: [{ days: 1, start: 0, end: 0 }], actions: [{ type: 'contact', form: 'f' }], resolvedIf: () => true },",
          '];',
          '',
        ].join('\n'),
        'Task',
      ),
    });
    const errors = typeErrors(dir, ['tasks.js'], resolution).join('\n');
    expect(errors).toContain("'apliesToType' does not exist in type");
    expect(errors).toContain('appliesToType');
    expect(errors).toContain('"report"');
    expect(errors).toMatch(/dueDate|days/);
    expect(errors).toMatch(/form/);
    expect(typeErrors(dir, ['tasks.js'], resolution).length).toBeGreaterThanOrEqual(4);
  });

  it('type the globals Utils, user and cht', () => {
    const dir = project({
      'globals.js': [
        '// @ts-check',
        "/// <reference types=\"chtkit/types\" />",
        'const due = Utils.addDate(new Date(), 3);',
        'const name = user.name;',
        "const allowed = cht.v1.hasPermissions('can_view_tasks');",
        'const wrong = Utils.addDays(due, 1);',
        'module.exports = { due, name, allowed, wrong };',
        '',
      ].join('\n'),
    });
    const errors = typeErrors(dir, ['globals.js'], resolution);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Property 'addDays' does not exist on type 'ChtUtils'");
  });

  it('type a templated contact summary and its globals', () => {
    const dir = project({
      'contact-summary.templated.js': [
        '// @ts-check',
        '/// <reference types="chtkit/types/contact-summary" />',
        "const visits = reports.filter((r) => r.form === 'visit').length;",
        '/** @type {import(\'chtkit/types\').ContactSummary} */',
        'const summary = {',
        "  fields: [{ appliesToType: 'person', label: 'contact.age', value: contact.date_of_birth, width: 4 }],",
        "  cards: [{ label: 'card', appliesToType: 'report', fields: (report) => [{ label: 'x', value: report && report.form }], colapsed: true }],",
        '  context: { visits, parent: lineage[0] && lineage[0].name },',
        '};',
        'module.exports = summary;',
        '',
      ].join('\n'),
    });
    const errors = typeErrors(dir, ['contact-summary.templated.js'], resolution);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'colapsed' does not exist in type 'ContactSummaryCard'");
  });
});
