import type { ActionDefinition } from '../action.js';
import { compileAppSettings } from './compile-app-settings.js';
import { dryRunTasks } from './dry-run-tasks.js';
import { dryRunTargets } from './dry-run-targets.js';
import { dryRunMessages } from './dry-run-messages.js';
import { validateAppSettings } from './validate-app-settings.js';
import { backupAppSettings } from './backup-app-settings.js';
import { uploadAppSettings } from './upload-app-settings.js';
import { serve } from './serve.js';
import { dev } from './dev.js';

/**
 * Every action, in the order --help lists them. Action files are thin (flags + a lazy import of the core
 * function), so importing them all to build the flag set costs nothing measurable.
 */
export const ACTIONS: readonly ActionDefinition[] = [
  compileAppSettings,
  dryRunTasks,
  dryRunTargets,
  dryRunMessages,
  dev,
  validateAppSettings,
  backupAppSettings,
  uploadAppSettings,
  serve,
];
