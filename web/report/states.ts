// How each state looks and reads. Every state has a glyph and a word besides its pattern, so no state is told
// by colour or pattern alone.
import type { ReportState } from '../../src/report/html/report-data.js';

export const STATES: ReportState[] = ['Ready', 'Draft', 'Completed', 'Cancelled', 'Failed', 'NotTimely', 'Duplicate'];

const GLYPHS: Record<ReportState, string> = {
  Ready: '',
  Draft: '…',
  Completed: '✓',
  Cancelled: '✕',
  Failed: '!',
  NotTimely: '~',
  Duplicate: '=',
};

export function stateGlyph(state: ReportState): string {
  return GLYPHS[state] ?? '?';
}

const WORDS: Record<ReportState, string> = {
  Ready: 'Ready (on the Tasks tab)',
  Draft: 'Draft (until its window opens)',
  Completed: 'Completed (resolved)',
  Cancelled: 'Cancelled (a deleted report, or an invalid due date)',
  Failed: 'Failed (since its window closed)',
  NotTimely: 'Not timely (outside the 60/180-day window: no task doc)',
  Duplicate: 'Duplicate (another emission with the same _id won)',
};

export function stateWords(state: ReportState): string {
  return WORDS[state] ?? state;
}
