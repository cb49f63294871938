import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { findProject, type ConfigProject } from '../project/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadValidators, validateAgainst } from './ajv.js';
import { checkJsonFile, checkPurge, placementWarnings, type OnFatal } from './file-checks.js';
import { bundleCached } from '../bundle/cached-bundle.js';
import type { CompileCacheOptions } from '../bundle/cached-compile.js';
import { contactSummaryEntry } from '../bundle/contact-summary.js';
import type { BundleOutput, BundleRequest } from '../bundle/esbuild.js';
import { configLoaderRequest, loadConfigModules, type LoadedConfig } from '../bundle/load-config.js';
import type { JsSource, LocatableProblem } from './locate-js.js';
import { diagnosticsOf, schemaView } from './problems.js';
import { namesInCode, projectFacts, type ProjectFacts } from './project-facts.js';
import { describeErrors } from './schema-errors.js';
import { targetSemantics, taskSemantics } from './semantic.js';
import { newestKnown, type CoreVersion } from './workflows/core-version.js';
import type { SettingsSource } from './workflows/index.js';
import { readAllTranslations } from '../project/translations.js';

export interface ValidateOptions {
  /**
   * Also bundle the contact summary to report its syntax and import errors. compile-app-settings leaves this
   * off: it bundles the contact summary right after and reports the same located errors.
   */
  contactSummary?: boolean;
  /**
   * Re-throw the first user error that stops a check (unreadable file, syntax error, load-time exception)
   * instead of reporting it and going on: compile-app-settings fails with exactly the error it always gave.
   */
  failFast?: boolean;
  /** The cht-core version the SMS, outbound and permission checks follow (default: the newest chtkit knows). */
  coreVersion?: CoreVersion;
  /**
   * The compile cache, for the bundles validation makes of tasks.js/targets.js and the contact summary (default:
   * off). Only the bundles are cached: every check runs every time.
   */
  cache?: CompileCacheOptions;
}

/** A task or target that was checked (reports list the clean ones too, e.g. as passing JUnit test cases). */
export interface CheckedDefinition {
  kind: 'task' | 'target';
  file: string;
  index: number;
  name?: string;
}

export interface ValidationResult {
  projectDir: string;
  /** Every problem found, errors and warnings, ordered by file and position. */
  diagnostics: Diagnostic[];
  /** The files that were checked, in the order they were read. */
  files: string[];
  definitions: CheckedDefinition[];
  /** tasks.js and targets.js as loaded for the checks, for compile-app-settings to reuse instead of loading twice. */
  loaded?: LoadedConfig;
}

/**
 * Checks a config project without writing anything: its files (JSON syntax and schemas), the code of tasks.js
 * and targets.js as the compiled bundle sees it (syntax, load-time exceptions, the task and target schemas) and
 * what the schemas cannot express (duplicates, unknown forms and types, tasks that can never show or resolve).
 * Every problem is returned at once; only a bug in chtkit throws.
 */
