import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigProject } from '../project/project.js';
import { cacheDirFor, digest, InputHasher, lookupEntry, modifiedSince, storeEntry } from './compile-cache.js';

/*
 * What a cached output depends on besides what it was asked for: chtkit's own code, esbuild's version, and
 * every file and directory listing a bundle read or whose change could make a `require` resolve elsewhere.
 * Shared by the compile's cache entries (cached-compile.ts) and single bundles' (cached-bundle.ts).
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** chtkit's runtime modules are bundle inputs like the project's files, but never resolved by searching. */
const RUNTIME_DIR = path.join(HERE, 'runtime');
// A package.json can change how a require resolves (`main`, `browser`); tsconfig.json is never read (esbuild.ts).
const CONFIG_FILES = ['package.json'];

let ownCode: string | undefined;

/**
 * In the CLI bundle, chtkitIdentity() of the modules it was built from, worked out at build time
 * (scripts/build-cli-bundle.js): the bundle holds their code, so it is the same answer without reading and hashing
 * two dozen files on every run (~3 ms). Undefined when the modules run themselves.
 */
declare const __CHTKIT_COMPILE_IDENTITY__: string | undefined;

/**
 * chtkit's version and a hash of its own compile code (this directory and src/project): a chtkit whose
 * compile changed, released or not, never reads the entries of another.
 */
export function chtkitIdentity(): string {
  if (ownCode === undefined && typeof __CHTKIT_COMPILE_IDENTITY__ === 'string') ownCode = __CHTKIT_COMPILE_IDENTITY__;
  if (ownCode === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(HERE, '..', '..', 'package.json'), 'utf8')) as { version: string };
    ownCode = digest([pkg.version, ...moduleDigests([HERE, RUNTIME_DIR, path.join(HERE, '..', 'project')])].join('\n'));
  }
  return ownCode;
}

/**
 * `name:digest` of every module (.js or .ts, not .d.ts) in `dirs`, each folder in name order, as they are on disk
 * (dist/ when installed, src/ under the tests): what an entry made by that code depends on.
 */
export function moduleDigests(dirs: readonly string[]): string[] {
  const hasher = new InputHasher();
  const parts: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) parts.push(`${name}:${hasher.file(path.join(dir, name))}`);
    }
  }
  return parts;
}

/** The version of an installed npm package, as chtkit resolves it; undefined when it cannot be read. */
export function installedVersion(name: string): string | undefined {
  try {
    const file = createRequire(import.meta.url).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

let esbuildVersionRead: string | undefined;

/** The installed esbuild's version, read once per process (every bundle's cache slot names it). */
export function esbuildVersion(): string {
  if (esbuildVersionRead === undefined) {
    esbuildVersionRead = installedVersion('esbuild');
    if (esbuildVersionRead === undefined) throw new Error('esbuild\'s package.json cannot be read where chtkit resolves it');
  }
  return esbuildVersionRead;
}

function isInside(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** The package root of a file inside node_modules (`…/node_modules/name` or `…/node_modules/@scope/name`). */
export function packageRootOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('node_modules');
  if (i === -1 || i + 1 >= parts.length - 1) return undefined;
  const end = parts[i + 1]!.startsWith('@') ? i + 3 : i + 2;
  return end < parts.length ? parts.slice(0, end).join(path.sep) : undefined;
}

/** The name a package is required by, from its root: `moment`, `@scope/name`. */
function packageNameOf(root: string): string {
  const parts = root.split(path.sep);
  return parts.slice(parts.lastIndexOf('node_modules') + 1).join('/');
}

/**
 * Everything a compile's result depends on, beyond the slot: every file it read (settings, purge.js and its
 * modules, every bundled file), the package.json of every npm package bundled, and — because adding a file can
 * change what a `require` resolves to (`./helpers.ts` next to `./helpers.js`, a package installed in a nearer
 * node_modules) — the listing of every directory from a bundled file's up to the project's (or up to the
 * node_modules it is in), with the node_modules directories they hold, each bundled package's package.json in
 * every node_modules from the project's folder up to the one it was found in, and the package.json files esbuild
 * may read in those directories and above them.
 */
export function inputsOf(project: ConfigProject, compiled: { files: readonly string[] }): { files: Set<string>; dirs: Set<string> } {
  const hasher = new InputHasher();
  const files = new Set(compiled.files);
  const dirs = new Set<string>();
  const projectDirs = [project.dir, project.rootDir];
  const packageNames = new Set<string>();
  for (const file of compiled.files) {
    if (isInside(file, RUNTIME_DIR)) continue;
    const pkg = packageRootOf(file);
    if (pkg) {
      files.add(path.join(pkg, 'package.json'));
      packageNames.add(packageNameOf(pkg));
    }
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      dirs.add(dir);
      const parent = path.dirname(dir);
      if (projectDirs.includes(dir) || path.basename(dir) === 'node_modules' || parent === dir) break;
      if (projectDirs.some((p) => isInside(p, parent))) break;
    }
  }
  for (const dir of projectDirs) dirs.add(dir);
  // A package is found in the nearest node_modules above the project that holds it, which may be several folders
  // up (a monorepo, a symlinked node_modules, where esbuild reports the file by its real path): the package's
  // manifest in every node_modules on the way, absent ones included, so that installing it nearer is a change.
  for (const name of packageNames) {
    for (const start of projectDirs) {
      for (let dir = start; ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, 'node_modules', name, 'package.json');
        files.add(manifest);
        if (existsSync(manifest) || path.dirname(dir) === dir) break;
      }
    }
  }
  for (const dir of [...dirs]) {
    for (const entry of hasher.entries(dir)) {
      if (entry.name === 'node_modules' && entry.isDirectory()) dirs.add(path.join(dir, entry.name));
    }
  }
  const configDirs = new Set<string>();
  for (const dir of dirs) {
    for (let d = dir; !configDirs.has(d); d = path.dirname(d)) {
      configDirs.add(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const dir of configDirs) for (const name of CONFIG_FILES) files.add(path.join(dir, name));
  return { files, dirs };
}

/** A compile's own output file is not one of its inputs. */
function ignoredNames(project: ConfigProject): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map([[path.dirname(project.outputFile), new Set([path.basename(project.outputFile)])]]);
}

function hasherFor(project: ConfigProject): InputHasher {
  return new InputHasher(ignoredNames(project));
}

/** The project's cache folder: `cache.dir`, else cacheDirFor() with `cache.env` (default process.env). */
export function entryDirOf(project: ConfigProject, cache: { dir?: string; env?: NodeJS.ProcessEnv }): string {
  return cache.dir ?? cacheDirFor(project.rootDir, cache.env ?? process.env);
}

/** The output of the newest entry of the slot `key` whose recorded inputs all still match, if any. */
export function lookupFor<T>(dir: string, key: string, project: ConfigProject): T | undefined {
  return lookupEntry<T>(dir, key, hasherFor(project));
}

/**
 * Stores an output made from the files in `read` (what a compile or a bundle read), with everything inputsOf()
 * derives from them. A file saved while it was being made may have been read before the change: then nothing is
 * stored (the next run is).
 */
export function storeFor(dir: string, key: string, project: ConfigProject, read: readonly string[], startedMs: number, outputJson: string): void {
  const { files, dirs } = inputsOf(project, { files: read });
  const recorded = hasherFor(project).record(files, dirs);
  if (!modifiedSince(recorded, startedMs, read, ignoredNames(project))) storeEntry(dir, key, recorded, outputJson);
}

