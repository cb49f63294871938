/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output */
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populationFile } from '../helpers/dry-run.js';
import { BIN, cleanEnv, cleanupTemps, fixture, ROOT, tempCopy } from '../helpers/cli.js';

// A generated population of 10,000 contacts over a year, through the real binary: the outputs that grow with the
// population must be written as they are computed and parse whole (peak memory is measured in the bench).
let dir: string;
let fixtures: string;
const span = ['--from=2024-01-01', '--to=2024-12-30', '--tz=Africa/Nairobi'];

beforeAll(() => {
  dir = path.dirname(tempCopy(fixture('example-app')));
  fixtures = populationFile(10_000, 10_000);
});
afterAll(cleanupTemps);

/** Runs cht with stdout into a file (as `> file` does). */
function toFile(args: string[], file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = openSync(file, 'w');
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      resolve({ code, stderr });
    });
  });
}

describe('10,000 contacts over a year', () => {
  it('--json and --format=ndjson: the same days, and each parses', async () => {
    const source = `--source=${path.join(dir, 'example-app')}`;
    const jsonFile = path.join(dir, 'year.json');
    const ndFile = path.join(dir, 'year.ndjson');
    const json = await toFile([source, `--fixtures=${fixtures}`, 'dry-run-tasks', ...span, '--json'], jsonFile);
    expect(json.code, json.stderr).toBe(0);
    const nd = await toFile([source, `--fixtures=${fixtures}`, 'dry-run-tasks', ...span, '--format=ndjson'], ndFile);
    expect(nd.code, nd.stderr).toBe(0);

    const doc = JSON.parse(readFileSync(jsonFile, 'utf8'));
    expect(doc.days).toHaveLength(365);
    const tasks = doc.days.reduce((n: number, d: any) => n + d.tasks.length, 0);
    expect(tasks).toBeGreaterThan(100_000);

    // Line by line, as a pipeline reads it.
    const lines = createInterface({ input: createReadStream(ndFile), crlfDelay: Infinity });
    let index = -1;
    for await (const line of lines) {
      const value = JSON.parse(line);
      if (index === -1) expect(value).toEqual({ tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-30', at: '12:00' });
      else expect(value, `day ${index}`).toEqual(doc.days[index]);
      index++;
    }
    expect(index).toBe(365);
    expect(statSync(ndFile).size).toBeLessThan(statSync(jsonFile).size);
  });

  it('the human output is a summary well under 1 MB', async () => {
    const file = path.join(dir, 'year.txt');
    const r = await toFile([`--source=${path.join(dir, 'example-app')}`, `--fixtures=${fixtures}`, 'dry-run-tasks', ...span], file);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).size).toBeLessThan(100_000);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('By week');
    expect(text).toContain('Busiest contacts');
  });
});
