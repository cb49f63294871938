/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';

/**
 * The settings document of the local instance, on disk. Every change is written with writeFileAtomic (temp
 * file, fsync, rename, fsync of the directory) before the HTTP answer goes out, so a server killed at any
 * moment leaves the old settings or the new ones, whole, and an answered upload is durable.
 */
export type Settings = Record<string, any>;
export type UpdateMode = 'replace' | 'overwrite' | 'extend';

export interface SettingsDoc {
  _id: 'settings';
  _rev: string;
  settings: Settings;
}

interface StoreFile {
  format: 1;
  update_seq: number;
  doc: SettingsDoc | null;
}

const FILE = 'settings.json';

function isObject(value: unknown): value is Record<string, any> {
  return value === Object(value) && !Array.isArray(value);
}

/** cht-core's `replace`: each given top-level property replaces the stored one; others stay. */
function doReplace(target: Settings, source: Settings): void {
  for (const key of Object.keys(source)) target[key] = source[key];
}

/** cht-core's default (`extend`): objects merge recursively; arrays and scalars replace. */
function doExtend(target: Settings, source: Settings): void {
  for (const key of Object.keys(source)) {
    if (isObject(source[key])) {
      if (!target[key]) target[key] = {};
      doExtend(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
}

export class SettingsStore {
  private state: StoreFile;

  private constructor(readonly dir: string) {
    this.state = { format: 1, update_seq: 0, doc: null };
  }

  /** Opens (or creates) the store in `dir`, removing temp files a killed server may have left. */
  static open(dir: string): SettingsStore {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`.${FILE}.`) && name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
    }
    const store = new SettingsStore(dir);
    const file = path.join(dir, FILE);
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
        if (parsed.format !== 1 || typeof parsed.update_seq !== 'number') throw new Error('unknown format');
        store.state = parsed;
      } catch (err) {
        throw new UserError(`The local instance's store ${file} cannot be read (${(err as Error).message}).`, {
          code: 'CHT_E_LOCAL_STORE',
          hint: 'It was edited by hand or by another program. Fix it, or move it away to start with empty settings.',
        });
      }
    }
    return store;
  }

  get file(): string {
    return path.join(this.dir, FILE);
  }

  get updateSeq(): number {
    return this.state.update_seq;
  }

  get docCount(): number {
    return this.state.doc ? 1 : 0;
  }

  /** The stored settings, `{}` before the first upload (cht-core answers the same for a fresh instance). */
  get settings(): Settings {
    return this.state.doc?.settings ?? {};
  }

  /** Applies an update with cht-core's semantics and says whether anything changed (its `updated` flag). */
  update(body: Settings, mode: UpdateMode): boolean {
    const current = this.settings;
    const original = JSON.stringify(current);
    let next: Settings;
    if (mode === 'overwrite') {
      next = body;
    } else {
      next = structuredClone(current);
      if (mode === 'replace') doReplace(next, body);
      else doExtend(next, body);
    }
    const text = JSON.stringify(next);
    if (text === original) return false;
    const generation = Number((this.state.doc?._rev ?? '0-').split('-')[0]) + 1;
    const rev = `${generation}-${createHash('md5').update(text).digest('hex')}`;
    const nextState: StoreFile = { format: 1, update_seq: this.state.update_seq + 1, doc: { _id: 'settings', _rev: rev, settings: next } };
    writeFileAtomic(this.file, `${JSON.stringify(nextState)}\n`);
    this.state = nextState;
    return true;
  }
}
