import { createRequire } from 'node:module';
import type * as Commander from 'commander';

/**
 * commander is CommonJS; loading it with require skips the ESM importer's CJS export scan, which costs more
 * than the rest of the start-up. Every CLI file takes commander from here.
 */
const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const Command = commander.Command;
export const CommanderError = commander.CommanderError;
export const Option = commander.Option;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
export type Option = Commander.Option;
