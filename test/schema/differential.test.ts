/**
 * chtkit against cht-conf 6.6.1 on the whole corpus: both compile every project with their defaults. What
 * cht-conf rejects, chtkit must reject too, except the cases recorded as "kinder"; chtkit may reject more only
 * where a case is recorded as "stricter". Each record is checked against what cht-conf really does, so the
 * list in the README (also checked, in corpus.test.ts) cannot go stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemps, runCht, runChtConf, type RunResult } from '../helpers/cli.js';
import { composeCase, corpusCases, STACK_TRACE, type CorpusCase } from './corpus-cases.js';

const cases = corpusCases();
const results = new Map<string, { theirs: RunResult; ours: RunResult }>();

// cht-conf takes seconds per project (webpack, ESLint, terser): a few at a time, all before the assertions.
const PARALLEL = 4;

beforeAll(async () => {
  const queue = [...cases];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const [theirs, ours] = await Promise.all([
        runChtConf([`--source=${composeCase(c)}`, 'compile-app-settings']),
        runCht([`--source=${composeCase(c)}`, 'compile-app-settings']),
      ]);
      results.set(c.name, { theirs, ours });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 1_200_000);

afterAll(cleanupTemps);

function verdictOf(c: CorpusCase): string {
  return `cht-conf ${c.chtConf === 'rejects' ? 'rejects' : 'accepts'} it; chtkit ${c.difference ? `is ${c.difference}` : 'agrees'}`;
}

describe.each(cases)('$name: chtkit vs cht-conf 6.6.1', (c) => {
  it(verdictOf(c), () => {
    const { theirs, ours } = results.get(c.name)!;
    const chtConfRejects = theirs.code !== 0;
    const chtkitRejects = ours.code !== 0;
    expect(chtConfRejects, `cht-conf on ${c.name}:\n${theirs.stdout}`).toBe(c.chtConf === 'rejects');
    expect(ours.code, ours.stderr).not.toBe(3);
    expect(ours.stderr).not.toMatch(STACK_TRACE);
    if (c.difference === 'kinder') expect(chtkitRejects, ours.stderr).toBe(false);
    else if (c.difference === 'stricter') expect(chtkitRejects, ours.stderr).toBe(true);
    else expect(chtkitRejects, ours.stderr).toBe(chtConfRejects);
  });
});
