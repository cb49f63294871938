import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';
import type { CliIO } from './main.js';

/*
 * How bin/cht.js starts the CLI, compiled code cached where Node can. bin/cht.js requires this module as
 * dist/cli/launch.cjs (scripts/build-cli-bundle.js makes it from this one): a CommonJS entry spares every run
 * Node's ES module loader (~10 ms), which a run that needs no ES module package then never starts.
 *
 *  - Node 22.1 and newer: the ES modules in dist/, with Node's own compile cache (module.enableCompileCache).
 *  - Node 20: dist/cli/cht.cjs, the same modules bundled at build time (scripts/build-cli-bundle.js), compiled
 *    with a V8 code cache kept on disk. Node 20 caches no ES module, and compiling chtkit's modules afresh was a
 *    third of a validate-app-settings run. Hand-written because Node 20 has no API for it; the npm package for
 *    this (v8-compile-cache) hooks every `require` and breaks `import()` inside the code it compiles.
 *  - NODE_DISABLE_COMPILE_CACHE set (Node's own switch), or no bundle: the ES modules, uncached.
 *
 * The cache only skips V8's parsing and compiling: the code that runs is the bundle's, whatever the cache holds.
 * V8 rejects a cache made by another V8 version or flags or for a script of another length; the file name adds
 * the bundle's content hash, so another build of chtkit never reads it. One file per list of actions (each run
 * compiles the functions of its own actions, and the cache keeps what the run that wrote it compiled), written
 * after the run (temp file and rename), only when there was none or V8 rejected it. Until the user has one, the
 * build's own (dist/cli/code-cache/, made for the common actions on the Node that built chtkit) serves. Any
 * failure to read or write a cache only means running uncached.
 */

const BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cht.cjs');
/** Code caches made at build time for the common actions, read when the user's cache has none yet (read only). */
const SHIPPED_DIR = path.join(path.dirname(BUNDLE), 'code-cache');
/** Code cache files kept per cache directory (one per list of actions run, for the current build). */
const MAX_FILES = 24;

type Main = (io: CliIO) => Promise<number>;

export async function launch(io: CliIO): Promise<number> {
  const { enableCompileCache } = Module as unknown as { enableCompileCache?: () => unknown };
  const disabled = !!io.env.NODE_DISABLE_COMPILE_CACHE;
  if (enableCompileCache || disabled) {
    if (!disabled) enableCompileCache?.();
    return (await import('./main.js')).main(io);
  }
  const bundled = loadBundle(io);
  if (!bundled) return (await import('./main.js')).main(io);
  let code: number | undefined;
  try {
    code = await bundled.main(io);
    return code;
  } finally {
    bundled.saveCache(code === 0);
  }
}

interface Bundled {
  main: Main;
  /**
   * Writes the code cache when the run had none, V8 rejected it, or it was written by a run that failed (which
   * stopped early, and compiled less) and this one succeeded: it then holds every function the run compiled.
   */
  saveCache(succeeded: boolean): void;
}

