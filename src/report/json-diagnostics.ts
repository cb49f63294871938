import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** The `--json` document of validate-app-settings. Version 1; new keys may be added, none removed or renamed. */
export interface ValidationJson {
  version: 1;
  /** False when there is an error, or a warning under --strict. */
  valid: boolean;
  strict: boolean;
  /** Absolute path of the project. */
  project: string;
  /** `notes` counts advice about layout (severity `note`), never fatal. */
  summary: { errors: number; warnings: number; notes: number; files: number; tasks: number; targets: number };
  /** The cht-core version the settings checks followed, and where it came from (--core-version, the instance, chtkit's newest). */
  coreVersion?: { version: string; source: 'flag' | 'instance' | 'newest' };
  diagnostics: DiagnosticJson[];
}

/** Every key is always present; `null` when it does not apply. Lines and columns are 1-based. */
export interface DiagnosticJson {
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  length: number | null;
  subject: { kind: 'task' | 'target' | 'file'; name: string | null; index: number | null } | null;
  path: string | null;
  suggestion: string | null;
  hint: string | null;
}

export interface ValidationSummaryInput {
  project: string;
  strict: boolean;
  files: number;
  tasks: number;
  targets: number;
  coreVersion?: ValidationJson['coreVersion'];
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    length: d.line !== undefined ? (d.length ?? null) : null,
    subject: d.subject ? { kind: d.subject.kind, name: d.subject.name ?? null, index: d.subject.index ?? null } : null,
    path: d.path ?? null,
    suggestion: d.suggestion ?? null,
    hint: d.hint ?? null,
  };
}

export function formatValidationJson(diagnostics: readonly Diagnostic[], input: ValidationSummaryInput): ValidationJson {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const notes = diagnostics.filter((d) => d.severity === 'note').length;
  return {
    version: 1,
    valid: errors === 0 && !(input.strict && warnings > 0),
    strict: input.strict,
    project: input.project,
    ...(input.coreVersion ? { coreVersion: input.coreVersion } : {}),
    summary: { errors, warnings, notes, files: input.files, tasks: input.tasks, targets: input.targets },
    diagnostics: diagnostics.map(diagnosticJson),
  };
}
