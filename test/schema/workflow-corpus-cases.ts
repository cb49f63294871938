import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempCopy } from '../helpers/cli.js';

export const WORKFLOW_CORPUS = path.join(ROOT, 'test', 'corpus-workflows');

export interface ExpectedDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'note';
  /** Relative to the project, `/`-separated. */
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  /** A substring of the message. */
  message?: string;
}

export interface WorkflowCase {
  name: string;
  base: string;
  category: 'sms' | 'outbound' | 'contact-types' | 'permissions' | 'settings' | 'valid';
  description: string;
  exit: 0 | 1;
  args?: string[];
  remove?: string[];
  expect: ExpectedDiagnostic[];
}

export function workflowCases(): WorkflowCase[] {
  return readdirSync(WORKFLOW_CORPUS)
    .filter((name) => !name.startsWith('_') && existsSync(path.join(WORKFLOW_CORPUS, name, 'case.json')))
    .sort()
    .map((name) => ({ name, ...(JSON.parse(readFileSync(path.join(WORKFLOW_CORPUS, name, 'case.json'), 'utf8')) as Omit<WorkflowCase, 'name'>) }));
}

/**
 * The project of a case in a fresh temp dir: the validation corpus's base project (tasks, targets, contact
 * summary, app and contact forms), the case's `_base-*` settings laid over it, then the case's own files.
 */
export function composeWorkflowCase(c: WorkflowCase): string {
  const dir = tempCopy(path.join(ROOT, 'test', 'corpus', '_base'));
  cpSync(path.join(WORKFLOW_CORPUS, c.base), dir, { recursive: true });
  const overlay = path.join(WORKFLOW_CORPUS, c.name, 'files');
  if (existsSync(overlay)) cpSync(overlay, dir, { recursive: true });
  for (const file of c.remove ?? []) rmSync(path.join(dir, file), { force: true });
  return dir;
}

