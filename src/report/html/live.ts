import type { ReportData } from './report-data.js';

/**
 * `cht dev`'s channel between its server (src/dev/) and the report page: the page, opened from the server,
 * finds `#report-live` (below) and follows the builds. Pure types and functions: the page's bundle imports them.
 *
 * - `GET /events`: server-sent events, one `build` event per finished build, its data a `LiveBuildEvent`;
 *   the latest one is sent again to every page that connects.
 * - `GET /build.json`: the latest `LiveBuild` (the last good report, and this build's diagnostics).
 */

/** What `<script type="application/json" id="report-live">` holds in a page served by `cht dev`. */
export interface LiveEndpoints {
  events: string;
  build: string;
}

export interface LiveBuildEvent {
  /** Increases with every finished build, good or failed. */
  id: number;
  status: 'ok' | 'error';
}

export interface LiveBuild extends LiveBuildEvent {
  /** ISO instant the build finished. */
  finishedAt: string;
  /** How long it took, from the first change seen to the result. */
  ms: number;
  /** The files whose change started it, relative to the project folder (empty for the first build). */
  changed: string[];
  /** This build's problems (errors make it `error`; warnings can come with `ok`). */
  diagnostics: LiveDiagnostic[];
  /** The last good report: this build's when `ok`, else the one before (null until a build succeeds). */
  data: ReportData | null;
  /** The id of the build `data` comes from. */
  dataBuild: number | null;
  /** What changed from the good build before `data`'s (absent for the first good build). */
  changes?: ReportChanges;
}

export interface LiveDiagnostic {
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  /** Relative to the project folder (`/`-separated), when the problem is in a file. */
  file?: string;
  /** 1-based. */
  line?: number;
  column?: number;
  hint?: string;
  /** The same text the CLI prints for it, code frame included, without colour. */
  text: string;
}

/** A task window, as `ReportChanges` names it. */
export interface WindowKey {
  id: string;
  owner: string;
  task: string;
  start: string;
  end: string;
  due: string;
}

export interface ReportChanges {
  /** Windows whose emission and owner were not there before. */
  appeared: WindowKey[];
  /** Windows whose emission and owner are gone. */
  disappeared: WindowKey[];
  /** Same emission and owner, other start/end/due. */
  moved: { before: WindowKey; after: WindowKey }[];
  /** The same three counts per task name. */
  byTask: Record<string, { appeared: number; disappeared: number; moved: number }>;
}

function keysOf(data: ReportData): Map<string, WindowKey[]> {
  const byEmission = new Map<string, WindowKey[]>();
  for (const w of data.windows) {
    const key = `${w.id}\u0000${w.ownerId}`;
    const list = byEmission.get(key) ?? [];
    list.push({ id: w.id, owner: w.ownerId, task: data.taskNames[w.task] ?? '', start: w.start, end: w.end, due: w.due });
    byEmission.set(key, list);
  }
  return byEmission;
}

const same = (a: WindowKey, b: WindowKey) => a.start === b.start && a.end === b.end && a.due === b.due;

/**
 * The windows that appeared, disappeared or moved between two reports. An emission (id and owner) with several
 * windows (its dates changed over the span) is compared window by window: the ones with the same dates on both
 * sides are unchanged, the others pair up in order as moves, and what is left over appeared or disappeared.
 */
export function changesBetween(before: ReportData, after: ReportData): ReportChanges {
  const old = keysOf(before);
  const now = keysOf(after);
  const changes: ReportChanges = { appeared: [], disappeared: [], moved: [], byTask: {} };
  const count = (task: string, kind: 'appeared' | 'disappeared' | 'moved') => {
    const t = (changes.byTask[task] ??= { appeared: 0, disappeared: 0, moved: 0 });
    t[kind]++;
  };
  for (const [key, windows] of now) {
    const was = [...(old.get(key) ?? [])];
    const added: WindowKey[] = [];
    for (const w of windows) {
      const at = was.findIndex((x) => same(x, w));
      if (at === -1) added.push(w);
      else was.splice(at, 1);
    }
    added.forEach((w, i) => {
      const from = was[i];
      if (from) {
        changes.moved.push({ before: from, after: w });
        count(w.task, 'moved');
      } else {
        changes.appeared.push(w);
        count(w.task, 'appeared');
      }
    });
    for (const w of was.slice(added.length)) {
      changes.disappeared.push(w);
      count(w.task, 'disappeared');
    }
  }
  for (const [key, windows] of old) {
    if (now.has(key)) continue;
    for (const w of windows) {
      changes.disappeared.push(w);
      count(w.task, 'disappeared');
    }
  }
  return changes;
}

/** "2 appeared, 1 moved" (or "no change in tasks"), for the terminal and the page. */
export function changesText(changes: ReportChanges): string {
  const parts: string[] = [];
  if (changes.appeared.length) parts.push(`${changes.appeared.length} appeared`);
  if (changes.disappeared.length) parts.push(`${changes.disappeared.length} disappeared`);
  if (changes.moved.length) parts.push(`${changes.moved.length} moved`);
  return parts.length ? `task windows: ${parts.join(', ')}` : 'no change in tasks';
}
