/* eslint-disable @typescript-eslint/no-explicit-any -- settings in tests are user-shaped JSON */
import type { WorkflowContext } from '../../../src/schema/workflows/context.js';
import { newestKnown, parseCoreVersion } from '../../../src/schema/workflows/core-version.js';

/** A workflow context for unit tests: the settings given, no forms unless listed, the newest core unless `core`. */
export function workflowContext(
  settings: Record<string, any>,
  options: { core?: string; contactForms?: string[]; reportForms?: string[]; hasContactFormsDir?: boolean } = {},
): WorkflowContext {
  const contactForms = new Set(options.contactForms ?? []);
  const reportForms = new Set(options.reportForms ?? []);
  return {
    settings,
    facts: { reportForms, contactForms, contactTypes: new Set(), hasForms: contactForms.size + reportForms.size > 0 },
    core: options.core ? parseCoreVersion(options.core, 'flag') : newestKnown(),
    translations: new Map(),
    hasContactFormsDir: options.hasContactFormsDir ?? contactForms.size > 0,
  };
}
