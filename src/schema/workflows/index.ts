import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { JsonLocator } from '../json-locations.js';
import { formatPath } from '../problems.js';
import type { Segment } from '../schema-errors.js';
import type { SectionCheck, WorkflowContext, WorkflowProblem } from './context.js';

/**
 * Every section check, in the order their problems are listed for one file, with the settings keys it reads:
 * a section is loaded and run only when one of its keys is in the settings (each section reports nothing
 * without them), so a project without SMS workflows does not load the SMS checks. `always`: runs on every
 * project (it looks at keys that may be anywhere).
 */
const SECTIONS: ReadonlyArray<{ keys: readonly string[] | 'always'; load: () => Promise<SectionCheck> }> = [
  { keys: ['transitions'], load: async () => (await import('./transitions.js')).checkTransitions },
  { keys: ['transitions'], load: async () => (await import('./registration-init.js')).checkRegistrationInit },
  { keys: ['registrations'], load: async () => (await import('./registrations.js')).checkRegistrations },
  { keys: ['patient_reports', 'accept_case_reports'], load: async () => (await import('./patient-reports.js')).checkPatientReports },
  { keys: ['schedules'], load: async () => (await import('./schedules.js')).checkSchedules },
  { keys: ['forms'], load: async () => (await import('./sms-forms.js')).checkSmsForms },
  {
    keys: ['transitions', 'death_reporting', 'muting', 'self_report', 'update_clinics', 'notifications', 'alerts', 'multi_report_alerts', 'reminders'],
    load: async () => (await import('./sms-runtime.js')).checkSmsRuntime,
  },
  { keys: 'always', load: async () => (await import('./runtime-keys.js')).checkRuntimeKeys },
  { keys: ['outbound'], load: async () => (await import('./outbound.js')).checkOutbound },
  { keys: ['contact_types'], load: async () => (await import('./contact-types.js')).checkContactTypes },
  { keys: ['roles', 'permissions', 'replication_depth'], load: async () => (await import('./permissions.js')).checkAccess },
];

/** A settings file as read for validation, and where its root sits in the merged settings. */
export interface SettingsSource {
  file: string;
  /** The file's text (for locating problems at line and column). */
  text: string;
  /** `[]` for base_settings.json / app_settings.json, `['forms']` for forms.json, `['schedules']` for schedules.json. */
  at: Segment[];
}

/** The section checks that apply to these settings, loaded side by side. */
export async function sectionChecks(settings: Record<string, unknown>): Promise<SectionCheck[]> {
  const applies = (keys: readonly string[] | 'always') => keys === 'always' || keys.some((k) => settings[k] !== undefined);
  return Promise.all(SECTIONS.filter((s) => applies(s.keys)).map((s) => s.load()));
}

/** Runs the section checks that apply. A check that throws is a bug in chtkit, and is let through as one. */
export async function workflowProblems(ctx: WorkflowContext): Promise<WorkflowProblem[]> {
  return (await sectionChecks(ctx.settings)).flatMap((check) => check(ctx));
}

/**
 * Places each problem in the file its value came from (the source whose `at` is the longest prefix of the
 * problem's path) at line and column, with the key path shown from the settings root.
 */
export function locateWorkflowProblems(problems: readonly WorkflowProblem[], sources: readonly SettingsSource[]): Diagnostic[] {
  const locators = new Map<SettingsSource, JsonLocator>();
  const sourceOf = (path: readonly Segment[]): SettingsSource | undefined => {
    let best: SettingsSource | undefined;
    for (const s of sources) {
      if (s.at.length > path.length || !s.at.every((seg, i) => seg === path[i])) continue;
      if (!best || s.at.length > best.at.length) best = s;
    }
    return best;
  };
  return problems.map((p) => {
    const d: Diagnostic = { severity: p.severity, code: p.code, message: p.message };
    const shown = formatPath(p.path);
    if (shown) d.path = shown;
    if (p.suggestion) d.suggestion = p.suggestion;
    if (p.hint) d.hint = p.hint;
    const source = sourceOf(p.path);
    if (!source) return d;
    d.file = source.file;
    let locator = locators.get(source);
    if (!locator) locators.set(source, (locator = new JsonLocator(source.text.replace(/^\uFEFF/, ''))));
    const where = locator.locate(p.path.slice(source.at.length), p.target);
    if (where) Object.assign(d, where);
    return d;
  });
}

/** Runs the section checks and locates what they find. */
export async function workflowDiagnostics(ctx: WorkflowContext, sources: readonly SettingsSource[]): Promise<Diagnostic[]> {
  return locateWorkflowProblems(await workflowProblems(ctx), sources);
}
