import type { Option } from './commander.js';
import type { ExitCode } from '../errors.js';
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

export interface ActionDefinition {
  name: string;
  /** One line for --help. */
  summary: string;
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
