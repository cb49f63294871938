// Which task windows the latest `cht dev` build changed, for the timeline to mark (`data-change`). Empty in a
// report opened from disk.
import { createContext } from 'preact';

export type WindowChange = 'appeared' | 'moved';

/** Keyed by `windowKey`. */
export const ChangesContext = createContext<ReadonlyMap<string, WindowChange>>(new Map());

export function windowKey(w: { id: string; start: string; end: string; due: string }, owner: string): string {
  return [w.id, owner, w.start, w.end, w.due].join('\u0000');
}