function loadBundle(io: CliIO): Bundled | undefined {
  let source: string;
  try {
    // ASCII (scripts/build-cli-bundle.js): read as latin1, a one-byte string without UTF-8 decoding.
    source = readFileSync(BUNDLE, 'latin1');
  } catch {
    return undefined;
  }
  const header = /^\/\/ chtkit-cli-bundle ([0-9a-f]+) ([a-z,-]*)\n/.exec(source);
  if (!header) return undefined;
  const [, build, actionList] = header as unknown as [string, string, string];
  const actions = new Set(actionList.split(','));
  const ran = [...new Set(io.argv.filter((a) => actions.has(a)))].join(',');
  const dir = cacheDir(io.env);
  const name = `cht-${build}-${digest(`${process.version} ${process.arch} ${ran}`)}.v8`;
  const file = path.join(dir, name);
  // The user's own, else the one the build made for this action list (scripts/build-cli-bundle.js), if any.
  const cached = readCache(file) ?? readCache(path.join(SHIPPED_DIR, name));
  // The file is a function expression (scripts/build-cli-bundle.js): a CommonJS module's wrapper, plus the
  // bundle's import() of npm packages (chalk, ora, node-fetch...), made here, in an ES module of the same folder, so
  // they resolve as from any of chtkit's modules.
  const script = new vm.Script(source, {
    filename: BUNDLE,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  const module = { exports: {} as { main?: Main } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const importPackage = (specifier: string): Promise<unknown> => import(specifier);
  wrapper.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), importPackage);
  const main = module.exports.main;
  if (typeof main !== 'function') return undefined;
  return {
    main,
    saveCache: (succeeded) => {
      // CHTKIT_EXTEND_CODE_CACHE (the build's own, scripts/build-cli-bundle.js): write even over a cache V8 took,
      // so one made from a run on another project also holds what that run compiled.
      const extend = !!io.env.CHTKIT_EXTEND_CODE_CACHE && succeeded;
      if (cached && !script.cachedDataRejected && (cached.succeeded || !succeeded) && !extend) return;
      store(dir, file, build, script.createCachedData(), succeeded);
    },
  };
}

/**
 * A CRC-32 and the length, 16 hex digits: enough to tell a damaged or truncated file (and to name one), and
 * node:crypto, which every run loaded here for a sha256, costs ~6 ms to load. (The compile cache's `digest` in
 * src/bundle/compile-cache.ts, at a fixed width for the header: written again here because dist/cli/launch.cjs is
 * built from this module alone, unbundled, and imports nothing of chtkit's before the CLI bundle is loaded.)
 */
function digest(data: string | Buffer): string {
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  return `${(crc32(data) >>> 0).toString(16).padStart(8, '0')}${length.toString(16).padStart(8, '0').slice(-8)}`;
}

/**
 * A file is its data's digest (a truncated or damaged file is never handed to V8), `+` or `-` for whether the run
 * that wrote it succeeded, a newline, then the data.
 */
const HEADER_BYTES = 18;

function readCache(file: string): { data: Buffer; succeeded: boolean } | undefined {
  try {
    const bytes = readFileSync(file);
    const data = bytes.subarray(HEADER_BYTES);
    const header = bytes.toString('latin1', 0, HEADER_BYTES);
    if (bytes.length <= HEADER_BYTES || !/^[0-9a-f]{16}[+-]\n$/.test(header) || header.slice(0, 16) !== digest(data)) return undefined;
    return { data, succeeded: header[16] === '+' };
  } catch {
    return undefined; // none yet, or unreadable
  }
}

function statMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** NODE_COMPILE_CACHE's folder when set (as Node 22 would use), else the user's cache folder, as for compiles. */
function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.NODE_COMPILE_CACHE && path.isAbsolute(env.NODE_COMPILE_CACHE)) return path.join(env.NODE_COMPILE_CACHE, 'chtkit');
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'chtkit', 'code-cache');
}

/** Writes one code cache file (temp + rename) and removes those of other builds and the oldest beyond the bound. */
function store(dir: string, file: string, build: string, data: Buffer, succeeded: boolean): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // Only this user may write code that this user's runs will execute.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, Buffer.concat([Buffer.from(`${digest(data)}${succeeded ? '+' : '-'}\n`, 'latin1'), data]), { mode: 0o600 });
    renameSync(temp, file);
    const ours = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.startsWith('cht-'));
    // Other builds' files, and temp files of runs that died before their rename.
    const stale = ours.filter((e) => (!e.name.startsWith(`cht-${build}-`) && e.name.endsWith('.v8')) ||
      (e.name.endsWith('.tmp') && Date.now() - statMtime(path.join(dir, e.name)) > 10 * 60_000));
    for (const e of stale) rmSync(path.join(dir, e.name), { force: true });
    const current = ours.filter((e) => e.name.startsWith(`cht-${build}-`) && e.name.endsWith('.v8'));
    if (current.length > MAX_FILES) {
      const dated = current.map((e) => ({ name: e.name, mtime: statMtime(path.join(dir, e.name)) })).sort((a, b) => a.mtime - b.mtime);
      for (const e of dated.slice(0, current.length - MAX_FILES)) rmSync(path.join(dir, e.name), { force: true });
    }
  } catch {
    rmSync(temp, { force: true });
  }
}
