// `cht dev`: from a file's write to the open page showing the new result, as a developer waits for it —
// measured in Debian's chromium (playwright-core) on the page `cht dev` serves: the time from writeFileSync to
// the page's [data-build] carrying the new build's id. Two projects:
//  1. fixtures/example-app (9 contacts) over four months;
//  2. the same rules with 120 generated patients (about 150 contacts) over 90 days.
// Each save moves the ANC windows (start 7 <-> 10 days before due), so every build changes the tasks.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { fmtMs, median, ROOT } from './lib/measure.js';
import { patientPopulation } from './lib/population.js';

const BIN = path.join(ROOT, 'bin', 'cht.js');

function startDev(args) {
  const child = spawn(process.execPath, [BIN, ...args, 'dev'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ child, url: out.split('\n')[0] });
    });
    child.on('exit', (code) => reject(new Error(`cht dev exited ${code}`)));
  });
}

async function measure(label, project, args, saves) {
  const dev = await startDev([`--source=${project}`, ...args, '--port=0']);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(dev.url);
    await page.waitForSelector('[data-build][data-status="ok"]', { timeout: 60_000 });
    const tasks = path.join(project, 'tasks.js');
    const original = readFileSync(tasks, 'utf8');
    const times = [];
    for (let i = 0; i < saves; i++) {
      const id = Number(await page.locator('[data-build]').getAttribute('data-build-id'));
      const text = i % 2 === 0 ? original.replace('start: 7,', 'start: 10,') : original;
      const started = performance.now();
      writeFileSync(tasks, text);
      await page.waitForSelector(`[data-build][data-build-id="${id + 1}"][data-status="ok"]`, { timeout: 60_000 });
      times.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 300));
    }
    const windows = await page.locator('[data-task-window]').count();
    console.log(`  ${label.padEnd(58)} median ${fmtMs(median(times)).padStart(7)}  (min ${fmtMs(Math.min(...times))}, max ${fmtMs(Math.max(...times))}, ${saves} saves; ${windows} bars in view)`);
    return times;
  } finally {
    await browser.close();
    dev.child.kill('SIGTERM');
  }
}

export default async function devBench() {
  const work = path.join(ROOT, '.bench-work', 'dev');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const project = path.join(work, 'app');
  cpSync(path.join(ROOT, 'fixtures', 'example-app'), project, { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const runs = Number(process.env.BENCH_RUNS ?? 8);
  console.log('Save -> page updated (a write to tasks.js until the page shows the new build), cht dev in chromium:');
  const small = await measure('example app, 9 contacts, 2024-05-01 … 2024-08-31', project, ['--from=2024-05-01', '--to=2024-08-31'], runs);
  const pop = patientPopulation({ patients: 120, start: Date.UTC(2024, 0, 1), seed: 120 });
  const fixture = path.join(work, 'patients-120.json');
  writeFileSync(fixture, JSON.stringify(pop));
  const large = await measure(`120 patients (${pop.docs.length} docs), 2024-04-01 … 2024-06-29`, project, [`--fixtures=${fixture}`, '--from=2024-04-01', '--to=2024-06-29'], runs);
  rmSync(work, { recursive: true, force: true });
  return { small, large };
}
