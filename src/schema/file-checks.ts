import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as Acorn from 'acorn';
import { readPurge } from '../bundle/purge.js';
import { UserError } from '../errors.js';
import type { ConfigProject } from '../project/project.js';
import { readJsonFile, type JsonFile } from '../project/read-json.js';
import { lineTextAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { validateAgainst, type SchemaName } from './ajv.js';
import { JsonLocator } from './json-locations.js';
import { diagnosticsOf, formatPath } from './problems.js';
import { describeErrors } from './schema-errors.js';

/** What to do with a user error that stops one check: report it as diagnostics, or (compile) re-throw it. */
export type OnFatal = (err: unknown, file?: string) => Diagnostic[];

/** Reads a JSON file and checks it against its schema. Returns the parsed value, or undefined when unreadable. */
export function checkJsonFile(
  file: string,
  schema: SchemaName | undefined,
  out: Diagnostic[],
  onFatal: OnFatal = diagnosticsOf,
  onRead?: (read: JsonFile) => void,
): unknown {
  let parsed;
  try {
    parsed = readJsonFile(file);
  } catch (err) {
    out.push(...onFatal(err, file));
    return undefined;
  }
  onRead?.(parsed);
  if (!schema) return parsed.value;
  const errors = validateAgainst(schema, parsed.value);
  if (errors.length === 0) return parsed.value;
  const locator = new JsonLocator(parsed.text.replace(/^\uFEFF/, ''));
  for (const problem of describeErrors(schema, errors, parsed.value)) {
    const d: Diagnostic = { severity: 'error', code: problem.code, message: problem.message, file };
    const shown = formatPath(problem.path);
    if (shown) d.path = shown;
    if (problem.suggestion) d.suggestion = problem.suggestion;
    if (problem.hint) d.hint = problem.hint;
    const where = locator.locate(problem.path, problem.target);
    if (where) Object.assign(d, where);
    out.push(d);
  }
  return parsed.value;
}

/**
 * The advice compile gives for forms/schedules kept in base_settings.json (same code and words, so they merge).
 * A note: nothing misbehaves at runtime, and cht-conf's own schedules.json schema rejects message arrays that
 * cht-core runs, so moving them is not always possible.
 */
export function placementWarnings(project: ConfigProject, settings: unknown): Diagnostic[] {
  if (project.settings.mode !== 'modular' || !settings || typeof settings !== 'object') return [];
  return (['forms', 'schedules'] as const)
    .filter((key) => (settings as Record<string, unknown>)[key])
    .map((key) => ({
      severity: 'note' as const,
      code: 'project/settings-key-placement',
      message: `"${key}" should be defined in app_settings/${key}.json, not in base_settings.json.`,
      file: project.settings.file,
    }));
}

function syntaxDiagnostic(file: string, text: string, err: unknown): Diagnostic | undefined {
  const e = err as { loc?: { line: number; column: number }; message?: string };
  if (!e.loc) return undefined;
  const lineText = lineTextAt(text, e.loc.line);
  return {
    severity: 'error',
    code: 'syntax-error',
    message: `Syntax error: ${(e.message ?? '').replace(/\s*\(\d+:\d+\)$/, '')}.`,
    file,
    line: e.loc.line,
    column: e.loc.column + 1,
    length: 1,
    ...(lineText !== undefined ? { lineText } : {}),
  };
}

/** Where an exception thrown while Node loaded `file` came from, read from its stack. */
function thrownAt(file: string, text: string, err: unknown): Partial<Diagnostic> {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  if (!m) return {};
  const line = Number(m[1]);
  const lineText = lineTextAt(text, line);
  return { line, column: Number(m[2]), ...(lineText !== undefined ? { lineText } : {}) };
}

/**
 * purge.js runs on the server and compile loads it with Node's require. When that fails, a syntax error is
 * located with acorn and an exception from its stack (acorn is loaded only then: most projects load cleanly).
 */
export function checkPurge(project: ConfigProject, onFatal: OnFatal = diagnosticsOf): Diagnostic[] {
  const purge = project.purge;
  if (!purge) return [];
  try {
    readPurge(purge, () => {
      const legacy = path.join(project.dir, 'app_settings.json');
      return existsSync(legacy) ? (readJsonFile<Record<string, unknown>>(legacy).value ?? {}) : {};
    });
    return [];
  } catch (err) {
    const text = readFileSync(purge.file, 'utf8');
    if (purge.kind === 'purge.js') {
      try {
        Acorn.parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
      } catch (syntax) {
        const located = syntaxDiagnostic(purge.file, text, syntax);
        if (located) return onFatal(new UserError(`${purge.file} has a syntax error.`, { code: 'CHT_E_PURGE', diagnostics: [located] }));
      }
    }
    const diagnostics = onFatal(err, purge.file);
    if (purge.kind === 'purge.js' && diagnostics.length === 1 && /could not be loaded/.test(diagnostics[0]!.message)) {
      try {
        const load = createRequire(purge.file);
        delete load.cache[load.resolve(purge.file)];
        load(purge.file);
      } catch (thrown) {
        Object.assign(diagnostics[0]!, thrownAt(purge.file, text, thrown));
      }
    }
    return diagnostics;
  }
}
