import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { instrumentRules } from '../../../src/simulate/fast/trace-transform.js';
import { tracedRules } from '../../../src/simulate/fast/traced-rules.js';

const RULES = 'var n = 0; if (Date.now() > 5) n++; emit("task", { _id: "t" + n });';

function cacheDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'chtkit-traced-'));
}

function entries(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.json'));
}

describe('the instrumented rules in the cache', () => {
  it('are made as without a cache, stored, and read back by the next run of the same rules', () => {
    const dir = cacheDir();
    const made = tracedRules(RULES, true, dir);
    expect(made).toEqual(instrumentRules(RULES, true));
    const [entry] = entries(dir);
    expect(entry).toBeDefined();
    // Proof that the second answer is the entry's: an entry whose code says so.
    const file = path.join(dir, entry!);
    const [header] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, `${header}\n${JSON.stringify({ code: '/* from the cache */', windowed: false })}`);
    expect(tracedRules(RULES, true, dir)).toEqual({ code: '/* from the cache */', windowed: false });
  });

  it('keep one entry per rules text and window: another is made, never the entry of another', () => {
    const dir = cacheDir();
    tracedRules(RULES, true, dir);
    const other = `${RULES}\nvar more = 1;`;
    expect(tracedRules(other, true, dir)).toEqual(instrumentRules(other, true));
    expect(tracedRules(RULES, false, dir)).toEqual(instrumentRules(RULES, false));
    expect(entries(dir)).toHaveLength(3);
  });

  it('are made again when the entry is corrupt, and without a cache folder nothing is written', () => {
    const dir = cacheDir();
    tracedRules(RULES, true, dir);
    const file = path.join(dir, entries(dir)[0]!);
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n')[0]}\n{"code":`);
    expect(tracedRules(RULES, true, dir)).toEqual(instrumentRules(RULES, true));
    expect(tracedRules(RULES, true, undefined)).toEqual(instrumentRules(RULES, true));
  });

  it('date entries by the real clock while a dry-run simulates another (the least recently used go first)', async () => {
    const dir = cacheDir();
    const before = Date.now();
    await withSimulatedClock('UTC', Date.UTC(2020, 0, 1), () => {
      tracedRules(RULES, true, dir);
      tracedRules(RULES, true, dir); // a hit: touched
    });
    const mtime = statSync(path.join(dir, entries(dir)[0]!)).mtimeMs;
    expect(mtime).toBeGreaterThanOrEqual(before - 1000);
    expect(mtime).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
