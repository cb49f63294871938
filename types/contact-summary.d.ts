/* eslint-disable @typescript-eslint/no-explicit-any -- CHT documents are user-shaped: their custom fields stay unchecked, as at run time. */
/**
 * The globals of a contact summary (contact-summary.templated.js or contact-summary.js), for type checking:
 *
 *   // contact-summary.templated.js
 *   // @ts-check
 *   /// <reference types="chtkit/types/contact-summary" />
 *   /** @type {import('chtkit/types').ContactSummary} *\/
 *   const summary = { fields, cards, context };
 *   module.exports = summary;
 *
 * They are opt-in (tasks.js and targets.js do not have them).
 */
import type { ContactDoc, ReportDoc } from './index.js';

declare global {
  /** The contact whose profile is shown. */
  const contact: ContactDoc;
  /** The contact's reports. */
  const reports: ReportDoc[];
  /** The contact's parents, nearest first. */
  const lineage: ContactDoc[];
  /** Universal health coverage stats (visit counts) when configured. */
  const uhcStats: { homeVisits?: { lastVisitedDate?: number; count?: number; countGoal?: number }; [key: string]: unknown } | undefined;
  /** The target document of the contact for the current interval, when targets are aggregated. */
  const targetDoc: Record<string, any> | undefined;
}
