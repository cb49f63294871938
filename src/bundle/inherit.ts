/* eslint-disable @typescript-eslint/no-explicit-any -- walks user-shaped settings by dotted paths */
import { UserError } from '../errors.js';
import type { InheritSpec } from '../project/project.js';

/**
 * Applies settings.inherit.json's transforms to the inherited project's compiled settings, in cht-conf's order
 * (delete, replace, merge, filter) and with its semantics. Kinder than cht-conf: a transform that is absent is
 * skipped instead of failing.
 */
export function applyInheritTransforms(settings: Record<string, any>, spec: InheritSpec): void {
  const bad = (what: string) =>
    new UserError(`settings.inherit.json: ${what}`, { code: 'CHT_E_INHERIT', hint: spec.file });

  const parentOf = (path: string): [any, string] => {
    const parts = path.split('.');
    let node: any = settings;
    for (const part of parts.slice(0, -1)) {
      node = node?.[part];
      if (node === null || typeof node !== 'object') throw bad(`"${path}" does not exist in the inherited settings.`);
    }
    return [node, parts[parts.length - 1]!];
  };

  if (spec.delete !== undefined) {
    if (!Array.isArray(spec.delete)) throw bad('"delete" should be an array of dotted paths.');
    for (const p of spec.delete as string[]) {
      const [parent, key] = parentOf(String(p));
      delete parent[key];
    }
  }
  if (spec.replace !== undefined) {
    if (typeof spec.replace !== 'object' || spec.replace === null) throw bad('"replace" should be an object of dotted path → value.');
    for (const [p, value] of Object.entries(spec.replace)) {
      const [parent, key] = parentOf(p);
      parent[key] = value;
    }
  }
  if (spec.merge !== undefined) {
    if (typeof spec.merge !== 'object' || spec.merge === null) throw bad('"merge" should be an object.');
    merge(settings, spec.merge as Record<string, any>);
  }
  if (spec.filter !== undefined) {
    if (typeof spec.filter !== 'object' || spec.filter === null) throw bad('"filter" should be an object of dotted path → keys to keep.');
    for (const [p, keep] of Object.entries(spec.filter)) {
      if (!Array.isArray(keep)) throw bad(`"filter" values must be arrays ("${p}" is not).`);
      const [parent, key] = parentOf(p);
      const node = parent[key];
      if (node === null || typeof node !== 'object') throw bad(`"${p}" is not an object in the inherited settings.`);
      for (const k of Object.keys(node)) if (!keep.includes(k)) delete node[k];
    }
  }
}

/**
 * cht-conf's merge walks the *inherited* settings' keys: arrays in the merge spec are appended, objects are
 * merged recursively, and keys that exist only in the spec are ignored.
 */
function merge(target: Record<string, any>, source: Record<string, any>): void {
  for (const key of Object.keys(target)) {
    if (Array.isArray(source[key])) target[key] = target[key].concat(source[key]);
    else if (source[key] !== null && typeof source[key] === 'object') merge(target[key], source[key]);
  }
}
