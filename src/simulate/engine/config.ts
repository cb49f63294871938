/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { UserError } from '../../errors.js';
import { parseJsonText } from '../../project/read-json.js';
import { loadExtensionLibs } from './cht-api.js';
import { monthStartDateOf } from './calendar-interval.js';

/** A target item of `tasks.targets.items` (the config fields; the functions live in the rules). */
export interface TargetItem {
  id: string;
  type?: string;
  goal?: number;
  context?: unknown;
  passesIfGroupCount?: { gte?: unknown };
  [key: string]: unknown;
}

/** Everything the rules engine takes from app settings, plus where it came from (for error locations). */
export interface RulesConfig {
  /** `tasks.rules`: the compiled bundle (declarative JavaScript). */
  rules: string;
  schedules: unknown;
  targets: TargetItem[];
  monthStartDate: unknown;
  permissions: Record<string, unknown> | undefined;
  /** The app's default language (`locale`, as cht-core's settings have it), when set. */
  locale?: string;
  extensionLibs: Record<string, unknown>;
  /** Where the extension libraries were read from (a worker thread reads them again: modules do not cross). */
  extensionLibsDir: string;
  /** The project directory, when compiled from source. */
  projectDir?: string;
  /** The app_settings.json file, when given one. */
  settingsFile?: string;
  /** External source map of `rules` (from source only). */
  map?: string;
  /**
   * The compile cache's folder for this project, when the dry-run uses the cache: the traced timeline keeps its
   * instrumented copy of the rules there (fast/traced-rules.ts).
   */
  cacheDir?: string;
  /** The files tasks.js/targets.js, for explain's loader (from source only). */
  modules?: { tasksFile: string; targetsFile: string; taskSchedules: unknown };
  /** Warnings and notes from compiling (notes are advice on the project's layout). */
  warnings: Pick<Diagnostic, 'severity' | 'message'>[];
}

/** The name user-code stack frames carry (the rules are compiled with this file name). */
export const RULES_FILE = 'tasks.rules.js';

function fromSettings(settings: Record<string, any>, origin: string): Omit<RulesConfig, 'extensionLibs' | 'extensionLibsDir' | 'warnings'> {
  const tasks = settings.tasks;
  if (!tasks || typeof tasks !== 'object') {
    throw new UserError(`${origin} has no "tasks" section: there are no tasks or targets to dry-run.`, { code: 'CHT_E_NO_RULES' });
  }
  if (typeof tasks.rules !== 'string' || !tasks.rules.trim()) {
    throw new UserError(`${origin} has no compiled rules (tasks.rules): there are no tasks or targets to dry-run.`, {
      code: 'CHT_E_NO_RULES',
      hint: 'Compile the project first, or dry-run it from source with --source.',
    });
  }
  if (!tasks.isDeclarative) {
    throw new UserError(`${origin}: tasks.rules is legacy nools code (no tasks.isDeclarative); the dry-run runs declarative tasks.js/targets.js configs.`, {
      code: 'CHT_E_LEGACY_RULES',
      hint: 'cht-core 5 removed nools; move the rules to tasks.js and targets.js.',
    });
  }
  const items = tasks.targets && Array.isArray(tasks.targets.items) ? tasks.targets.items : [];
  return {
    rules: tasks.rules,
    schedules: tasks.schedules,
    targets: items,
    monthStartDate: monthStartDateOf(settings),
    permissions: settings.permissions,
    ...(typeof settings.locale === 'string' && settings.locale ? { locale: settings.locale } : {}),
  };
}

/**
 * App settings already in memory (e.g. read from an instance): `origin` names them in errors. Extension
 * libraries are not part of the settings document; none are loaded.
 */
export function loadSettingsValue(settings: unknown, origin: string): RulesConfig {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new UserError(`${origin} are not a JSON object.`, { code: 'CHT_E_SETTINGS_SHAPE' });
  }
  return { ...fromSettings(settings as Record<string, any>, origin), extensionLibs: {}, extensionLibsDir: '', warnings: [] };
}

/** Reads an already compiled app_settings.json (e.g. cht-conf's output). */
export function loadAppSettings(file: string): RulesConfig {
  if (!existsSync(file)) {
    throw new UserError(`App settings file not found: ${file}`, { code: 'CHT_E_SETTINGS_MISSING' });
  }
  const settings = parseJsonText<Record<string, any>>(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new UserError(`${file} must contain a JSON object.`, { code: 'CHT_E_SETTINGS_SHAPE' });
  }
  const libsDir = path.join(path.dirname(file), 'extension-libs');
  return { ...fromSettings(settings, file), settingsFile: file, extensionLibs: loadExtensionLibs(libsDir), extensionLibsDir: libsDir, warnings: [] };
}

/**
 * Compiles the project in memory, exactly as compile-app-settings does, and keeps the rules' source map. With
 * `cache`, through the compile cache (src/bundle/compile-cache.ts): a hit loads neither esbuild nor the compile.
 */
export async function loadProject(projectDir: string, options: { cache?: boolean } = {}): Promise<RulesConfig> {
  const [{ compileCached }, { entryDirOf }] = await Promise.all([import('../../bundle/cached-compile.js'), import('../../bundle/cache-key.js')]);
  const compiled = await compileCached(projectDir, { minify: false, sourcemap: true }, { enabled: options.cache === true });
  const config = fromSettings(compiled.settings, `The project at ${projectDir}`);
  const rules = compiled.project.rules;
  return {
    ...config,
    projectDir: compiled.project.dir,
    ...(options.cache === true ? { cacheDir: entryDirOf(compiled.project, {}) } : {}),
    ...(compiled.rulesMap ? { map: compiled.rulesMap } : {}),
    ...(rules.kind === 'declarative'
      ? { modules: { tasksFile: rules.tasksFile, targetsFile: rules.targetsFile, taskSchedules: compiled.settings.tasks?.schedules } }
      : {}),
    extensionLibs: loadExtensionLibs(path.join(compiled.project.dir, 'extension-libs')),
    extensionLibsDir: path.join(compiled.project.dir, 'extension-libs'),
    warnings: compiled.warnings,
  };
}

/** Compiled rules by source: repeated queries on one config (tests, --explain, benchmarks) compile once. */
const compiled = new Map<string, RulesFunction>();

export type RulesFunction = (
  c: unknown, Task: unknown, Target: unknown, Utils: unknown, user: unknown, cht: unknown, emit: unknown,
) => void;

/**
 * The rules as cht-core builds them (`new Function('c','Task','Target','Utils','user','cht','emit', rules)`),
 * compiled with a file name so that stack frames point into the bundle at its own lines and columns.
 */
export function compileRules(rules: string): RulesFunction {
  const cached = compiled.get(rules);
  if (cached) return cached;
  try {
    const fn = vm.compileFunction(rules, ['c', 'Task', 'Target', 'Utils', 'user', 'cht', 'emit'], { filename: RULES_FILE }) as RulesFunction;
    compiled.set(rules, fn);
    return fn;
  } catch (err) {
    throw new UserError(`tasks.rules does not compile: ${(err as Error).message}`, {
      code: 'CHT_E_RULES_SYNTAX',
      hint: 'cht-core would fail to start its rules engine with these settings. Recompile the project.',
    });
  }
}
