/**
 * The workflow corpus (test/corpus-workflows): SMS, outbound, contact-type and permission projects with one
 * defect each, and valid ones with unusual legal features. Every expected diagnostic is checked at its id,
 * severity, file, line, column, path and message; nothing else from those rule families may appear.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, runMain } from '../helpers/cli.js';
import { STACK_TRACE } from './corpus-cases.js';
import { composeWorkflowCase, workflowCases } from './workflow-corpus-cases.js';

const FAMILIES = /^(sms|outbound|contact-types|permissions|settings)\//;

interface JsonDiagnostic {
  severity: string;
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  path: string | null;
}

const cases = workflowCases();
afterAll(cleanupTemps);

describe('the workflow corpus', () => {
  it('has at least 40 broken projects and 8 valid ones', () => {
    expect(cases.filter((c) => c.category !== 'valid').length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.category === 'valid').length).toBeGreaterThanOrEqual(8);
  });
});

describe.each(cases)('$name ($category): $description', (c) => {
  it('reports exactly the expected workflow diagnostics, located', async () => {
    const dir = composeWorkflowCase(c);
    const r = await runMain([`--source=${dir}`, 'validate-app-settings', '--json', ...(c.args ?? [])]);
    expect(r.stderr + r.stdout).not.toMatch(STACK_TRACE);
    expect(r.code, r.stdout + r.stderr).toBe(c.exit);
    const doc = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
    const found = doc.diagnostics.filter((d) => FAMILIES.test(d.code));
    const rel = (file: string | null) => (file ? path.relative(dir, file).split(path.sep).join('/') : undefined);
    const shown = found.map((d) => `${d.severity} ${d.code} ${rel(d.file)}:${d.line}:${d.column} ${d.path}: ${d.message}`).join('\n');
    expect(found.length, shown).toBe(c.expect.length);
    for (const e of c.expect) {
      const match = found.find(
        (d) =>
          d.code === e.code &&
          d.severity === e.severity &&
          (e.file === undefined || rel(d.file) === e.file) &&
          (e.line === undefined || d.line === e.line) &&
          (e.column === undefined || d.column === e.column) &&
          (e.path === undefined || d.path === e.path) &&
          (e.message === undefined || d.message.includes(e.message)),
      );
      expect(match, `expected ${JSON.stringify(e)}\nfound:\n${shown}`).toBeDefined();
    }
    if (c.category === 'valid') {
      expect(doc.diagnostics.filter((d) => d.severity !== 'note'), JSON.stringify(doc.diagnostics, null, 1)).toEqual([]);
    }
  });
});
