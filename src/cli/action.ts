import type { Option } from './commander.js';
import { UsageError, type ExitCode } from '../errors.js';
import type { Reporter } from '../report/reporter.js';

/** What every action receives. Options are global, as in cht-conf: `cht [flags] [action ...]`. */
export interface ActionContext {
  /** Absolute project directory (`--source`, default cwd). */
  projectDir: string;
  /** Every parsed flag, by commander's camelCase name. */
  opts: Readonly<Record<string, unknown>>;
  /** Arguments after `--` (cht-conf's `-- --debug`). */
  extraArgs: readonly string[];
  reporter: Reporter;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Values one action leaves for a later one in the same run (e.g. the instance connection). */
  state: Map<string, unknown>;
  /** The actions of this run, in order. */
  actions: readonly string[];
}

/** The groups `cht --help` lists actions in. */
export const AREAS = ['Build and check', 'Dry-run', 'Deploy'] as const;

export interface ActionDefinition {
  name: string;
  /** One line for --help. */
  summary: string;
  /** Where `cht --help` lists it. */
  area: (typeof AREAS)[number];
  /** What it does and when to use it, for `cht ACTION --help`: a few sentences. */
  description: string;
  /** Two or three command lines, each optionally followed by `  # what it does`. */
  examples: readonly string[];
  /** The global flags (long names, e.g. '--json') that matter to it, shown with its own flags. */
  globals: readonly string[];
  /** Flags this action reads; merged into the one global flag set. */
  options?: () => Option[];
  /** Instance actions need exactly one of --local/--url/--instance/--archive. */
  requiresInstance?: boolean;
  /** Runs for every action before the first one runs: checks that must fail before anything is written. */
  preflight?: (ctx: ActionContext) => Promise<void>;
  /** Returns a non-zero exit code when it reported a failing result itself (e.g. invalid config). */
  run: (ctx: ActionContext) => Promise<ExitCode | void>;
}

export function flag(opts: Readonly<Record<string, unknown>>, name: string): boolean {
  return opts[name] === true;
}

export function stringOpt(opts: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = opts[name];
  return typeof v === 'string' ? v : undefined;
}

export function stringList(opts: Readonly<Record<string, unknown>>, name: string): string[] {
  const v = opts[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/**
 * `--format` of an action that accepts `formats` (the first is the default); `--json` is `--format=json`.
 * Both at once must agree.
 */
export function formatOf<F extends string>(opts: Readonly<Record<string, unknown>>, formats: readonly F[]): F {
  const given = stringOpt(opts, 'format');
  const json = flag(opts, 'json');
  if (given === undefined) return (json ? 'json' : formats[0]) as F;
  if (!(formats as readonly string[]).includes(given)) {
    throw new UsageError(`Unknown --format "${given}".`, { code: 'CHT_E_USAGE', hint: `Use one of: ${formats.join(', ')}.` });
  }
  if (json && given !== 'json') {
    throw new UsageError(`--json and --format=${given} ask for two different outputs.`, { code: 'CHT_E_USAGE', hint: 'Give only one of them.' });
  }
  return given as F;
}
