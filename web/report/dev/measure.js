#!/usr/bin/env node
// Measures the report page in Debian's chromium (not a test: nothing is asserted; timings on a shared machine
// are noisy, so each figure is the median of --runs runs). Needs a build (dist/web, dist/report/html).
//
//   node web/report/dev/measure.js --html=report.html      a report made by `cht dry-run-tasks --format=html`
//   node web/report/dev/measure.js --generate=10000        generated data: 10,000 people over 365 days
//
// The data is (re-)embedded with this checkout's page. Figures: file size; load = navigation start to the
// end of the first render (the `report:rendered` mark in main.ts) and to the first paint after it; day = a
// click on the overview until the day view shows that day, painted; contact = a #contact= link to the last
// owner until its row is in the DOM, painted; scroll = the timeline scrolled to the middle until new rows are
// painted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const opt = (name, dflt) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const runs = Number(opt('runs', '3'));
const work = mkdtempSync(path.join(os.tmpdir(), 'chtkit-measure-'));

async function loadData() {
  const file = opt('html');
  if (file) {
    const m = readFileSync(file, 'utf8').match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/);
    if (!m) throw new Error(`${file} holds no report data`);
    return JSON.parse(m[1]);
  }
  // The generator is TypeScript: bundle it for Node on the fly.
  const out = path.join(work, 'generate.mjs');
  await build({ entryPoints: [path.join(ROOT, 'web/report/dev/generate.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  const { generateReportData } = await import(pathToFileURL(out).href);
  return generateReportData({ people: Number(opt('generate', '1000')), from: '2024-01-01', days: 365, seed: 1, allStates: opt('all-states', '') === '1' });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const paint = 'new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))';

try {
  const data = await loadData();
  const { reportHtml } = await import(pathToFileURL(path.join(ROOT, 'dist/report/html/write.js')).href);
  const file = path.join(work, 'report.html');
  writeFileSync(file, reportHtml(data));
  const size = readFileSync(file).length;
  const owners = new Set(data.windows.map((w) => w.ownerId));
  const lastOwner = [...owners].pop();
  console.log(`data: ${owners.size} owners, ${data.windows.length} windows, ${data.days.length} days, ${data.header.counts.readyTaskDays} Ready task-days; file ${(size / 1e6).toFixed(1)} MB`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const results = { rendered: [], painted: [], day: [], contact: [], scroll: [] };
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.evaluate(paint);
      const t = await page.evaluate(`(() => { const m = performance.getEntriesByName('report:rendered')[0]; return { rendered: m.startTime, now: performance.now() }; })()`);
      results.rendered.push(t.rendered);
      results.painted.push(t.now);
      const box = await page.locator('svg.chart').boundingBox();
      results.day.push(
        await page.evaluate(`(async () => {
          const svg = document.querySelector('svg.chart');
          const t0 = performance.now();
          svg.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: ${box.x + box.width * 0.6}, clientY: ${box.y + box.height / 2} }));
          await ${paint};
          return performance.now() - t0;
        })()`),
      );
      results.contact.push(
        await page.evaluate(`(async () => {
          const t0 = performance.now();
          location.hash = '#contact=' + encodeURIComponent(${JSON.stringify(lastOwner)});
          while (!document.querySelector('[data-contact-row][data-contact-id="${lastOwner}"]')) await new Promise((r) => setTimeout(r, 0));
          await ${paint};
          return performance.now() - t0;
        })()`),
      );
      results.scroll.push(
        await page.evaluate(`(async () => {
          const el = document.querySelector('.tl-scroll');
          const t0 = performance.now();
          el.scrollTop = el.scrollHeight / 2;
          await ${paint};
          await ${paint};
          return performance.now() - t0;
        })()`),
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const f = (xs) => `${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;
  console.log(`load, first render done: ${f(results.rendered)}`);
  console.log(`load, painted:           ${f(results.painted)}`);
  console.log(`click a day:             ${f(results.day)}`);
  console.log(`#contact= last owner:    ${f(results.contact)}`);
  console.log(`scroll timeline:         ${f(results.scroll)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
