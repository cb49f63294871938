import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, type Dirent } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The compile cache's store: outputs of earlier compiles on disk, each reused for as long as every input it
 * recorded is unchanged.
 *
 * An entry is one file, `<slot>.<inputs>.json`. The slot is a digest of its key, what the compile was asked for
 * (chtkit's code, esbuild's version, the options, the project's layout: the caller decides); `<inputs>` a digest
 * of what it read. Line 1 is the header — the key, whole, and the recorded inputs: each file's digest (or its
 * absence), each directory listing's — and the rest is the output, as JSON. A lookup takes the slot's entries
 * newest first and digests their inputs again; the first whose inputs all match is a hit. A slot keeps a few
 * entries, so going back to an earlier version of a file (switching git branches) hits again.
 *
 * Inputs are compared by content, never by size and mtime: npm gives every file of every package the same
 * mtime (1985-10-26), so a dependency upgrade that keeps a file's size would look unchanged, and git
 * checkouts, `cp -p`, `tar` and rsync set mtimes that say nothing about content. Digesting the few dozen files a
 * config bundles takes about a millisecond.
 *
 * Safe under concurrent runs: an entry is written to a temp file and renamed into place, so a reader sees a
 * whole entry or none; two runs that miss together both compile and write the same entry. A file that changes
 * while it is being compiled is caught at store time (its mtime is after the compile started), and the entry
 * is then not written. An entry that cannot be read or parsed is a miss, never an error; so is a cache
 * directory that cannot be created or written (nothing is stored). No fsync: a cache entry lost or truncated
 * by a crash is just a miss.
 */

/** Bumped whenever the entry format or what a slot means changes. */
export const CACHE_FORMAT = 2;

/** Entries kept per slot (recent versions of one project's inputs). */
const ENTRIES_PER_SLOT = 3;
/** Bounds of the whole cache directory; the least recently used entries go first. */
const MAX_ENTRIES = 64;
const MAX_BYTES = 128 * 1024 * 1024;
/** A temp file this old belongs to a run that died. */
const STALE_TEMP_MS = 10 * 60 * 1000;
/** An input modified less than this before the compile started may have changed while it was read. */
const MTIME_MARGIN_MS = 2000;

/**
 * What the cache compares and names files by: a CRC-32 of the bytes and their length. Enough to notice a change,
 * which is all a lookup asks (Node's own compile cache checks a module's source by CRC-32 too); a slot's key is
 * compared whole (its entries' headers hold it), so two requests never share an entry by a collision. Not sha256:
 * loading node:crypto took ~6 ms of every warm validation and dry-run, which otherwise never load it.
 */
export function digest(data: string | Buffer): string {
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  return `${(crc32(data) >>> 0).toString(16).padStart(8, '0')}${length.toString(16)}`;
}

/**
 * Where the cache lives for a project: `<project>/node_modules/.cache/chtkit` when the project has a
 * node_modules directory (as babel, eslint and webpack loaders do; it goes away with node_modules), else
 * `$XDG_CACHE_HOME/chtkit`, else `~/.cache/chtkit`. chtkit never creates a project's node_modules.
 */
export function cacheDirFor(projectDir: string, env: NodeJS.ProcessEnv): string {
  const modules = path.join(projectDir, 'node_modules');
  try {
    if (statSync(modules).isDirectory()) return path.join(modules, '.cache', 'chtkit');
  } catch {
    // no node_modules: the user's cache directory
  }
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'chtkit');
}

/** What an entry depends on: files by content hash (null: absent), directories by listing hash (null: absent). */
export interface RecordedInputs {
  files: Record<string, string | null>;
  dirs: Record<string, string | null>;
}

/**
 * A directory's entries that count for its listing: not dot-entries (editors' swap and lock files, .git,
 * node_modules/.cache where this cache may live, temp files of atomic writes — no `require` resolves to a
 * name starting with a dot unless it names it, and then that file is itself an input), nor `ignored` names
 * (a compile's own output file).
 */
export function listing(entries: readonly string[], ignored: ReadonlySet<string> = new Set()): string[] {
  return entries.filter((n) => !n.startsWith('.') && !ignored.has(n)).sort();
}

/**
 * Hashes files and directory listings, each once (a lookup compares several entries that share most inputs).
 * A file or directory that cannot be read (absent, or not a file/directory, or no permission) hashes to null.
 */
