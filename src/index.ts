/**
 * chtkit's programmatic API: the same core functions the `cht` actions call. They return typed results and
 * throw ChtkitError subclasses (UserError, InstanceError) for expected failures; they never print or exit.
 */
export { ChtkitError, InstanceError, UsageError, UserError, isChtkitError, type ExitCode } from './errors.js';
export type { Diagnostic, DiagnosticSubject, Severity } from './diagnostics/diagnostic.js';

export { findProject, type ConfigProject } from './project/project.js';
export { compileProject, serializeSettings, type CompiledProject, type CompileOptions } from './bundle/app-settings.js';
export { validateProject, type ValidationResult, type ValidateOptions } from './schema/validate.js';
export {
  dryRunTargets,
  dryRunTasks,
  loadDryRun,
  streamTasks,
  type ConfigSource,
  type LoadedDryRun,
  type TargetsOutput,
  type TargetsRequest,
  type TasksDay,
  type TasksOutput,
  type TasksRequest,
  type TasksRun,
} from './simulate/index.js';
export { startLocalInstance, type LocalInstance, type LocalInstanceOptions } from './local-instance/server.js';
