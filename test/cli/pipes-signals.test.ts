import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, cleanupTemps, fixture, ROOT, runCht, tempCopy } from '../helpers/cli.js';
import { populationFile } from '../helpers/dry-run.js';

// These run the real binary (dist/): pipes and signals are about the process.
const example = fixture('example-app');
let crowd: string;

beforeAll(() => {
  // 1,500 contacts with two years of reports: far more than a screenful of tasks.
  crowd = populationFile(1500, 11);
});
afterAll(cleanupTemps);

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  received: number;
}

/** Runs cht and, once `bytes` of stdout have arrived, does `then` to the child (close its stdout, send a signal). */
function runUntil(args: string[], bytes: number, then: (child: ReturnType<typeof spawn>) => void): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv() });
    let received = 0;
    let done = false;
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      received += d.length;
      if (!done && received >= bytes) {
        done = true;
        then(child);
      }
    });
    child.stdout!.on('error', () => undefined);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, received }));
  });
}

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at [\w.<>]+ \(|EPIPE|Error:/);

describe('a pipe that closes early (cht … | head)', () => {
  const year = [`--source=${example}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-12-31', '--tz=Africa/Nairobi'];
  for (const [name, extra] of [['--json', ['--json']], ['--format=ndjson', ['--format=ndjson']], ['--list', ['--list']]] as const) {
    it(`ends the run quietly with exit 0: ${name}`, async () => {
      const r = await runUntil([...year, `--fixtures=${crowd}`, ...extra], 1, (child) => child.stdout!.destroy());
      expect(r.code, r.stderr).toBe(0);
      noStack(r.stderr);
    });
  }

  it('also when stderr closes too (cht … 2>&1 | head)', async () => {
    const r = await runUntil([...year, `--fixtures=${crowd}`, '--format=ndjson', '--show-console', '--verbose'], 1, (child) => {
      child.stdout!.destroy();
      child.stderr!.destroy();
    });
    expect(r.code).toBe(0);
  });
});

describe('Ctrl-C', () => {
  it('ends a long dry-run at once with 130 and no stack trace', async () => {
    // Every contact every day, streamed: a long run that has started writing.
    const args = [`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-12-31', '--tz=Africa/Nairobi', '--format=ndjson', '--no-reuse'];
    const started = Date.now();
    const r = await runUntil(args, 1, (child) => child.kill('SIGINT'));
    // Node's own SIGINT handling: the process ends by the signal, which a shell reports as 130.
    expect(r.signal === 'SIGINT' || r.code === 130, `code ${r.code} signal ${r.signal}`).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    noStack(r.stderr);
  });

  it('never leaves a half-written app_settings.json or a temp file, wherever compile-app-settings is stopped', async () => {
    const dir = tempCopy(example);
    const file = path.join(dir, 'app_settings.json');
    expect((await runCht([`--source=${dir}`, 'compile-app-settings'])).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    // The compile takes a few hundred ms: stop it at points spread over its run (some before, some after the write).
    for (const delay of [50, 150, 250, 350, 450, 600, 800]) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [BIN, `--source=${dir}`, 'compile-app-settings'], { cwd: ROOT, env: cleanEnv() });
        setTimeout(() => child.kill('SIGINT'), delay);
        child.on('close', () => resolve());
      });
      // Whole: the old settings or the new ones, never a part.
      expect(readFileSync(file, 'utf8'), `after SIGINT at ${delay} ms`).toBe(before);
    }
    // A temp file can only be left if the signal lands between writing it and renaming it; the next write
    // removes it. Plant one from a process that no longer runs, as such a signal would leave it.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = path.join(dir, `.app_settings.json.${gone}.1.abc.tmp`);
    writeFileSync(stale, '{"half": ');
    expect((await runCht([`--source=${dir}`, 'compile-app-settings'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe("the project's console.* on worker threads", () => {
  it('reaches stderr with its contact, never stdout, under --json', async () => {
    const logging = fixture('dry-run/console-logging');
    const args = [`--source=${logging}`, 'dry-run-tasks', '--from=2024-06-01', '--to=2024-06-30', '--tz=Africa/Nairobi', '--json'];
    const one = await runCht([...args, '--threads=1', '--show-console', '--verbose']);
    const two = await runCht([...args, '--threads=2', '--show-console', '--verbose']);
    for (const r of [one, two]) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).days).toHaveLength(30);
    }
    expect(two.stderr).toContain('on 2 threads');
    expect(two.stdout).toBe(one.stdout);
    // The contacts of the worker's share (every other one) log there: their lines arrive too, labelled.
    const contacts = (stderr: string) => new Set([...stderr.matchAll(/console │ 2024-06-\d\d contact (pat-\d+) /g)].map((m) => m[1]));
    expect(contacts(two.stderr)).toEqual(contacts(one.stderr));
    expect(contacts(two.stderr).size).toBe(40);
  });

  it('keeps the lines of the blocks a worker sent when the run stops part-way and goes on on one thread', async () => {
    // 600 patients (enough that the worker, which starts later, still claims some), a visit each in June. pat-0's
    // rules start modifying `user` on 10 August (block 2 of a 92-day span), which stops the parallel run there:
    // the rest runs on one thread. pat-0 is in the first chunk of contacts, which this thread claims before the
    // worker starts, so the worker's share goes on to finish its second block (the case whose lines were lost
    // when they came only with a worker's end: 16 of 300 patients' in a run before the fix).
    const dir = tempCopy(fixture('dry-run/console-logging'));
    const base = JSON.parse(readFileSync(path.join(dir, 'harness.defaults.json'), 'utf8'));
    const docs = base.docs.filter((d: { _id: string }) => d._id === 'hc-1' || d._id === 'chw-1');
    for (let i = 0; i < 600; i++) {
      docs.push({ _id: `pat-${i}`, type: 'person', name: `Patient ${i}`, parent: { _id: 'hc-1' } });
      docs.push({
        _id: `visit-${i}`, type: 'data_record', form: 'visit', reported_date: Date.UTC(2024, 5, 1 + (i % 28), 9),
        fields: { patient_id: `pat-${i}`, ok: i % 2 === 0 },
      });
    }
    writeFileSync(path.join(dir, 'harness.defaults.json'), JSON.stringify({ ...base, docs }));
    const tasksFile = path.join(dir, 'tasks.js');
    writeFileSync(tasksFile, readFileSync(tasksFile, 'utf8').replace(
      "console.info('checking', contact.contact.name);",
      "console.info('checking', contact.contact.name);\n      if (contact.contact._id === 'pat-0' && Date.now() >= Date.UTC(2024, 7, 10)) user.touched = true;",
    ));
    const r = await runCht([
      `--source=${dir}`, 'dry-run-tasks', '--from=2024-06-01', '--to=2024-08-31', '--tz=Africa/Nairobi', '--json',
      '--threads=2', '--show-console', '--verbose',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).days).toHaveLength(92);
    expect(r.stderr).toContain('the rules modify `user`');
    // Each patient's first evaluation is in the middle of the span (17 July), in the first block, on the thread
    // that claimed it: every patient's line of that day arrives, the worker's too.
    const first = new Set([...r.stderr.matchAll(/console │ 2024-07-17 contact (pat-\d+) .*: checking/g)].map((m) => m[1]));
    expect(first.size).toBe(600);
  });
});
