#!/usr/bin/env node
// Regenerates the README's screenshots of the dry-run HTML report (docs/report.png, docs/report-dark.png) on
// fixtures/example-app, with Debian's chromium driven by playwright-core (the browser the tests use; none is
// downloaded). Needs a build (`npm run build`): the report is made by this checkout's CLI, and its data is
// re-embedded with this checkout's page (dist/web), so the picture always shows the page as built here.
//
//   node scripts/screenshot-report.js [--cli=path/to/bin/cht.js] [--source=path/to/example-app]
//
// --cli and --source take the data from another checkout (while this one's CLI is being worked on);
// CHROMIUM_PATH overrides /usr/bin/chromium.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name) => {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg ? path.resolve(arg.slice(name.length + 3)) : undefined;
};
const CLI = option('cli') ?? path.join(ROOT, 'bin', 'cht.js');
const PROJECT = option('source') ?? path.join(ROOT, 'fixtures', 'example-app');
// A span of the example's caseload with pregnancies, a delivery and a household survey; every state drawn.
const ARGS = ['dry-run-tasks', '--from=2024-05-01', '--to=2024-08-31', '--all-states', '--format=html'];
const HASH = '#day=2024-05-22';

function fail(message) {
  process.stderr.write(`screenshot-report: ${message}\n`);
  process.exit(1);
}

function writeAtomically(file, bytes) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'chtkit-shot-'));
try {
  const made = path.join(work, 'made.html');
  const run = spawnSync(process.execPath, [CLI, `--source=${PROJECT}`, ...ARGS, `--output=${made}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (run.status !== 0) fail(`the CLI (${CLI}) could not make the report (exit ${run.status}):\n${run.stderr}`);

  const found = readFileSync(made, 'utf8').match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/);
  if (!found) fail(`${made} holds no report data`);
  const data = JSON.parse(found[1]);
  // The screenshot should not show this machine's paths: the same picture on every machine.
  data.header.source = 'fixtures/example-app';
  data.header.fixtures = data.header.fixtures.map((f) => f.replace(/^.*\/(fixtures\/)/, '$1'));
  data.header.generatedAt = '2024-09-01T08:00:00.000Z';
  const { reportHtml } = await import(pathToFileURL(path.join(ROOT, 'dist', 'report', 'html', 'write.js')).href);
  const page = path.join(work, 'report.html');
  writeFileSync(page, reportHtml(data));

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    for (const [scheme, name] of [['light', 'report.png'], ['dark', 'report-dark.png']]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, deviceScaleFactor: 1 });
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(page).href + HASH);
      await tab.waitForSelector('[data-day-summary]');
      await tab.evaluate('window.scrollTo(0, 0)');
      const png = await tab.screenshot({ fullPage: true });
      writeAtomically(path.join(ROOT, 'docs', name), png);
      await context.close();
      process.stdout.write(`wrote docs/${name}\n`);
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
