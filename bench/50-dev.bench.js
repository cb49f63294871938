// `cht dev`: from a file's write to the open page showing the new result, as a developer waits for it —
// measured in Debian's chromium (playwright-core) on the page `cht dev` serves: the time from writeFileSync to
// the page's [data-build] carrying the new build's id. Three projects:
//  1. fixtures/example-app (9 contacts) over four months;
//  2. the same rules with 120 generated patients (about 150 contacts) over 90 days;
//  3. a generated 60-task / 30-target project (bench/lib/projects.js `generate`: the size of the largest
//     public configs, e.g. a 57-task one) with 120 contacts whose reports trigger its tasks, over 90 days.
// Each save moves task windows (the ANC visits' start 7 <-> 10 days before due; in the generated project every
// event's start 2 <-> 4), so every build changes the tasks.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { fmtMs, median, ROOT } from './lib/measure.js';
import { patientPopulation } from './lib/population.js';
import { generate } from './lib/projects.js';

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

async function measure(label, project, args, saves, edit = (text) => text.replace('start: 7,', 'start: 10,')) {
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
      const text = i % 2 === 0 ? edit(original) : original;
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
  const generated = path.join(work, 'generated-60-30');
  generate(generated);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(generated, 'node_modules'));
  const contacts = generatedContacts(120, Date.UTC(2024, 3, 1));
  const contactsFile = path.join(work, 'generated-120.json');
  writeFileSync(contactsFile, JSON.stringify(contacts));
  const sixty = await measure(
    `60 tasks, 120 contacts (${contacts.docs.length} docs), 2024-04-01 … 2024-06-29`,
    generated,
    [`--fixtures=${contactsFile}`, '--from=2024-04-01', '--to=2024-06-29'],
    runs,
    (text) => text.replaceAll('start: 2,', 'start: 4,'),
  );
  rmSync(work, { recursive: true, force: true });
  return { small, large, sixty };
}

/**
 * Fixtures for the generated 60-task project: a CHW area with `n` people (age groups 0-4, which its contact
 * tasks test) and three reports each, of its forms, dated over the 90 days from `start`, whose fields say yes to
 * the follow-up of every report task of that form.
 */
function generatedContacts(n, start) {
  const FORMS = ['visit', 'delivery', 'pnc_visit', 'immunization', 'referral', 'nutrition'];
  const area = { _id: 'area', type: 'clinic', name: 'CHW area', parent: { _id: 'hc' } };
  const docs = [{ _id: 'hc', type: 'health_center', name: 'Health centre' }, area, { _id: 'chw', type: 'person', name: 'CHW', parent: { _id: 'area', parent: { _id: 'hc' } } }];
  for (let p = 0; p < n; p++) {
    const id = `person-${p}`;
    docs.push({ _id: id, type: 'person', name: `Person ${p}`, age_group: String(p % 5), parent: { _id: 'area', parent: { _id: 'hc' } }, reported_date: start - 86_400_000 });
    for (let r = 0; r < 3; r++) {
      const form = FORMS[(p + r) % FORMS.length];
      const fields = { patient_id: id };
      for (let i = 0; i < 60; i++) if (i % 3 !== 0 && FORMS[i % FORMS.length] === form) fields[`follow_up_${i}`] = (p + i) % 2 ? 'yes' : 'no';
      docs.push({ _id: `${id}-r${r}`, type: 'data_record', form, reported_date: start + ((p * 7 + r * 29) % 80) * 86_400_000, contact: { _id: 'chw' }, fields });
    }
  }
  return { user: 'chw', docs };
}
