#!/usr/bin/env node
// Regenerates the README's screenshot of the impact preview's HTML view (docs/report-against.png): the example
// app in a temporary git repository, changed (pnc-visit's second visit two days later, the immunization visits
// gone, a second delivery check, every child under 5 counted as assessed) and compared with --against=git:HEAD.
// Debian's chromium, driven by playwright-core (none is downloaded). Needs a build (`npm run build`).
//
//   node scripts/screenshot-against.js
//
// CHROMIUM_PATH overrides /usr/bin/chromium.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'cht.js');
const ARGS = ['dry-run-tasks', '--from=2024-07-01', '--to=2024-10-31', '--against=git:HEAD', '--format=html'];

function fail(message) {
  process.stderr.write(`screenshot-against: ${message}\n`);
  process.exit(1);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'chtkit-shot-'));
try {
  const repo = path.join(work, 'repo');
  const project = path.join(repo, 'example-app');
  cpSync(path.join(ROOT, 'fixtures', 'example-app'), project, { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules\napp_settings.json\n');
  const git = (...args) => execFileSync('git', ['-c', 'user.email=shot@example.org', '-c', 'user.name=shot', ...args], { cwd: repo });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'v1');
  appendFileSync(path.join(project, 'tasks.js'), [
    '',
    "module.exports.find((t) => t.name === 'pnc-visit').events[1].days = 4;",
    "module.exports.splice(module.exports.findIndex((t) => t.name === 'immunization-visit'), 1);",
    "module.exports.push({ ...module.exports.find((t) => t.name === 'delivery-check'), name: 'delivery-check-2' });",
    '',
  ].join('\n'));
  appendFileSync(path.join(project, 'targets.js'), "\nmodule.exports.find((t) => t.id === 'under-5-assessed').passesIf = () => true;\n");

  const made = path.join(work, 'made.html');
  const run = spawnSync(process.execPath, [CLI, `--source=${project}`, ...ARGS, `--output=${made}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (run.status !== 0) fail(`the CLI could not make the report (exit ${run.status}):\n${run.stderr}`);
  const text = readFileSync(made, 'utf8');
  const embedded = (id) => {
    const found = text.match(new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`));
    if (!found) fail(`${made} holds no #${id}`);
    return JSON.parse(found[1]);
  };
  const data = embedded('report-data');
  const against = embedded('report-against');
  // The same picture on every machine: no temporary paths, a fixed time, a fixed commit.
  for (const d of [data, against.data]) {
    d.header.source = 'fixtures/example-app';
    d.header.fixtures = d.header.fixtures.map(() => 'fixtures/example-app/harness.defaults.json');
    d.header.generatedAt = '2024-09-01T08:00:00.000Z';
  }
  against.label = 'git:HEAD (1a2b3c4)';
  const { reportHtml } = await import(pathToFileURL(path.join(ROOT, 'dist', 'report', 'html', 'write.js')).href);
  const page = path.join(work, 'report.html');
  writeFileSync(page, reportHtml(data, { against }));

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', deviceScaleFactor: 1 });
    const tab = await context.newPage();
    // A day with a removed immunization visit (struck through in the day view).
    await tab.goto(`${pathToFileURL(page).href}#day=${process.argv[2] ?? '2024-09-20'}`);
    await tab.waitForSelector('[data-impact-summary]');
    await tab.evaluate('window.scrollTo(0, 0)');
    const png = await tab.screenshot({ fullPage: true });
    const out = path.join(ROOT, 'docs', 'report-against.png');
    writeFileSync(`${out}.tmp`, png);
    renameSync(`${out}.tmp`, out);
    process.stdout.write('wrote docs/report-against.png\n');
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