export class InputHasher {
  private readonly files = new Map<string, string | null>();
  private readonly dirs = new Map<string, { hash: string | null; entries: Dirent[] }>();

  /** `ignored`: names left out of a directory's listing, by directory. */
  constructor(private readonly ignored: ReadonlyMap<string, ReadonlySet<string>> = new Map()) {}

  file(file: string): string | null {
    let hash = this.files.get(file);
    if (hash === undefined) {
      try {
        hash = digest(readFileSync(file));
      } catch {
        hash = null;
      }
      this.files.set(file, hash);
    }
    return hash;
  }

  /** The directory's entries (empty when it cannot be read). */
  entries(dir: string): Dirent[] {
    return this.dir(dir).entries;
  }

  dirHash(dir: string): string | null {
    return this.dir(dir).hash;
  }

  private dir(dir: string): { hash: string | null; entries: Dirent[] } {
    let known = this.dirs.get(dir);
    if (!known) {
      try {
        const entries = readdirSync(dir, { withFileTypes: true });
        known = { hash: digest(listing(entries.map((e) => e.name), this.ignored.get(dir)).join('\n')), entries };
      } catch {
        known = { hash: null, entries: [] };
      }
      this.dirs.set(dir, known);
    }
    return known;
  }

  record(files: Iterable<string>, dirs: Iterable<string>): RecordedInputs {
    const recorded: RecordedInputs = { files: {}, dirs: {} };
    for (const f of [...files].sort()) recorded.files[f] = this.file(f);
    for (const d of [...dirs].sort()) recorded.dirs[d] = this.dirHash(d);
    return recorded;
  }

  matches(recorded: RecordedInputs): boolean {
    for (const [f, hash] of Object.entries(recorded.files)) if (this.file(f) !== hash) return false;
    for (const [d, hash] of Object.entries(recorded.dirs)) if (this.dirHash(d) !== hash) return false;
    return true;
  }
}

/**
 * True when an input may have changed while the compile read it: a recorded file modified after `sinceMs` (minus
 * a margin for coarse clocks), a file the compile `read` that is gone, or a directory that gained (or had renamed
 * into it) an entry that counts for its listing. A directory's own mtime is not enough: it also moves when a
 * dot-entry comes or goes (vitest's node_modules/.vite, this cache's node_modules/.cache), which no `require`
 * sees; and a removed entry matters only if the compile read it, which `read` catches.
 */
export function modifiedSince(recorded: RecordedInputs, sinceMs: number, read: Iterable<string> = [],
  ignored: ReadonlyMap<string, ReadonlySet<string>> = new Map()): boolean {
  const limit = sinceMs - MTIME_MARGIN_MS;
  for (const file of read) if (!existsSync(file)) return true;
  for (const file of Object.keys(recorded.files)) {
    try {
      if (statSync(file).mtimeMs >= limit) return true;
    } catch {
      // absent: its absence is what was recorded (and is compared on lookup)
    }
  }
  for (const dir of Object.keys(recorded.dirs)) {
    try {
      if (statSync(dir).mtimeMs < limit) continue;
      for (const name of listing(readdirSync(dir), ignored.get(dir))) {
        const st = lstatSync(path.join(dir, name));
        if (st.ctimeMs >= limit || st.mtimeMs >= limit) return true;
      }
    } catch {
      return true; // gone or unreadable just now: changing under the compile
    }
  }
  return false;
}

interface Header {
  format: number;
  /** The slot's key, whole: the file name has only its digest. */
  key: string;
  inputs: RecordedInputs;
}

function isHeader(value: unknown, key: string): value is Header {
  const h = value as Header;
  return !!h && h.format === CACHE_FORMAT && h.key === key && !!h.inputs &&
    typeof h.inputs.files === 'object' && h.inputs.files !== null && typeof h.inputs.dirs === 'object' && h.inputs.dirs !== null;
}

interface EntryFile {
  name: string;
  file: string;
  mtimeMs: number;
  size: number;
}

