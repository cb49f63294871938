// Which task windows changed, for the timeline to mark (`data-change`): in `cht dev`'s page, what the latest
// build changed (appeared, moved); in the impact preview (`--against`), what differs from the old side (added,
// removed, moved). Empty in a plain report opened from disk.
import { createContext } from 'preact';
import type { WindowKey } from '../../src/report/html/live.js';

export type WindowChange = 'appeared' | 'moved' | 'added' | 'removed';

export interface WindowChanges {
  /** Keyed by `windowKey`. */
  marks: ReadonlyMap<string, WindowChange>;
  /** A moved window's dates before, keyed by `windowKey` of its new dates (drawn as an outline where it was). */
  moves: ReadonlyMap<string, WindowKey>;
  /** What the change is measured against, for labels: "in the last build", "against git:HEAD (3f2a9c1)". */
  since: string;
}

export const NO_CHANGES: WindowChanges = { marks: new Map(), moves: new Map(), since: '' };

export const ChangesContext = createContext<WindowChanges>(NO_CHANGES);

export function windowKey(w: { id: string; start: string; end: string; due: string }, owner: string): string {
  return [w.id, owner, w.start, w.end, w.due].join('\u0000');
}