export async function validateProject(rootDir: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const result: ValidationResult = { projectDir: rootDir, diagnostics: [], files: [], definitions: [] };
  const onFatal: OnFatal = (err, file) => {
    if (options.failFast) throw err;
    return diagnosticsOf(err, file);
  };
  let project: ConfigProject;
  try {
    const found = findProject(rootDir);
    project = found.project;
    result.diagnostics.push(...found.warnings);
  } catch (err) {
    result.diagnostics.push(...onFatal(err));
    return result;
  }
  const cache = options.cache ?? { enabled: false };
  const out = result.diagnostics;
  const jobs: Promise<void>[] = [];
  // Both bundles start first (each a cache lookup, or an esbuild build that runs while the JSON files are checked).
  const modules = project.rules.kind === 'declarative' ? { tasksFile: project.rules.tasksFile, targetsFile: project.rules.targetsFile } : undefined;
  const loaderRequest = modules && configLoaderRequest(project.dir, modules);
  const bundled = loaderRequest && bundleCached(loaderRequest, project, cache);
  // Awaited (and its failure reported) by checkCode, after the JSON checks: not an unhandled rejection meanwhile.
  bundled?.catch(() => undefined);
  if (options.contactSummary) {
    const request: BundleRequest = {
      projectDir: project.dir,
      entry: contactSummaryEntry(project.contactSummary),
      label: 'contact_summary',
      subject: 'the contact summary',
      format: 'iife',
      minify: false,
      sourcemap: false,
      plugins: [packagesUnread],
    };
    jobs.push(
      bundleCached(request, project, cache).then(
        (checked) => {
          out.push(...checked.warnings);
        },
        (err: unknown) => {
          out.push(...onFatal(err));
        },
      ),
    );
  }
  await loadValidators();

  const sources: SettingsSource[] = [];
  const check = (file: string | undefined, schema: Parameters<typeof checkJsonFile>[1], at?: SettingsSource['at']): unknown => {
    if (!file) return undefined;
    result.files.push(file);
    return checkJsonFile(file, schema, out, onFatal, at && ((read) => sources.push({ file, text: read.text, at })));
  };
  if (project.inherit) result.files.push(project.inherit.file);
  const settings = check(project.settings.file, 'app-settings', []) as Record<string, unknown> | undefined;
  out.push(...placementWarnings(project, settings));
  const forms = check(project.formsFile, 'forms', ['forms']);
  const schedules = check(project.schedulesFile, 'schedules', ['schedules']);
  check(project.assetlinksFile, 'assetlinks');
  const taskSchedules = check(project.taskSchedulesFile, 'task-schedules');
  const merged = { ...(settings ?? {}), ...(forms !== undefined ? { forms } : {}), ...(schedules !== undefined ? { schedules } : {}) };
  const facts = projectFacts(project.dir, merged);
  if (settings && typeof settings === 'object' && !Array.isArray(settings)) {
    jobs.push(checkWorkflows(project, merged, facts, sources, options.coreVersion ?? newestKnown(), onFatal).then((found) => void out.push(...found)));
  }

  if (modules) {
    result.files.push(modules.tasksFile, modules.targetsFile);
    jobs.push(checkCode(project, modules, bundled, taskSchedules, facts, result, onFatal));
  }
  if (options.contactSummary) result.files.push(project.contactSummary.file);
  if (project.purge) {
    result.files.push(project.purge.file);
    out.push(...checkPurge(project, onFatal));
  }
  await Promise.all(jobs);
  result.diagnostics = ordered(out, result.files);
  return result;
}

/** The SMS workflows, outbound, contact types and permissions in the merged settings (src/schema/workflows). */
async function checkWorkflows(
  project: ConfigProject,
  settings: Record<string, unknown>,
  facts: ProjectFacts,
  sources: readonly SettingsSource[],
  core: CoreVersion,
  onFatal: OnFatal,
): Promise<Diagnostic[]> {
  let translations: ReturnType<typeof readAllTranslations>;
  try {
    translations = readAllTranslations(project.dir);
  } catch (err) {
    return onFatal(err);
  }
  const hasContactFormsDir = existsSync(path.join(project.dir, 'forms', 'contact'));
  const inCode = namesInCode(project.dir);
  const { workflowDiagnostics } = await import('./workflows/index.js');
  return workflowDiagnostics(
    { settings, facts, core, translations, hasContactFormsDir, permissionsInCode: inCode.permissions, reportFormsInCode: inCode.reportForms },
    sources,
  );
}

/**
 * For the contact summary's check, npm packages are resolved (a missing one is an error) but not read: the
 * project's own code is what is being checked, and parsing moment or luxon would be most of the check's time.
 */
const packagesUnread: Plugin = {
  name: 'chtkit-packages-unread',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]/ }, () => ({ contents: '', loader: 'js' }));
  },
};

type Modules = { tasksFile: string; targetsFile: string };