/** The directory's files (those whose name `wanted` accepts), with their times and sizes. */
function entryFiles(cacheDir: string, wanted: (name: string) => boolean = () => true): EntryFile[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return [];
  }
  const entries: EntryFile[] = [];
  for (const name of names) {
    if (!wanted(name)) continue;
    const file = path.join(cacheDir, name);
    try {
      const st = statSync(file);
      if (st.isFile()) entries.push({ name, file, mtimeMs: st.mtimeMs, size: st.size });
    } catch {
      // removed meanwhile by a concurrent prune
    }
  }
  return entries;
}

function slotEntries(cacheDir: string, slot: string): EntryFile[] {
  // Names first: a lookup stats only its own slot's few entries, not the whole directory's (up to 64 of them,
  // ~2 ms of every warm validation, which looks up two bundles).
  return entryFiles(cacheDir, (name) => name.startsWith(`${slot}.`) && name.endsWith('.json')).sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** A slot's name in entry file names: its key's digest. */
function slotName(key: string): string {
  return digest(key);
}

/**
 * The output of the newest entry of the slot `key` whose recorded inputs are unchanged, or undefined. Never
 * throws: an unreadable or corrupt entry is skipped.
 */
export function lookupEntry<T>(cacheDir: string, key: string, hasher = new InputHasher()): T | undefined {
  for (const entry of slotEntries(cacheDir, slotName(key)).slice(0, ENTRIES_PER_SLOT)) {
    try {
      const text = readFileSync(entry.file, 'utf8');
      const newline = text.indexOf('\n');
      if (newline === -1) continue;
      const header: unknown = JSON.parse(text.slice(0, newline));
      if (!isHeader(header, key) || !hasher.matches(header.inputs)) continue;
      const output = JSON.parse(text.slice(newline + 1)) as T;
      touch(entry.file);
      return output;
    } catch {
      // unreadable, truncated or not JSON: a miss (a later store replaces or prunes it)
    }
  }
  return undefined;
}

/**
 * The real time, in milliseconds: not `Date`, which a dry-run replaces with its simulated clock while it runs (and
 * the traced timeline reads and writes this cache then: src/simulate/fast/traced-rules.ts).
 */
function realNow(): number {
  return performance.timeOrigin + performance.now();
}

function touch(file: string): void {
  try {
    const now = realNow() / 1000;
    utimesSync(file, now, now);
  } catch {
    // a read-only cache still serves hits; the entry just ages
  }
}

/**
 * Writes an entry (temp file + rename) and prunes the directory. `outputJson` is the output's JSON text.
 * Returns false when nothing could be written (the cache is then simply not used).
 */
export function storeEntry(cacheDir: string, key: string, inputs: RecordedInputs, outputJson: string): boolean {
  const header: Header = { format: CACHE_FORMAT, key, inputs };
  const headerJson = JSON.stringify(header);
  const slot = slotName(key);
  const name = `${slot}.${digest(JSON.stringify(inputs))}.json`;
  const file = path.join(cacheDir, name);
  const temp = path.join(cacheDir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, `${headerJson}\n${outputJson}`);
    renameSync(temp, file);
  } catch {
    remove(temp);
    return false;
  }
  prune(cacheDir, slot, name);
  return true;
}

/**
 * Keeps the newest few entries of `slot` and the whole directory within its bounds (least recently used
 * entries first: a hit touches its entry), and removes temp files left by runs that died.
 */
export function prune(cacheDir: string, slot: string, keep: string): void {
  const now = realNow();
  const entries = entryFiles(cacheDir);
  const doomed = new Set<EntryFile>();
  for (const e of entries) if (e.name.endsWith('.tmp') && now - e.mtimeMs > STALE_TEMP_MS) doomed.add(e);
  const json = entries.filter((e) => e.name.endsWith('.json')).sort((a, b) => b.mtimeMs - a.mtimeMs);
  json.filter((e) => e.name.startsWith(`${slot}.`) && e.name !== keep).slice(ENTRIES_PER_SLOT - 1).forEach((e) => doomed.add(e));
  let count = 0;
  let bytes = 0;
  for (const e of json) {
    if (doomed.has(e)) continue;
    count++;
    bytes += e.size;
    if (e.name !== keep && (count > MAX_ENTRIES || bytes > MAX_BYTES)) doomed.add(e);
  }
  for (const e of doomed) remove(e.file);
}

function remove(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // gone already, or in a directory that cannot be written: nothing to do
  }
}
