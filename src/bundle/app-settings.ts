/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { findProject, type ConfigProject } from '../project/project.js';
import { readJsonFile } from '../project/read-json.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { bundleContactSummary } from './contact-summary.js';
import type { BundleOutput } from './esbuild.js';
import { applyInheritTransforms } from './inherit.js';
import { loadConfigModules, type LoadedConfig } from './load-config.js';
import { readPurge } from './purge.js';
import { bundleRules, type RulesBundle } from './rules.js';

export interface CompileOptions {
  /** Minified by default; --debug keeps the code readable. */
  minify: boolean;
  /** Keep source maps of the bundles (for the dry-run's error locations). */
  sourcemap?: boolean;
  /**
   * tasks.js / targets.js loaded by validation (or being loaded): reused rather than bundled and evaluated
   * again. The bundles do not wait for it, so compiling overlaps validating.
   */
  loaded?: LoadedConfig | Promise<LoadedConfig | undefined>;
}

export interface CompiledProject {
  project: ConfigProject;
  /** The app settings, keys in the order cht-conf writes them (cht-conf 6.6.1 src/fn/compile-app-settings.js). */
  settings: Record<string, any>;
  /** What tasks.js / targets.js export, evaluated as the bundle sees them. */
  loaded: LoadedConfig;
  rules: RulesBundle;
  contactSummary: BundleOutput;
  /** Non-fatal problems: deprecated files, bundle warnings. */
  warnings: Diagnostic[];
  /**
   * Every file the compile read (absolute paths): the settings files, purge.js and the modules it requires,
   * and every file of every bundle. The compile cache hashes them.
   */
  files: string[];
}

/** Target fields copied into app settings, in this order (the rest — functions — stay in the rules). */
export const TARGET_SETTINGS_KEYS = [
  'id', 'type', 'goal', 'translation_key', 'passesIfGroupCount', 'icon', 'context', 'subtitle_translation_key',
  'dhis', 'visible', 'aggregate', 'limit_count_to_goal',
] as const;

/** readJsonFile, noting the file among those the compile read. */
type JsonReader = <T = unknown>(file: string) => { value: T };

function readBaseSettings(project: ConfigProject, warnings: Diagnostic[], readJson: JsonReader): Record<string, any> {
  const base = readJson<Record<string, any>>(project.settings.file);
  if (!base.value || typeof base.value !== 'object' || Array.isArray(base.value)) {
    throw new UserError(`${project.settings.file} must contain a JSON object.`, { code: 'CHT_E_SETTINGS_SHAPE' });
  }
  const settings = base.value;
  if (project.settings.mode === 'modular') {
    for (const key of ['forms', 'schedules'] as const) {
      if (settings[key]) {
        warnings.push({
          severity: 'warning',
          code: 'project/settings-key-placement',
          message: `"${key}" should be defined in app_settings/${key}.json, not in base_settings.json.`,
          file: project.settings.file,
        });
      }
    }
    const assign = (file: string | undefined, key: string) => {
      if (file) settings[key] = readJson(file).value;
    };
    assign(project.formsFile, 'forms');
    assign(project.schedulesFile, 'schedules');
    assign(project.assetlinksFile, 'assetlinks');
  }
  return settings;
}

function targetSettings(project: ConfigProject, loaded: LoadedConfig, readJson: JsonReader): unknown {
  if (project.targets.kind === 'json') return readJson(project.targets.file).value;
  const targets = loaded.targets;
  if (!Array.isArray(targets)) {
    throw new UserError('targets.js must export an array of targets.', {
      code: 'CHT_E_TARGETS_EXPORT',
      hint: `Write \`module.exports = [ ... ];\` in ${project.targets.file}.`,
    });
  }
  return {
    enabled: true,
    items: targets.map((target: any) => {
      const item: Record<string, unknown> = {};
      if (target && typeof target === 'object') for (const key of TARGET_SETTINGS_KEYS) if (key in target) item[key] = target[key];
      return item;
    }),
  };
}

function maxTaskNotifications(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new UserError(`max_task_notifications should be a non-negative integer, not ${JSON.stringify(value)}.`, {
      code: 'CHT_E_MAX_TASK_NOTIFICATIONS',
    });
  }
  return value;
}

/** Compiles a config project into app settings, in memory. Nothing is written. */
export async function compileProject(rootDir: string, options: CompileOptions): Promise<CompiledProject> {
  const { project, warnings } = findProject(rootDir);
  const files = new Set<string>();
  const readJson: JsonReader = (file) => {
    files.add(file);
    return readJsonFile(file);
  };
  const settings = readBaseSettings(project, warnings, readJson);
  const taskSchedules = project.taskSchedulesFile ? readJson(project.taskSchedulesFile).value : undefined;
  const bundleOptions = { minify: options.minify, sourcemap: options.sourcemap ?? false };
  const [contactSummary, rules, loaded] = await Promise.all([
    bundleContactSummary(project.dir, project.contactSummary, bundleOptions),
    bundleRules(project.dir, project.rules, bundleOptions),
    Promise.resolve(options.loaded).then(
      (loaded) =>
        loaded ??
        loadConfigModules(
          project.dir,
          project.rules.kind === 'declarative'
            ? { tasksFile: project.rules.tasksFile, targetsFile: project.rules.targetsFile }
            : {},
          { taskSchedules },
        ),
    ),
  ]);
  warnings.push(...contactSummary.warnings, ...rules.warnings);

  settings.contact_summary = contactSummary.code;
  settings.tasks = {
    rules: rules.code,
    isDeclarative: rules.isDeclarative ? true : undefined,
    schedules: taskSchedules,
    targets: targetSettings(project, loaded, readJson),
  };
  if (settings.max_task_notifications) {
    settings.tasks.max_task_notifications = maxTaskNotifications(settings.max_task_notifications);
    delete settings.max_task_notifications;
  }
  settings.purge = readPurge(project.purge, () => {
    const legacy = path.join(project.dir, 'app_settings.json');
    return existsSync(legacy) ? readJson<Record<string, unknown>>(legacy).value : {};
  }, files);
  if (project.inherit) applyInheritTransforms(settings, project.inherit);
  for (const file of [...rules.inputs, ...contactSummary.inputs, ...loaded.inputs]) files.add(file);
  return { project, settings, loaded, rules, contactSummary, warnings, files: [...files] };
}

// Its own module, so that writing cached settings loads no esbuild.
export { serializeSettings } from './settings-text.js';
