import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readJsonFile } from './read-json.js';

/** settings.inherit.json: compile another project, then transform its settings (cht-conf 6.6.1 src/fn/compile-app-settings.js). */
export interface InheritSpec {
  file: string;
  inherit: string;
  delete?: unknown;
  replace?: unknown;
  merge?: unknown;
  filter?: unknown;
}

export type RulesSource =
  | { kind: 'declarative'; tasksFile: string; targetsFile: string }
  | { kind: 'legacy'; file: string };

/** Where every input of a compile lives, decided once by cht-conf 6.6.1's rules (src/fn/compile-app-settings.js). */
export interface ConfigProject {
  /** The directory the config files are read from (the inherited project when settings.inherit.json exists). */
  dir: string;
  /** The project the user pointed at; app_settings.json is written here. */
  rootDir: string;
  outputFile: string;
  inherit?: InheritSpec;
  settings: { mode: 'modular' | 'legacy'; file: string };
  formsFile?: string;
  schedulesFile?: string;
  assetlinksFile?: string;
  taskSchedulesFile?: string;
  contactSummary: { kind: 'templated' | 'freeform'; file: string };
  rules: RulesSource;
  targets: { kind: 'js' | 'json'; file: string };
  purge?: { kind: 'purge.js' | 'purging.js'; file: string };
}

export interface FoundProject {
  project: ConfigProject;
  warnings: Diagnostic[];
}

const SETTINGS_DIR = 'app_settings';

function problem(message: string, file: string | undefined, hint: string, code: string): Diagnostic {
  return { severity: 'error', code, message, hint, ...(file ? { file } : {}) };
}

function warning(message: string, file: string, code: string, severity: 'warning' | 'note' = 'warning'): Diagnostic {
  return { severity, code, message, file };
}

function failWith(problems: Diagnostic[]): never {
  if (problems.length === 1) {
    const p = problems[0]!;
    throw new UserError(p.message, { code: 'CHT_E_PROJECT_FILES', ...(p.hint ? { hint: p.hint } : {}) });
  }
  throw new UserError(`The project has ${problems.length} problems with its files.`, {
    code: 'CHT_E_PROJECT_FILES',
    diagnostics: problems,
  });
}

