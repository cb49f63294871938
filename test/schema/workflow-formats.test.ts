/**
 * The workflow corpus in every validate-app-settings format: each expected diagnostic is in the human report
 * (its rule id and line), the GitHub annotations (file, line, column, id) and the JUnit report (a failure for
 * an error, or a warning under --strict; notes never fail).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, runMain } from '../helpers/cli.js';
import { composeWorkflowCase, workflowCases } from './workflow-corpus-cases.js';

const broken = workflowCases().filter((c) => c.category !== 'valid');
afterAll(cleanupTemps);

describe.each(broken)('$name in human, github and junit', (c) => {
  it('names each expected rule at its place', async () => {
    const dir = composeWorkflowCase(c);
    const args = [`--source=${dir}`, 'validate-app-settings', ...(c.args ?? [])];
    const human = await runMain(args);
    const github = await runMain([...args, '--format=github']);
    const junit = await runMain([...args, '--format=junit', '--strict']);
    for (const e of c.expect) {
      expect(human.stderr).toContain(`[${e.code}]`);
      if (e.file && e.line) expect(human.stderr).toContain(`${path.join(dir, e.file).replace(`${process.cwd()}${path.sep}`, '')}:${e.line}:`);
      const kind = e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warning' : 'notice';
      const line = github.stdout.split('\n').find((l) => l.startsWith(`::${kind} `) && l.includes(`title=chtkit ${e.code}::`) && (!e.line || l.includes(`line=${e.line},`)));
      expect(line, github.stdout).toBeDefined();
      if (e.severity !== 'note') expect(junit.stdout).toContain(`<failure type="${e.code}"`);
    }
    expect(junit.code).toBe(c.expect.some((e) => e.severity !== 'note') ? 1 : 0);
  });
});
