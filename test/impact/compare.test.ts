/**
 * The impact preview against real compiles of two versions of a project: the diff `--against` reports must be
 * exactly what two independent dry-runs (one per version, compared here by this test's own code) differ by,
 * whichever way the old side is given (a git revision, a compiled file, the instance's settings).
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, cleanupTemps, fixture, runMain, tempCopy, tempDir } from '../helpers/cli.js';
import { loggedRequests, startServe, stopAllServes } from '../local-instance/helpers/serve.js';

const SPAN = ['--from=2024-01-01', '--to=2024-12-31'];

interface Task {
  owner: string;
  emission: { _id: string } & Record<string, unknown>;
}
interface ImpactJson {
  against: string;
  days: Array<{ date: string; added: Task[]; removed: Task[]; changed: Array<{ before: Task; after: Task; fields: string[] }> }>;
  summary: { added: number; removed: number; changed: number; byTask: Record<string, { added: number; removed: number; changed: number }> };
}

let project: string;
let repo: string;
let v1: string;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });

beforeAll(async () => {
  project = tempCopy(fixture('example-app'));
  repo = path.dirname(project);
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules\napp_settings.json\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'v1');
  const compiled = await runMain([`--source=${project}`, 'compile-app-settings']);
  expect(compiled.code, compiled.stderr).toBe(0);
  v1 = path.join(tempDir(), 'v1-app_settings.json');
  copyFileSync(path.join(project, 'app_settings.json'), v1);
}, 60_000);

afterAll(async () => {
  await stopAllServes();
  cleanupTemps();
});

async function json<T>(args: string[]): Promise<T> {
  const r = await runMain([`--source=${project}`, ...args]);
  expect(r.code, `${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** This test's own comparison of two dry-runs' --json: per day, the keys added, removed and changed. */
function independentDiff(before: { days: Array<{ date: string; tasks: Task[] }> }, after: { days: Array<{ date: string; tasks: Task[] }> }) {
  const key = (t: Task) => `${t.owner} ${t.emission._id}`;
  const out: Record<string, { added: string[]; removed: string[]; changed: string[] }> = {};
  after.days.forEach((day, i) => {
    const old = new Map(before.days[i]!.tasks.map((t) => [key(t), JSON.stringify(t)]));
    const now = new Map(day.tasks.map((t) => [key(t), JSON.stringify(t)]));
    const added = [...now.keys()].filter((k) => !old.has(k)).sort();
    const removed = [...old.keys()].filter((k) => !now.has(k)).sort();
    const changed = [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)).sort();
    if (added.length + removed.length + changed.length) out[day.date] = { added, removed, changed };
  });
  return out;
}

function reported(impact: ImpactJson) {
  const key = (t: Task) => `${t.owner} ${t.emission._id}`;
  return Object.fromEntries(
    impact.days.map((d) => [d.date, { added: d.added.map(key).sort(), removed: d.removed.map(key).sort(), changed: d.changed.map((c) => key(c.after)).sort() }]),
  );
}

/** Changes the working tree, compares with git:HEAD and with the v1 file, then restores it. */
async function withChange(file: string, code: string, check: (impact: ImpactJson) => void): Promise<void> {
  appendFileSync(path.join(project, file), `\n${code}\n`);
  try {
    const byGit = await json<ImpactJson>(['dry-run-tasks', ...SPAN, '--against=git:HEAD', '--json']);
    const byFile = await json<ImpactJson>(['dry-run-tasks', ...SPAN, `--against=${v1}`, '--json']);
    const oldRun = await json<{ days: Array<{ date: string; tasks: Task[] }> }>(['dry-run-tasks', ...SPAN, `--app-settings=${v1}`, '--json']);
    const newRun = await json<{ days: Array<{ date: string; tasks: Task[] }> }>(['dry-run-tasks', ...SPAN, '--json']);
    const expected = independentDiff(oldRun, newRun);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(reported(byGit)).toEqual(expected);
    expect({ ...byFile, against: '' }).toEqual({ ...byGit, against: '' });
    expect(byGit.against).toMatch(/^git:HEAD \([0-9a-f]{7}\)$/);
    const total = (k: 'added' | 'removed' | 'changed') => Object.values(expected).reduce((n, d) => n + d[k].length, 0);
    expect(byGit.summary).toMatchObject({ added: total('added'), removed: total('removed'), changed: total('changed') });
    check(byGit);
  } finally {
    git('checkout', '-q', '--', '.');
  }
}

