import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTemps, fixture, ROOT, runNode, tempCopy } from './helpers/cli.js';

afterAll(cleanupTemps);

describe('the package entry point', () => {
  it('exports the core functions by the package name (as a dependant imports them), relative paths too', async () => {
    const dir = path.relative(ROOT, tempCopy(fixture('example-app')));
    const script = `
      const chtkit = await import('chtkit');
      const compiled = await chtkit.compileProject(${JSON.stringify(dir)}, { minify: true });
      const validation = await chtkit.validateProject(${JSON.stringify(dir)});
      console.log(JSON.stringify({
        keys: Object.keys(chtkit).sort(),
        rules: typeof compiled.settings.tasks.rules,
        problems: validation.diagnostics.length,
      }));`;
    const r = await runNode(['--input-type=module', '-e', script]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.keys).toEqual(expect.arrayContaining(['compileProject', 'validateProject', 'dryRunTasks', 'streamTasks', 'dryRunTargets', 'loadDryRun', 'startLocalInstance', 'UserError']));
    expect(out.rules).toBe('string');
    expect(out.problems).toBe(0);
  });
});
