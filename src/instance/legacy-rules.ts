/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */

/**
 * Cores before 4.2 run every `tasks.rules` through nools, so declarative rules must be wrapped in nools'
 * boilerplate and lose `isDeclarative` at upload time (cht-conf 6.6.1 src/fn/upload-app-settings.js; cht-core 4.11.0 shared-libs/rules-engine/src/rules-emitter/index.js). Compile output
 * stays version-independent; only the upload adapts.
 */

/** `semver.valid(semver.coerce(v))`: the first `major[.minor[.patch]]` in the text, e.g. 4.5.0.6922 → 4.5.0. */
export function coerceVersion(text: string | undefined): [number, number, number] | undefined {
  if (!text) return undefined;
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/**
 * `semver.lt(coerced, '4.2.0-dev')`. A coerced version has no pre-release tag, and 4.2.0-dev sorts just below
 * 4.2.0, so this is simply "below 4.2.0" (4.2.0-dev.123 coerces to 4.2.0: not legacy).
 */
export function needsNoolsWrapper(version: string | undefined): boolean {
  const v = coerceVersion(version);
  if (!v) return false;
  const [major, minor] = v;
  return major < 4 || (major === 4 && minor < 2);
}

/** The nools boilerplate, line for line as cht-conf writes it, so both tools upload the same bytes. */
export function wrapInNools(code: string): string {
  return [
    'define Target { _id: null, contact: null, deleted: null, type: null, pass: null, date: null, groupBy: null }',
    'define Contact { contact: null, reports: null, tasks: null }',
    'define Task { _id: null, deleted: null, doc: null, contact: null, icon: null, date: null, readyStart: null, ' +
      'readyEnd: null, title: null, fields: null, resolved: null, priority: null, priorityLabel: null, reports: null, actions: null }',
    'rule GenerateEvents {',
    `  when { c: Contact } then { ${code} }`,
    '}',
  ].join('\n');
}

/**
 * The settings to upload to an instance of `version`: for declarative rules below 4.2 a copy with the rules
 * wrapped and `isDeclarative` removed (key order otherwise kept); else the settings as compiled.
 */
export function settingsForCore(settings: Record<string, any>, version: string | undefined): { settings: Record<string, any>; wrapped: boolean } {
  const tasks = settings.tasks;
  if (!tasks || typeof tasks !== 'object' || !tasks.isDeclarative || !needsNoolsWrapper(version)) {
    return { settings, wrapped: false };
  }
  const newTasks: Record<string, any> = {};
  for (const [key, value] of Object.entries(tasks)) {
    if (key === 'isDeclarative') continue;
    newTasks[key] = key === 'rules' ? wrapInNools(String(value)) : value;
  }
  return { settings: { ...settings, tasks: newTasks }, wrapped: true };
}
