/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import type { Severity } from '../../diagnostics/diagnostic.js';
import type { ProjectFacts } from '../project-facts.js';
import type { Segment } from '../schema-errors.js';
import type { CoreVersion } from './core-version.js';

/** One problem in the settings, at a path from the root of the merged app settings. */
export interface WorkflowProblem {
  /** Stable rule id: `sms/…`, `outbound/…`, `contact-types/…`, `permissions/…`, `settings/…`. */
  code: string;
  severity: Severity;
  /** Path from the settings root, e.g. `['registrations', 0, 'events', 1, 'params']`. */
  path: Segment[];
  /** What to point at: the key, the value, or (for a missing key) the object that lacks it. */
  target: 'key' | 'value' | 'missing';
  /** A plain sentence naming the bad value, what cht-core does with it and what is allowed. */
  message: string;
  /** What to do. Version-dependent rules say here which cht-core version they assumed. */
  hint?: string;
  /** A "did you mean" suggestion, quoted. */
  suggestion?: string;
}

export interface WorkflowContext {
  /** The app settings as compile merges them: base settings, forms.json as `forms`, schedules.json as `schedules`. */
  settings: Record<string, any>;
  /** Forms and contact types the project defines (forms/app, forms/contact, settings). */
  facts: ProjectFacts;
  /** The cht-core version the rules follow. */
  core: CoreVersion;
  /**
   * The project's translations (translations/messages-<locale>.properties): locale -> key -> text. Empty when the
   * project has no translations folder; cht-core's built-in keys are the checks' own knowledge.
   */
  translations: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** True when the project has a forms/contact folder (contact_types' create_form/edit_form can be checked). */
  hasContactFormsDir: boolean;
  /**
   * Permission-like names (`can_…`) that the project's own JavaScript names in a string: a custom permission
   * its rules or contact summary check with `cht.v1.hasPermissions` is read, though cht-core never reads it.
   */
  permissionsInCode?: ReadonlySet<string>;
  /**
   * Form codes of reports the project's own scripts create (project-facts.ts namesInCode): sentinel's
   * transitions run on them, so a setting naming one refers to real reports.
   */
  reportFormsInCode?: ReadonlySet<string>;
}

/** Checks one section of the settings. Pure: no I/O, no exceptions on user data. */
export type SectionCheck = (ctx: WorkflowContext) => WorkflowProblem[];

export const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const quote = (s: unknown): string => (typeof s === 'string' ? `'${s}'` : JSON.stringify(s) ?? String(s));

/** A problem, from its parts in the order a reader says them: rule, severity, where, what is wrong, what to do. */
export const problem = (
  code: string,
  severity: Severity,
  path: Segment[],
  target: WorkflowProblem['target'],
  message: string,
  hint: string,
): WorkflowProblem => ({ code, severity, path, target, message, hint });
