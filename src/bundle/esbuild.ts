import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildContext, BuildFailure, BuildOptions, BuildResult, Message, Plugin } from 'esbuild';
import { esbuildApi } from './esbuild-api.js';
import { UserError } from '../errors.js';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';

/**
 * Browser-safe syntax for the phones' WebView: newer syntax in user code (optional chaining, `??`, object
 * spread...) is lowered to ES2019, which every Android WebView that runs CHT 4.x understands.
 */
export const BROWSER_TARGET = 'es2019';

export interface BundleRequest {
  projectDir: string;
  /** Generated ESM entry source. */
  entry: string;
  /** Names the entry's output, e.g. `tasks.rules`. */
  label: string;
  /** What is being built, for messages, e.g. `tasks.js and targets.js`. */
  subject: string;
  format: 'iife';
  /** For a Node-side loader, the IIFE's result is assigned to this global name. */
  globalName?: string;
  minify: boolean;
  sourcemap: boolean;
  /** esbuild plugins: validation records where object literals are written, and skips reading npm packages. */
  plugins?: Plugin[];
}

export interface BundleOutput {
  code: string;
  /** External source map (JSON text) when requested. */
  map?: string;
  warnings: Diagnostic[];
  /** Absolute paths of every project file that went into the bundle. */
  inputs: string[];
}

/** Absolute path of one of chtkit's runtime modules (emitters), as .js in dist/ or .ts when run from source. */
export function runtimeModule(name: string): string {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runtime');
  const js = path.join(dir, `${name}.js`);
  return existsSync(js) ? js : path.join(dir, `${name}.ts`);
}

/** A string literal for an import specifier. */
export function specifier(file: string): string {
  return JSON.stringify(file);
}

function toDiagnostic(m: Message, severity: Severity, req: BundleRequest): Diagnostic {
  const loc = m.location;
  const file = loc ? (loc.file.startsWith('<') ? undefined : path.resolve(req.projectDir, loc.file)) : undefined;
  const notes = m.notes.map((n) => n.text).filter(Boolean);
  const d: Diagnostic = {
    severity,
    code: m.id ? `bundle/${m.id}` : 'bundle/error',
    message: m.text,
  };
  if (file) d.file = file;
  if (loc && file) {
    d.line = loc.line;
    d.column = loc.column + 1;
    d.length = loc.length;
    d.lineText = loc.lineText;
  }
  const hint = hintFor(m) ?? (notes.length ? notes.join(' ') : undefined);
  if (hint) d.hint = hint;
  return d;
}

function hintFor(m: Message): string | undefined {
  const unresolved = /^Could not resolve "([^"]+)"/.exec(m.text);
  if (unresolved) {
    const spec = unresolved[1]!;
    if (spec.startsWith('.') || spec.startsWith('/')) return `Check the path: no file "${spec}" exists relative to the requiring file.`;
    if (builtinModules.includes(spec.replace(/^node:/, '').split('/')[0]!)) {
      return `"${spec}" is a Node.js built-in; tasks, targets and contact summaries run in the phone's browser, where it does not exist.`;
    }
    return `Install it in the project (\`npm install ${spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')}\`) or fix the name.`;
  }
  return undefined;
}

/**
 * esbuild's incremental contexts, by build options, while a long-running process (`cht dev`) keeps them: a
 * rebuild re-reads and re-parses only the files that changed. Builds with plugins (validation's, which record
 * per build) always start afresh.
 */
let contexts: Map<string, Promise<BuildContext>> | undefined;
const MAX_CONTEXTS = 8;

/** Keeps incremental contexts from now on; the returned function disposes of them. */
export function keepBundlerContexts(): () => Promise<void> {
  contexts ??= new Map();
  return async () => {
    const all = [...(contexts?.values() ?? [])];
    contexts = undefined;
    await Promise.all(all.map(async (c) => (await c.catch(() => undefined))?.dispose()));
  };
}

async function run(options: BuildOptions): Promise<BuildResult<BuildOptions & { write: false; metafile: true }>> {
  if (!contexts || options.plugins) return (await esbuildApi().build(options)) as BuildResult<BuildOptions & { write: false; metafile: true }>;
  const key = JSON.stringify(options);
  let context = contexts.get(key);
  if (!context) {
    context = esbuildApi().context(options);
    contexts.set(key, context);
    // The entry is generated from the project's layout: a new layout makes a new key, and old ones go.
    for (const [old, c] of contexts) {
      if (contexts.size <= MAX_CONTEXTS) break;
      contexts.delete(old);
      void c.then((x) => x.dispose(), () => undefined);
    }
  }
  return (await (await context).rebuild()) as BuildResult<BuildOptions & { write: false; metafile: true }>;
}

/** Bundles one entry in memory (nothing is written to disk, so concurrent compiles never collide). */
export async function bundle(req: BundleRequest): Promise<BundleOutput> {
  try {
    const result = await run({
      stdin: { contents: req.entry, resolveDir: req.projectDir, sourcefile: `<${req.label}>`, loader: 'js' },
      absWorkingDir: req.projectDir,
      bundle: true,
      write: false,
      outfile: path.join(req.projectDir, `${req.label}.js`),
      format: req.format,
      ...(req.globalName ? { globalName: req.globalName } : {}),
      platform: 'browser',
      target: BROWSER_TARGET,
      minify: req.minify,
      sourcemap: req.sourcemap ? 'external' : false,
      sourcesContent: false,
      legalComments: req.minify ? 'none' : 'inline',
      charset: 'utf8',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      // esbuild would otherwise read the nearest tsconfig.json (the project's, or a parent folder's) and, with
      // `strict`/`alwaysStrict`, compile the rules as strict mode, which changes what they do (`this` in a plain
      // call, assigning to an undeclared name). cht-conf's webpack reads none: neither does chtkit.
      tsconfigRaw: '{}',
      logLevel: 'silent',
      ...(req.plugins ? { plugins: req.plugins } : {}),
    } as BuildOptions & { write: false; metafile: true });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
    const out: BundleOutput = {
      code: (js?.text ?? '').trimEnd(),
      warnings: result.warnings.map((w) => toDiagnostic(w, 'warning', req)),
      inputs: Object.keys(result.metafile?.inputs ?? {})
        .filter((f) => !f.startsWith('<'))
        .map((f) => path.resolve(req.projectDir, f)),
    };
    if (map) out.map = map.text;
    return out;
  } catch (err) {
    const failure = err as Partial<BuildFailure>;
    if (Array.isArray(failure.errors)) {
      const diagnostics = [
        ...failure.errors.map((e) => toDiagnostic(e, 'error', req)),
        ...(failure.warnings ?? []).map((w) => toDiagnostic(w, 'warning', req)),
      ];
      const count = failure.errors.length;
      throw new UserError(`Could not build ${req.subject}: ${count} error${count === 1 ? '' : 's'} in the project's code.`, {
        code: 'CHT_E_BUNDLE',
        diagnostics,
        hint: 'Fix the file at the location shown, then run the command again.',
      });
    }
    throw err;
  }
}
