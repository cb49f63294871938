import path from 'node:path';
import vm from 'node:vm';
import { UserError } from '../errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plugin } from 'esbuild';
import { bundle, specifier, type BundleOutput, type BundleRequest } from './esbuild.js';
import { loadTimeGlobals } from './globals.js';
import { BundleMapper, isRuntimeFrame, type StackFrame } from './source-map.js';

export interface ConfigModules {
  tasksFile?: string;
  targetsFile?: string;
}

export interface LoadedConfig {
  /** What tasks.js exports (unchecked). */
  tasks?: unknown;
  /** What targets.js exports (unchecked). */
  targets?: unknown;
  /** Every project file the modules pulled in. */
  inputs: string[];
  warnings: Diagnostic[];
}

const LOADER_FILE = 'chtkit-config-loader.js';

/**
 * What the loader bundles: tasks.js and targets.js imported side by side, as one IIFE assigned to a global, with a
 * source map for load-time exceptions. Undefined when the project has neither.
 */
export function configLoaderRequest(projectDir: string, modules: ConfigModules, plugins?: Plugin[]): BundleRequest | undefined {
  const names = moduleNames(modules);
  if (names.length === 0) return undefined;
  const entry = [
    ...names.map((n) => `import ${n} from ${specifier(modules[`${n}File`]!)};`),
    `export { ${names.join(', ')} };`,
  ].join('\n');
  return {
    projectDir,
    entry,
    label: 'config-loader',
    subject: 'tasks.js and targets.js',
    format: 'iife',
    globalName: '__chtkitConfig',
    minify: false,
    sourcemap: true,
    ...(plugins ? { plugins } : {}),
  };
}

function moduleNames(modules: ConfigModules): ('tasks' | 'targets')[] {
  return (['tasks', 'targets'] as const).filter((n) => modules[`${n}File`]);
}

/**
 * Loads tasks.js and targets.js the way the compiled rules see them: bundled by esbuild (so local modules and
 * npm packages resolve as in the phone bundle), evaluated with `Utils`, `user` and `cht` defined. A top-level
 * exception is reported at the user's line, source-mapped. `bundled`: the bundle of configLoaderRequest(), when
 * the caller already started it (validation, through the compile cache).
 */
export async function loadConfigModules(
  projectDir: string,
  modules: ConfigModules,
  options: { taskSchedules?: unknown; plugins?: Plugin[]; bundled?: Promise<BundleOutput> } = {},
): Promise<LoadedConfig> {
  const names = moduleNames(modules);
  if (names.length === 0) return { inputs: [], warnings: [] };
  const out = await (options.bundled ?? bundle(configLoaderRequest(projectDir, modules, options.plugins)!));
  const wrapped = `(function (Utils, user, cht) {\n${out.code}\nreturn __chtkitConfig;\n})`;
  const globals = loadTimeGlobals(options.taskSchedules);
  let exports: Record<string, unknown>;
  try {
    const fn = vm.runInThisContext(wrapped, { filename: LOADER_FILE }) as (...a: unknown[]) => Record<string, unknown>;
    exports = fn(globals.Utils, globals.user, globals.cht);
  } catch (err) {
    throw loadError(err, new BundleMapper(out.map!, projectDir, 1), projectDir);
  }
  return { ...pick(exports, names), inputs: out.inputs, warnings: out.warnings };
}

function pick(exports: Record<string, unknown>, names: readonly string[]): Partial<LoadedConfig> {
  const result: Record<string, unknown> = {};
  for (const n of names) result[n] = exports[n];
  return result;
}

export interface UserCodeFailure {
  message: string;
  frames: StackFrame[];
}

/** The user's view of an exception thrown by bundled code: its message and its mapped frames. */
export function describeThrown(err: unknown, mapper: BundleMapper, bundleFile: string): UserCodeFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: `${e.name}: ${e.message}`, frames: mapper.frames(e.stack, bundleFile) };
}

function loadError(err: unknown, mapper: BundleMapper, projectDir: string): UserError {
  const failure = describeThrown(err, mapper, LOADER_FILE);
  const userFrame = failure.frames.find((f) => !isRuntimeFrame(f)) ?? failure.frames[0];
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'load/exception',
    message: `${failure.message} (thrown while loading the config)`,
  };
  if (userFrame) {
    Object.assign(diagnostic, {
      file: userFrame.position.file,
      line: userFrame.position.line,
      column: userFrame.position.column,
      ...(userFrame.position.lineText !== undefined ? { lineText: userFrame.position.lineText } : {}),
    });
    const stack = failure.frames
      .map((f) => {
        const where = `${path.relative(projectDir, f.position.file)}:${f.position.line}:${f.position.column}`;
        return f.functionName ? `at ${f.functionName} (${where})` : `at ${where}`;
      })
      .join('\n    ');
    diagnostic.hint = `Stack:\n    ${stack}`;
  }
  return new UserError(`The config threw an exception while loading: ${failure.message}`, {
    code: 'CHT_E_CONFIG_LOAD',
    diagnostics: [diagnostic],
    hint: 'Top-level code in tasks.js, targets.js and their helpers runs once per contact on the phone; it must not throw.',
  });
}
