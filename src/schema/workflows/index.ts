import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { JsonLocator } from '../json-locations.js';
import { formatPath } from '../problems.js';
import type { Segment } from '../schema-errors.js';
import { checkContactTypes } from './contact-types.js';
import type { SectionCheck, WorkflowContext, WorkflowProblem } from './context.js';
import { checkOutbound } from './outbound.js';
import { checkPatientReports } from './patient-reports.js';
import { checkAccess } from './permissions.js';
import { checkRegistrationInit } from './registration-init.js';
import { checkRegistrations } from './registrations.js';
import { checkRuntimeKeys } from './runtime-keys.js';
import { checkSchedules } from './schedules.js';
import { checkSmsForms } from './sms-forms.js';
import { checkSmsRuntime } from './sms-runtime.js';
import { checkTransitions } from './transitions.js';

/** Every section check, in the order their problems are listed for one file. */
const SECTION_CHECKS: readonly SectionCheck[] = [
  checkTransitions,
  checkRegistrationInit,
  checkRegistrations,
  checkPatientReports,
  checkSchedules,
  checkSmsForms,
  checkSmsRuntime,
  checkRuntimeKeys,
  checkOutbound,
  checkContactTypes,
  checkAccess,
];

/** A settings file as read for validation, and where its root sits in the merged settings. */
export interface SettingsSource {
  file: string;
  /** The file's text (for locating problems at line and column). */
  text: string;
  /** `[]` for base_settings.json / app_settings.json, `['forms']` for forms.json, `['schedules']` for schedules.json. */
  at: Segment[];
}

/** Runs every section check. A check that throws is a bug in chtkit, and is let through as one. */
export function workflowProblems(ctx: WorkflowContext, checks: readonly SectionCheck[] = SECTION_CHECKS): WorkflowProblem[] {
  return checks.flatMap((check) => check(ctx));
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
export function workflowDiagnostics(ctx: WorkflowContext, sources: readonly SettingsSource[]): Diagnostic[] {
  return locateWorkflowProblems(workflowProblems(ctx), sources);
}