/** Loads tasks.js and targets.js as the bundle sees them, checks them, and locates what is wrong. */
async function checkCode(
  project: ConfigProject,
  modules: Modules,
  bundled: Promise<BundleOutput> | undefined,
  taskSchedules: unknown,
  facts: ProjectFacts,
  result: ValidationResult,
  onFatal: OnFatal,
): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfigModules(project.dir, modules, { taskSchedules, ...(bundled ? { bundled } : {}) });
  } catch (err) {
    result.diagnostics.push(...onFatal(err));
    return;
  }
  result.diagnostics.push(...loaded.warnings);
  result.loaded = loaded;
  const tasks = problemsOf('task', loaded.tasks, facts);
  const targets = problemsOf('target', loaded.targets, facts);
  listDefinitions('task', modules.tasksFile, tasks.view, result);
  listDefinitions('target', modules.targetsFile, targets.view, result);
  if (tasks.problems.length + targets.problems.length === 0) return;
  // Only a project with problems pays for parsing its sources (acorn) and loading them a second time.
  const [{ loadWithPositions }, { jsDiagnostic }] = await Promise.all([import('./load.js'), import('./locate-js.js')]);
  const positioned = await loadWithPositions(project.dir, modules, taskSchedules);
  const source = (kind: 'task' | 'target', file: string, exported: unknown): JsSource => ({
    kind,
    file,
    projectDir: project.dir,
    exported: positioned ? (kind === 'task' ? positioned.tasks : positioned.targets) : exported,
    locations: positioned?.locations,
  });
  const taskSource = source('task', modules.tasksFile, loaded.tasks);
  const targetSource = source('target', modules.targetsFile, loaded.targets);
  result.diagnostics.push(...tasks.problems.map((p) => jsDiagnostic(taskSource, p)));
  result.diagnostics.push(...targets.problems.map((p) => jsDiagnostic(targetSource, p)));
}

function problemsOf(kind: 'task' | 'target', exported: unknown, facts: ProjectFacts): { view: unknown; problems: LocatableProblem[] } {
  const view = schemaView(exported);
  const problems: LocatableProblem[] = [
    ...describeErrors(kind, validateAgainst(kind, view), view).map((p) => ({ ...p, severity: 'error' as const })),
    ...(kind === 'task' ? taskSemantics(view, facts) : targetSemantics(view, facts)),
  ];
  return { view, problems };
}

function listDefinitions(kind: 'task' | 'target', file: string, view: unknown, result: ValidationResult): void {
  if (!Array.isArray(view)) return;
  view.forEach((definition: unknown, index) => {
    const name = (definition as Record<string, unknown> | null)?.[kind === 'task' ? 'name' : 'id'];
    result.definitions.push({ kind, file, index, ...(typeof name === 'string' ? { name } : {}) });
  });
}

/**
 * Problems without a file first, then by file (in reading order), line and column. A problem repeated at one
 * place (a helper's literal used for six events) is shown once, naming the other paths it reaches.
 */
function ordered(diagnostics: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.file === undefined ? -1 : files.includes(d.file) ? files.indexOf(d.file) : files.length);
  const byPlace = new Map<string, { first: Diagnostic; others: string[] }>();
  for (const d of diagnostics) {
    const place = d.line === undefined ? `${d.path}` : `${d.line}:${d.column}`;
    const key = [d.severity, d.code, d.file, d.subject?.kind, d.subject?.index, place, d.message].join('\0');
    const seen = byPlace.get(key);
    if (!seen) byPlace.set(key, { first: d, others: [] });
    else if (d.path && d.path !== seen.first.path && !seen.others.includes(d.path)) seen.others.push(d.path);
  }
  return [...byPlace.values()]
    .map(({ first, others }, i) => {
      if (!others.length) return { d: first, i };
      const also = `The same problem is also at ${others.join(', ')}.`;
      return { d: { ...first, hint: first.hint ? `${also}\n${first.hint}` : also }, i };
    })
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}
