import path from 'node:path';
import { isChtkitError } from '../errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatHuman } from '../report/human-diagnostics.js';
import type { LiveDiagnostic } from '../report/html/live.js';
import type { ReportData } from '../report/html/report-data.js';
import type { TasksRequest } from '../simulate/index.js';
import { reportDataFor } from '../cli/report-run.js';

export interface DevRequest extends Omit<TasksRequest, 'explain'> {
  projectDir: string;
  fixtureFiles: string[];
}

export type DevBuildResult =
  | { ok: true; data: ReportData; diagnostics: LiveDiagnostic[]; notes: string[] }
  | { ok: false; diagnostics: LiveDiagnostic[] };

/**
 * One build, as the CLI would run it: validate the project (its errors stop the build, as they stop
 * compile-app-settings), compile it in memory, dry-run the fixtures over the span, and make the report's data.
 * Anything the user can fix — a syntax error, a schema error, rules that throw, fixtures that are not JSON —
 * comes back as diagnostics; anything else is a bug in chtkit and is thrown.
 */
export async function runDevBuild(request: DevRequest): Promise<DevBuildResult> {
  const { projectDir, fixtureFiles, ...tasks } = request;
  const warnings: Diagnostic[] = [];
  try {
    const [{ validateProject }, { loadDryRun }] = await Promise.all([import('../schema/validate.js'), import('../simulate/index.js')]);
    // Validation and the in-memory compile run side by side (each mostly waits on esbuild); validation's errors
    // win, as they stop compile-app-settings. In memory, and not through the compile cache: a build follows
    // every save, the cache would only fill up.
    const [validation, compiled] = await Promise.all([
      validateProject(projectDir, { contactSummary: true }),
      loadDryRun({ kind: 'project', dir: projectDir }, fixtureFiles, { cache: false }).then(
        (loaded) => ({ loaded }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (validation.diagnostics.some((d) => d.severity === 'error')) {
      return { ok: false, diagnostics: await liveDiagnostics(validation.diagnostics, projectDir) };
    }
    warnings.push(...validation.diagnostics);
    if ('error' in compiled) throw compiled.error;
    const { loaded } = compiled;
    const { data, notes } = await reportDataFor({ source: { kind: 'project', dir: projectDir } }, loaded, { ...tasks, reuse: 'auto' });
    return { ok: true, data, diagnostics: await liveDiagnostics(warnings, projectDir), notes };
  } catch (err) {
    if (!isChtkitError(err)) throw err;
    const diagnostics: Diagnostic[] = err.diagnostics.length
      ? err.diagnostics
      : [{ severity: 'error', code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }];
    if (err.diagnostics.length && !diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({ severity: 'error', code: err.code, message: err.message });
    }
    return { ok: false, diagnostics: await liveDiagnostics(diagnostics, projectDir) };
  }
}

/** Diagnostics for the page: paths relative to the project, and the CLI's own text for each. */
async function liveDiagnostics(diagnostics: readonly Diagnostic[], projectDir: string): Promise<LiveDiagnostic[]> {
  return Promise.all(diagnostics.map(async (d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.file ? { file: path.relative(projectDir, d.file).split(path.sep).join('/') } : {}),
    ...(d.line !== undefined ? { line: d.line } : {}),
    ...(d.column !== undefined ? { column: d.column } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    text: (await formatHuman([d], { colour: false, cwd: projectDir })).trimEnd(),
  })));
}
