/* eslint-disable @typescript-eslint/no-explicit-any -- test settings are free-form */
import { DEFAULT_CONTACT_TYPES, type ProjectFacts } from '../../../src/schema/project-facts.js';
import type { WorkflowContext } from '../../../src/schema/workflows/context.js';
import { newestKnown, parseCoreVersion } from '../../../src/schema/workflows/core-version.js';

export interface ContextOptions {
  /** App form ids (forms/app); SMS form keys of `settings.forms` are added as the project facts do. */
  appForms?: string[];
  /** Also report forms (any kind), as some tests name them. */
  reportForms?: string[];
  contactForms?: string[];
  /** `major.minor`; default: chtkit's newest known version. */
  core?: string;
  translations?: Record<string, Record<string, string>>;
  hasContactFormsDir?: boolean;
  permissionsInCode?: string[];
  reportFormsInCode?: string[];
}

/** A workflow context for unit tests, built the way validate builds it from a project. */
export function workflowContext(settings: Record<string, any>, o: ContextOptions = {}): WorkflowContext {
  const reportForms = new Set([...(o.appForms ?? []), ...(o.reportForms ?? [])]);
  const forms = settings.forms;
  if (forms && typeof forms === 'object' && !Array.isArray(forms)) {
    for (const [key, form] of Object.entries(forms as Record<string, any>)) {
      reportForms.add(key);
      if (typeof form?.meta?.code === 'string') reportForms.add(form.meta.code);
    }
  }
  const contactForms = new Set(o.contactForms ?? []);
  const contactTypes = new Set<string>(DEFAULT_CONTACT_TYPES);
  if (Array.isArray(settings.contact_types)) for (const t of settings.contact_types) if (typeof t?.id === 'string') contactTypes.add(t.id);
  const facts: ProjectFacts = { reportForms, contactForms, contactTypes, typesMadeByForms: new Map(), hasForms: reportForms.size + contactForms.size > 0 };
  const translations = new Map(Object.entries(o.translations ?? {}).map(([locale, keys]) => [locale, new Map(Object.entries(keys))]));
  return {
    settings,
    facts,
    core: o.core ? parseCoreVersion(o.core, 'flag') : newestKnown(),
    translations,
    hasContactFormsDir: o.hasContactFormsDir ?? contactForms.size > 0,
    ...(o.permissionsInCode ? { permissionsInCode: new Set(o.permissionsInCode) } : {}),
    ...(o.reportFormsInCode ? { reportFormsInCode: new Set(o.reportFormsInCode) } : {}),
  };
}