/** Finds and checks the files of a config project. Throws a UserError listing every file-level problem. */
export function findProject(projectDir: string): FoundProject {
  // The API takes relative paths too; every path below is absolute (purge.js is loaded with createRequire).
  const rootDir = path.resolve(projectDir);
  if (!existsSync(rootDir) || !statSync(rootDir).isDirectory()) {
    throw new UserError(`Project directory not found: ${rootDir}`, {
      code: 'CHT_E_NO_PROJECT',
      hint: 'Run cht inside a config project or point --source at one.',
    });
  }
  const warnings: Diagnostic[] = [];
  const problems: Diagnostic[] = [];

  let dir = rootDir;
  let inherit: InheritSpec | undefined;
  const inheritFile = path.join(rootDir, 'settings.inherit.json');
  if (existsSync(inheritFile)) {
    const spec = readJsonFile<Record<string, unknown>>(inheritFile).value;
    if (!spec || typeof spec !== 'object' || typeof spec.inherit !== 'string') {
      failWith([
        problem('settings.inherit.json needs an "inherit" path naming the project it builds on.', inheritFile,
          'Example: { "inherit": "../base-project", "replace": { "locale": "fr" } }', 'project/inherit'),
      ]);
    }
    inherit = { ...(spec as Omit<InheritSpec, 'file'>), file: inheritFile };
    dir = path.resolve(rootDir, inherit.inherit);
    if (!existsSync(dir)) {
      failWith([problem(`The inherited project ${dir} does not exist.`, inheritFile, 'Fix the "inherit" path.', 'project/inherit')]);
    }
  }
  const at = (...p: string[]) => path.join(dir, ...p);
  const exists = (...p: string[]) => existsSync(at(...p));

  let taskSchedulesFile: string | undefined = exists('task-schedules.json') ? at('task-schedules.json') : undefined;
  if (exists('tasks.json')) {
    if (taskSchedulesFile) {
      problems.push(problem(`Both ${at('task-schedules.json')} and ${at('tasks.json')} exist.`, at('tasks.json'),
        'Remove tasks.json (its old name); task-schedules.json is the one to keep.', 'project/task-schedules-conflict'));
    } else {
      warnings.push(warning('tasks.json is deprecated: rename it to task-schedules.json.', at('tasks.json'), 'project/deprecated-tasks-json'));
      taskSchedulesFile = at('tasks.json');
    }
  }

  const baseSettings = at(SETTINGS_DIR, 'base_settings.json');
  const legacySettings = at('app_settings.json');
  let settings: ConfigProject['settings'] | undefined;
  if (existsSync(baseSettings)) {
    settings = { mode: 'modular', file: baseSettings };
  } else if (existsSync(legacySettings)) {
    settings = { mode: 'legacy', file: legacySettings };
    warnings.push(warning(
      'app_settings.json is compile output and should not be edited by hand: move your settings to app_settings/base_settings.json.',
      legacySettings, 'project/legacy-settings', 'note'));
  } else {
    problems.push(problem('No app settings found.', undefined,
      `Create ${path.join(dir, SETTINGS_DIR, 'base_settings.json')} with the instance's settings (or an app_settings.json).`,
      'project/no-settings'));
  }
  const optional = (...p: string[]) => (settings?.mode === 'modular' && exists(...p) ? at(...p) : undefined);

  const templated = at('contact-summary.templated.js');
  const freeform = at('contact-summary.js');
  let contactSummary: ConfigProject['contactSummary'] | undefined;
  if (existsSync(templated) && existsSync(freeform)) {
    problems.push(problem(`Found a contact summary at both ${freeform} and ${templated}.`, freeform,
      'Keep only one of the two files.', 'project/contact-summary-conflict'));
  } else if (existsSync(templated)) {
    contactSummary = { kind: 'templated', file: templated };
  } else if (existsSync(freeform)) {
    contactSummary = { kind: 'freeform', file: freeform };
  } else {
    problems.push(problem(`No contact summary found at ${templated} or ${freeform}.`, undefined,
      'Create one of them (contact-summary.templated.js exporting { fields, cards, context } is the usual one).',
      'project/no-contact-summary'));
  }

  const declarative = ['tasks.js', 'targets.js'];
  const missing = declarative.filter((f) => !exists(f));
  let rules: RulesSource | undefined;
  if (exists('rules.nools.js')) {
    if (missing.length !== declarative.length) {
      problems.push(problem('Both legacy and declarative rules found: rules.nools.js and tasks.js/targets.js.', at('rules.nools.js'),
        'Keep either rules.nools.js or tasks.js + targets.js, not both.', 'project/rules-conflict'));
    } else {
      rules = { kind: 'legacy', file: at('rules.nools.js') };
    }
  } else if (missing.length) {
    problems.push(problem(`Missing required declarative configuration file(s): ${missing.join(', ')}.`, undefined,
      `Create ${missing.map((f) => at(f)).join(' and ')} (each may export an empty array).`, 'project/missing-rules'));
  } else {
    rules = { kind: 'declarative', tasksFile: at('tasks.js'), targetsFile: at('targets.js') };
  }

  let targets: ConfigProject['targets'] | undefined;
  if (exists('targets.json') && exists('targets.js')) {
    problems.push(problem(`Targets are defined at both ${at('targets.json')} and ${at('targets.js')}.`, at('targets.json'),
      'Keep only one of the two files.', 'project/targets-conflict'));
  } else if (exists('targets.js')) {
    targets = { kind: 'js', file: at('targets.js') };
  } else if (exists('targets.json')) {
    targets = { kind: 'json', file: at('targets.json') };
  } else if (!problems.some((p) => p.code === 'project/missing-rules')) {
    problems.push(problem(`No targets found at ${at('targets.js')} or ${at('targets.json')}.`, undefined,
      'Create targets.js exporting an array of targets (it may be empty).', 'project/no-targets'));
  }

  let purge: ConfigProject['purge'];
  if (exists('purge.js') && exists('purging.js')) {
    problems.push(problem(`Purge is defined at both ${at('purge.js')} and ${at('purging.js')}.`, at('purging.js'),
      "purging.js is deprecated: keep purge.js and delete purging.js.", 'project/purge-conflict'));
  } else if (exists('purge.js')) {
    purge = { kind: 'purge.js', file: at('purge.js') };
  } else if (exists('purging.js')) {
    purge = { kind: 'purging.js', file: at('purging.js') };
    warnings.push(warning('purging.js is deprecated: export the purge configuration from purge.js instead.', at('purging.js'), 'project/deprecated-purging'));
  }

  if (problems.length || !settings || !contactSummary || !rules || !targets) failWith(problems);

  const project: ConfigProject = {
    dir,
    rootDir,
    outputFile: path.join(rootDir, 'app_settings.json'),
    settings,
    contactSummary,
    rules,
    targets,
  };
  if (inherit) project.inherit = inherit;
  if (taskSchedulesFile) project.taskSchedulesFile = taskSchedulesFile;
  const forms = optional(SETTINGS_DIR, 'forms.json');
  const schedules = optional(SETTINGS_DIR, 'schedules.json');
  const assetlinks = optional(SETTINGS_DIR, 'assetlinks.json');
  if (forms) project.formsFile = forms;
  if (schedules) project.schedulesFile = schedules;
  if (assetlinks) project.assetlinksFile = assetlinks;
  if (purge) project.purge = purge;
  return { project, warnings };
}
