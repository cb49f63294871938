import type { Diagnostic } from './diagnostics/diagnostic.js';

/**
 * The one error vocabulary of chtkit. Core modules throw these; only src/cli/main.ts catches them.
 * Anything thrown that is not a ChtkitError is a bug in chtkit (exit 3).
 */
/** 0 ok, 1 user/config, 2 instance/network, 3 a bug in chtkit, 130 interrupted (Ctrl-C). */
export type ExitCode = 0 | 1 | 2 | 3 | 130;

export interface ErrorDetails {
  /** A stable machine-readable code, e.g. `CHT_E_SETTINGS_MISSING`. */
  code: string;
  /** What the user can do about it. */
  hint?: string;
  /** Located problems behind the error (syntax errors, schema violations...). */
  diagnostics?: Diagnostic[];
  cause?: unknown;
}

export abstract class ChtkitError extends Error {
  abstract readonly exitCode: 1 | 2;
  readonly code: string;
  readonly hint: string | undefined;
  readonly diagnostics: Diagnostic[];

  constructor(message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.hint = details.hint;
    this.diagnostics = details.diagnostics ?? [];
  }
}

/** The user's side: config problems, bad flags, unreadable project, user-code errors. Exit 1. */
export class UserError extends ChtkitError {
  readonly exitCode = 1 as const;
}

/** Bad command-line usage; the CLI prints the usage line with it. Exit 1. */
export class UsageError extends UserError {}

/** The instance's side: unreachable, timed out, TLS, 401/403/404, 5xx after retries, success:false. Exit 2. */
export class InstanceError extends ChtkitError {
  readonly exitCode = 2 as const;
}

export function isChtkitError(err: unknown): err is ChtkitError {
  return err instanceof ChtkitError;
}
