import type { Delta, DiffPatcher } from 'jsondiffpatch';
import type { Settings } from './api.js';

/**
 * What an upload would change on the instance, as a flat list of changes computed with jsondiffpatch.
 * Array items are matched by `id`/`name`/`code`/`_id` so an insertion shows as one added item, not as every
 * later item "changed". Key order is ignored (as JSON semantics say); array order is not (a move is a change:
 * the order of targets or schedules is what users see).
 */
export type Path = Array<string | number>;

export interface SettingsChange {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  path: Path;
  /** The instance's value (removed, changed). */
  before?: unknown;
  /** The project's value (added, changed). */
  after?: unknown;
  /** For moves: old and new index. */
  from?: number;
  to?: number;
  /** For array items: their id/name, to say which one. */
  label?: string;
}

export interface SettingsDiff {
  changes: SettingsChange[];
  /** Top-level keys only the instance has: `replace=1` leaves them as they are. */
  instanceOnlyKeys: string[];
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  moved: number;
}

const ID_KEYS = ['id', 'name', 'code', '_id'] as const;

function itemLabel(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  for (const key of ID_KEYS) {
    const v = (item as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number') return `${key}=${v}`;
  }
  return undefined;
}

let differ: DiffPatcher | undefined;

/** jsondiffpatch is loaded on the first real difference: an up-to-date deploy never pays for it. */
async function getDiffer(): Promise<DiffPatcher> {
  if (!differ) {
    const { create } = await import('jsondiffpatch');
    differ = create({
      objectHash: (item: object, index?: number) => itemLabel(item) ?? `$index:${index ?? 0}`,
      arrays: { detectMove: true, includeValueOnMove: false },
    });
  }
  return differ;
}

/** Same JSON text: certainly equal (the common case of a deploy with nothing to change). */
function sameText(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function at(value: unknown, key: string | number): unknown {
  return value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
}

function withLabel(change: SettingsChange, item: unknown): SettingsChange {
  const label = itemLabel(item);
  return label ? { ...change, label } : change;
}

function walk(delta: Delta, path: Path, before: unknown, after: unknown, out: SettingsChange[]): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    if (delta.length === 1) out.push({ kind: 'added', path, after: delta[0] });
    else if (delta.length === 2) out.push({ kind: 'changed', path, before: delta[0], after: delta[1] });
    else if (delta[2] === 0) out.push({ kind: 'removed', path, before: delta[0] });
    return;
  }
  if ((delta as { _t?: unknown })._t === 'a') {
    const entries = Object.entries(delta as Record<string, Delta>).filter(([k]) => k !== '_t');
    for (const [key, sub] of entries) {
      if (!key.startsWith('_') || !Array.isArray(sub)) continue;
      const index = Number(key.slice(1));
      const old = at(before, index);
      if (sub[2] === 0) out.push(withLabel({ kind: 'removed', path: [...path, index], before: sub[0] }, old));
      else if (sub[2] === 3) out.push(withLabel({ kind: 'moved', path: [...path, index], from: index, to: Number(sub[1]) }, old));
    }
    for (const [key, sub] of entries) {
      if (key.startsWith('_')) continue;
      const index = Number(key);
      const item = at(after, index);
      const nested: SettingsChange[] = [];
      walk(sub, [...path, index], findBefore(before, item, index), item, nested);
      out.push(...nested.map((c) => (c.path.length === path.length + 1 ? withLabel(c, item) : c)));
    }
    return;
  }
  for (const [key, sub] of Object.entries(delta as Record<string, Delta>)) {
    walk(sub, [...path, key], at(before, key), at(after, key), out);
  }
}

/** The old array item a changed new item was matched with (same id/name, else same index). */
function findBefore(before: unknown, item: unknown, index: number): unknown {
  const label = itemLabel(item);
  if (label && Array.isArray(before)) {
    const match = before.find((b) => itemLabel(b) === label);
    if (match !== undefined) return match;
  }
  return at(before, index);
}

/** The instance's values for the keys the project uploads: what `PUT ?replace=1` would overwrite. */
export function projectOnto(remote: Settings, keys: Iterable<string>): Settings {
  const out: Settings = {};
  for (const key of keys) if (Object.prototype.hasOwnProperty.call(remote, key)) out[key] = remote[key];
  return out;
}

/** Every change from `before` to `after`. */
export async function diffValues(before: unknown, after: unknown): Promise<SettingsChange[]> {
  if (sameText(before, after)) return [];
  const changes: SettingsChange[] = [];
  walk((await getDiffer()).diff(before, after), [], before, after, changes);
  return changes;
}

/** `before` → `after`, restricted to the top-level keys of `after` (replace semantics). */
export async function diffSettings(before: Settings, after: Settings): Promise<SettingsDiff> {
  const keys = Object.keys(after);
  return {
    changes: await diffValues(projectOnto(before, keys), after),
    instanceOnlyKeys: Object.keys(before).filter((k) => !keys.includes(k)),
  };
}

export function countChanges(changes: readonly SettingsChange[]): DiffCounts {
  const counts: DiffCounts = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}

/** `tasks.targets.items[2]`: a path as people read it. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(root)';
}
