#!/usr/bin/env node
// Regenerates the README's screenshots of `cht dev` (docs/dev.png: the page after a save moved the ANC windows;
// docs/dev-error.png: a syntax error shown over the last good report) on a temporary copy of
// fixtures/example-app, with Debian's chromium driven by playwright-core. Needs a build (`npm run build`).
// CHROMIUM_PATH overrides /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'chtkit-dev-shot-'));
const project = path.join(work, 'example-app');
cpSync(path.join(ROOT, 'fixtures', 'example-app'), project, { recursive: true });
symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));

const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'cht.js'), `--source=${project}`, '--from=2024-05-01', '--to=2024-08-31', '--port=0', 'dev'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(out.split('\n')[0]);
  });
  child.on('exit', (code) => reject(new Error(`cht dev exited ${code}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// (Atomic: a half-written PNG never replaces the committed one.)
const shoot = async (page, name) => {
  const tmp = path.join(work, name);
  await page.mouse.wheel(0, -100_000);
  await page.screenshot({ path: tmp });
  renameSync(tmp, path.join(ROOT, 'docs', name));
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  await page.waitForSelector('[data-build][data-status="ok"]');
  const tasks = path.join(project, 'tasks.js');
  writeFileSync(tasks, readFileSync(tasks, 'utf8').replace('start: 7,', 'start: 10,'));
  await page.waitForSelector('[data-task-window][data-change="moved"]');
  await page.click('[data-changes] summary');
  await shoot(page, 'dev.png');
  appendFileSync(tasks, '\nmodule.exports.push({ name: \n');
  await page.waitForSelector('[data-build][data-status="error"]');
  await shoot(page, 'dev-error.png');
  console.log('Wrote docs/dev.png and docs/dev-error.png');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