describe('dry-run-tasks --against', () => {
  it('an event whose days changed: the same tasks, their dates changed', async () => {
    await withChange('tasks.js', "module.exports.find((t) => t.name === 'pnc-visit').events[1].days = 4;", (impact) => {
      expect(impact.summary.byTask['pnc-visit']!.changed).toBeGreaterThan(0);
      const fields = new Set(impact.days.flatMap((d) => d.changed.flatMap((c) => c.fields)));
      expect([...fields].sort()).toEqual(['dueDate', 'endDate', 'startDate']);
    });
  });

  it('a task removed: only removals, of that task', async () => {
    await withChange('tasks.js', "module.exports.splice(module.exports.findIndex((t) => t.name === 'immunization-visit'), 1);", (impact) => {
      // Scheduled tasks' emission ids end in the task name and the schedule's index (immunization-visit-0).
      expect(Object.keys(impact.summary.byTask).every((name) => name.startsWith('immunization-visit'))).toBe(true);
      expect(impact.summary).toMatchObject({ added: 0, changed: 0 });
    });
  });

  it('an appliesIf narrowed: the tasks of the contact it now leaves out are removed', async () => {
    const code = "const t = module.exports.find((x) => x.name === 'anc-home-visit'); const was = t.appliesIf; t.appliesIf = function (c, r) { return c.contact._id !== 'w-2' && was.apply(this, arguments); };";
    await withChange('tasks.js', code, (impact) => {
      const owners = new Set(impact.days.flatMap((d) => d.removed.map((t) => t.owner)));
      expect([...owners]).toEqual(['w-2']);
      expect(impact.summary).toMatchObject({ added: 0, changed: 0 });
    });
  });

  it("a modifyContent change: the action's content changed, nothing else", async () => {
    const code = "const t = module.exports.find((x) => x.name === 'anc-home-visit'); const was = t.actions[0].modifyContent; t.actions[0].modifyContent = function (content) { was.apply(this, arguments); content.reviewed = 'yes'; };";
    await withChange('tasks.js', code, (impact) => {
      expect(impact.summary).toMatchObject({ added: 0, removed: 0 });
      expect(new Set(impact.days.flatMap((d) => d.changed.flatMap((c) => c.fields)))).toEqual(new Set(['actions[0].content']));
    });
  });

  it('says there is no change, exits 0, and --fail-on-change exits 1 only when something changed', async () => {
    const same = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD', '--fail-on-change']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^No change in tasks over 366 days for \d+ contacts/);
    appendFileSync(path.join(project, 'tasks.js'), "\nmodule.exports.find((t) => t.name === 'pnc-visit').events[1].days = 4;\n");
    try {
      const changed = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD', '--fail-on-change']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain('pnc-visit');
      expect(changed.stdout).toMatch(/changed .*: dueDate, endDate, startDate|changed\s+\d{4}-\d{2}-\d{2}.*dueDate/);
      const md = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD', '--format=markdown']);
      expect(md.stdout).toContain('| pnc-visit |');
      expect(md.stdout).toContain('<details>');
      const nd = (await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD', '--format=ndjson'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(nd[0]).toMatchObject({ tz: 'UTC', from: '2024-01-01', to: '2024-12-31', at: '12:00' });
      expect(nd.at(-1).summary.changed).toBeGreaterThan(0);
      expect(nd.slice(1, -1).every((l) => typeof l.date === 'string')).toBe(true);
    } finally {
      git('checkout', '-q', '--', '.');
    }
    // Nothing of the comparison is left behind in the repository.
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('explains a revision git does not know, and a revision whose lock file needs packages that are not installed', async () => {
    const unknown = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:no-such-branch']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-branch is not a commit');
    const outside = await runMain([`--source=${tempCopy(fixture('example-app'))}`, 'dry-run-tasks', '--date=2024-06-01', '--against=git:HEAD']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('is not in a git repository');
    const lock = { lockfileVersion: 3, packages: { '': {}, 'node_modules/moment': { version: '1.0.0' } } };
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(lock));
    git('add', '-A');
    git('commit', '-qm', 'an old lock');
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/moment': { version: '2.30.1' } } }));
    try {
      const r = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('moment@1.0.0 (installed: 2.30.1)');
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
    }
  });
});

/**
 * Runs `cht ARGS` and sends it SIGINT as soon as a chtkit checkout is registered in the repository `git` runs in
 * (looking every `everyMs`, for up to 10 s): the checkout's path and the exit code.
 */
async function interruptOnceCheckedOut(args: string[], git: (...a: string[]) => string, everyMs: number): Promise<{ checkout: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(), stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let checkout: string | undefined;
  for (let i = 0; i < 10_000 / everyMs && !checkout; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    checkout = git('worktree', 'list', '--porcelain').split('\n').find((l) => l.startsWith('worktree ') && l.includes('chtkit-against-'))?.slice(9);
  }
  expect(checkout).toBeDefined();
  child.kill('SIGINT');
  return { checkout: checkout!, code: await exited };
}

describe('Ctrl-C during a git:REF comparison', () => {
  it('exits 130 and leaves no worktree registered and no checkout behind', async () => {
    const { patientPopulation } = (await import('../../bench/lib/population.js')) as {
      patientPopulation: (o: { patients: number; start: number; seed: number }) => unknown;
    };
    const fixtures = path.join(tempDir(), 'population.json');
    writeFileSync(fixtures, JSON.stringify(patientPopulation({ patients: 1000, start: Date.UTC(2024, 0, 1), seed: 3 })));
    const args = [`--source=${project}`, 'dry-run-tasks', '--from=2020-01-01', '--to=2024-12-31', `--fixtures=${fixtures}`, '--against=git:HEAD'];
    const { checkout, code } = await interruptOnceCheckedOut(args, git, 50);
    expect(code).toBe(130);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(existsSync(checkout)).toBe(false);
  }, 60_000);
});

describe('Ctrl-C while git is still writing the checkout', () => {
  it('stops git, exits 130, and leaves no worktree registered (not even a locked one) and no temporary folder', async () => {
    // A repository large enough that `git worktree add` is still writing files when the stop comes.
    const project = tempCopy(fixture('example-app'));
    const top = path.dirname(project);
    const bulk = path.join(project, 'bulk');
    mkdirSync(bulk);
    for (let i = 0; i < 4000; i++) writeFileSync(path.join(bulk, `file-${i}.txt`), `${i}\n`.repeat(50));
    writeFileSync(path.join(top, '.gitignore'), 'node_modules\n');
    const inTop = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { cwd: top, encoding: 'utf8' });
    inTop('init', '-q');
    inTop('add', '-A');
    inTop('commit', '-qm', 'v1');
    // A hook that keeps `git worktree add` running after its files are out, however fast the disk: the stop
    // always comes while git runs, and a git left running would still be there when chtkit has exited.
    writeFileSync(path.join(top, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nsleep 5\n', { mode: 0o755 });
    const before = new Set(readdirSync(os.tmpdir()).filter((f) => f.startsWith('chtkit-against-')));
    const { checkout, code } = await interruptOnceCheckedOut([`--source=${project}`, 'dry-run-tasks', '--date=2024-06-01', '--against=git:HEAD'], inTop, 5);
    expect(code).toBe(130);
    expect(inTop('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith('chtkit-against-') && !before.has(f))).toEqual([]);
    // No git of that checkout outlives chtkit (one that did went on writing files into the removed folder).
    if (existsSync('/proc/self/cmdline')) {
      const survivors = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.dirname(checkout)) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
        } catch {
          return false;
        }
      });
      expect(survivors).toEqual([]);
    }
  }, 60_000);
});

describe('dry-run-targets --against', () => {
  it("a target's passesIf changed: per month, the old and new values equal two plain dry-runs'", async () => {
    const code = "const t = module.exports.find((x) => x.id === 'pregnancies-with-4-anc'); t.passesIf = function () { return true; };";
    appendFileSync(path.join(project, 'targets.js'), `\n${code}\n`);
    try {
      const impact = await json<{ months: Array<{ month: string; targets: Array<{ id: string; before: unknown; after: unknown; changed: boolean }> }> }>([
        'dry-run-targets', ...SPAN, '--against=git:HEAD', '--json',
      ]);
      expect(impact.months.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']);
      let changed = 0;
      for (const m of impact.months) {
        const before = await json<{ targets: Array<{ id: string; value: unknown }> }>(['dry-run-targets', `--month=${m.month}`, `--app-settings=${v1}`, '--json']);
        const after = await json<{ targets: Array<{ id: string; value: unknown }> }>(['dry-run-targets', `--month=${m.month}`, '--json']);
        for (const t of m.targets) {
          expect(t.before).toEqual(before.targets.find((x) => x.id === t.id)!.value);
          expect(t.after).toEqual(after.targets.find((x) => x.id === t.id)!.value);
          if (t.changed) {
            changed++;
            expect(t.id).toBe('pregnancies-with-4-anc');
          }
        }
      }
      expect(changed).toBeGreaterThan(0);
    } finally {
      git('checkout', '-q', '--', '.');
    }
  });
});

describe('--against=instance and upload-app-settings --preview, against cht serve', () => {
  it('reads the settings once, writes nothing to the instance, and previews an upload', async () => {
    const serve = await startServe(tempDir());
    const url = `--url=${serve.adminUrl}`;
    const up = await runMain([`--source=${project}`, url, 'upload-app-settings']);
    expect(up.code, up.stderr).toBe(0);
    appendFileSync(path.join(project, 'tasks.js'), "\nmodule.exports.find((t) => t.name === 'pnc-visit').events[1].days = 4;\n");
    try {
      const byInstance = await json<ImpactJson>([url, 'dry-run-tasks', ...SPAN, '--against=instance', '--json']);
      const byFile = await json<ImpactJson>(['dry-run-tasks', ...SPAN, `--against=${v1}`, '--json']);
      expect({ ...byInstance, against: '' }).toEqual({ ...byFile, against: '' });
      expect(byInstance.against).toBe(`instance (${serve.url})`);
      const writes = loggedRequests(serve).filter((l) => !l.startsWith('GET'));
      expect(writes.length).toBeGreaterThan(0); // the upload above

      const compiled = await runMain([`--source=${project}`, 'compile-app-settings']);
      expect(compiled.code, compiled.stderr).toBe(0);
      const preview = await runMain([`--source=${project}`, url, 'upload-app-settings', '--preview', '--dry-run', ...SPAN]);
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stdout).toContain(`against the settings on ${serve.url}`);
      expect(preview.stdout).toMatch(/pnc-visit\s+\d+\s+\d+\s+[1-9]/);
      expect(preview.stderr).toContain('Dry run: nothing uploaded');
      // Neither the comparison nor the preview with --dry-run wrote to the instance.
      expect(loggedRequests(serve).filter((l) => !l.startsWith('GET'))).toEqual(writes);
    } finally {
      git('checkout', '-q', '--', '.');
    }
  });
});

describe('the markdown for a pull request', () => {
  it('stays under GitHub comment size on a large population, and says what it left out', async () => {
    const { patientPopulation } = (await import('../../bench/lib/population.js')) as {
      patientPopulation: (o: { patients: number; start: number; seed: number }) => unknown;
    };
    const fixtures = path.join(tempDir(), 'population.json');
    writeFileSync(fixtures, JSON.stringify(patientPopulation({ patients: 1000, start: Date.UTC(2024, 0, 1), seed: 7 })));
    appendFileSync(path.join(project, 'tasks.js'), "\nfor (const t of module.exports) t.title = 'changed';\n");
    try {
      const r = await runMain([`--source=${project}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-06-30', `--fixtures=${fixtures}`, '--against=git:HEAD', '--format=markdown']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeLessThan(65_536);
      expect(r.stdout).toMatch(/\d[\d,]* task and contact pairs left out to fit a comment/);
      expect(readFileSync(path.join(project, 'tasks.js'), 'utf8')).toContain("t.title = 'changed'");
    } finally {
      git('checkout', '-q', '--', '.');
    }
  }, 120_000);
});
