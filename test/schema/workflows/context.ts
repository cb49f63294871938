import { projectFacts } from '../../../src/schema/project-facts.js';
import type { WorkflowContext } from '../../../src/schema/workflows/context.js';
import { parseCoreVersion, newestKnown } from '../../../src/schema/workflows/core-version.js';

export interface ContextOptions {
  /** App form ids the project has (forms/app). */
  appForms?: string[];
  /** `--core-version`, e.g. '4.11'; default the newest known. */
  core?: string;
  /** locale -> key -> text. */
  translations?: Record<string, Record<string, string>>;
}

/** A workflow context over settings, as validate-app-settings builds it (no files: facts from the settings). */
export function workflowContext(settings: Record<string, unknown>, options: ContextOptions = {}): WorkflowContext {
  const facts = projectFacts('/nonexistent-chtkit-test-project', settings);
  for (const id of options.appForms ?? []) facts.reportForms.add(id);
  if ((options.appForms ?? []).length) facts.hasForms = true;
  const translations = new Map(Object.entries(options.translations ?? {}).map(([locale, table]) => [locale, new Map(Object.entries(table))]));
  return { settings, facts, core: options.core ? parseCoreVersion(options.core, 'flag') : newestKnown(), translations, hasContactFormsDir: false };
}
