/**
 * The corpus (test/corpus): broken projects with one defect each and valid edge cases that a too-strict
 * validator would reject. validate-app-settings must give each its exit code and its message, never a stack.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, ROOT, runMain } from '../helpers/cli.js';
import { composeCase, corpusCases, STACK_TRACE } from './corpus-cases.js';

const cases = corpusCases();
afterAll(cleanupTemps);

describe('the corpus', () => {
  it('has at least 40 broken projects and 10 valid edge cases', () => {
    expect(cases.filter((c) => c.category !== 'valid').length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.category === 'valid').length).toBeGreaterThanOrEqual(10);
    for (const category of ['syntax', 'schema', 'semantic', 'file'] as const) {
      expect(cases.some((c) => c.category === category), category).toBe(true);
    }
  });

  it('records a reason for every case where chtkit and cht-conf disagree', () => {
    for (const c of cases) {
      const chtkitRejects = c.exit === 1;
      const agree = chtkitRejects === (c.chtConf === 'rejects');
      expect(c.difference === undefined, `${c.name}: difference`).toBe(agree);
      if (!agree) {
        expect(c.difference, c.name).toBe(chtkitRejects ? 'stricter' : 'kinder');
        expect(c.why, c.name).toBeTruthy();
      }
    }
  });

  it('lists every case where chtkit is stricter or kinder in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const differences = readme.slice(readme.indexOf('## Where chtkit differs from cht-conf'));
    for (const c of cases.filter((x) => x.difference)) expect(differences, c.name).toContain(`\`${c.name}\``);
  });
});

describe.each(cases)('$name ($category): $description', (c) => {
  it(`validate-app-settings exits ${c.exit} with the expected message and no stack trace`, async () => {
    const dir = composeCase(c);
    const r = await runMain([`--source=${dir}`, 'validate-app-settings', ...(c.args ?? [])]);
    const output = r.stdout + r.stderr;
    expect(r.code, output).toBe(c.exit);
    for (const s of c.contains ?? []) expect(output).toContain(s);
    expect(output).not.toMatch(STACK_TRACE);
    expect(output).not.toContain('unexpected error');
    if (c.category === 'valid') expect(r.stderr, output).not.toMatch(/WARNING|ERROR/);
    if (c.category === 'semantic') {
      expect(r.stderr).toContain('[WARNING]');
      const strict = await runMain([`--source=${dir}`, 'validate-app-settings', '--strict']);
      expect(strict.code, strict.stderr).toBe(1);
    }
  });
});
