import type { ActionDefinition } from '../action.js';
import { compileAppSettings } from './compile-app-settings.js';

/**
 * Every action, in the order --help lists them. Action files are thin (flags + a lazy import of the core
 * function), so importing them all to build the flag set costs nothing measurable.
 */
export const ACTIONS: readonly ActionDefinition[] = [compileAppSettings];
