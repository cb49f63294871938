import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempCopy } from '../helpers/cli.js';

export const CORPUS = path.join(ROOT, 'test', 'corpus');

/** test/corpus/<name>/case.json: what one corpus project is and what both tools must say about it. */
export interface CorpusCase {
  name: string;
  category: 'syntax' | 'schema' | 'semantic' | 'file' | 'valid';
  description: string;
  /** validate-app-settings' exit code (warnings alone: 0). */
  exit: 0 | 1;
  /** Strings the output must contain. */
  contains?: string[];
  /** Extra flags for validate-app-settings. */
  args?: string[];
  /** Files of the base project this case deletes. */
  remove?: string[];
  /** What cht-conf 6.6.1's compile-app-settings does with it (exit 1 = rejects). */
  chtConf: 'rejects' | 'accepts';
  /** When the verdicts differ: chtkit rejects what cht-conf accepts, or the other way round. */
  difference?: 'stricter' | 'kinder';
  why?: string;
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(CORPUS)
    .filter((name) => !name.startsWith('_') && existsSync(path.join(CORPUS, name, 'case.json')))
    .sort()
    .map((name) => ({ name, ...(JSON.parse(readFileSync(path.join(CORPUS, name, 'case.json'), 'utf8')) as Omit<CorpusCase, 'name'>) }));
}

/** The project of a case in a fresh temp dir: the base project, the case's files laid over it, its removals. */
export function composeCase(c: CorpusCase): string {
  const dir = tempCopy(path.join(CORPUS, '_base'));
  const overlay = path.join(CORPUS, c.name, 'files');
  if (existsSync(overlay)) cpSync(overlay, dir, { recursive: true });
  for (const file of c.remove ?? []) rmSync(path.join(dir, file), { force: true });
  return dir;
}

/** A stack trace of chtkit or Node internals: never acceptable in a report of the user's problems. */
export const STACK_TRACE = /^\s+at .+(\(|\s)(node:|file:|\/).+:\d+:\d+\)?$/m;
