import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** What the page did besides drawing: anything here but an empty list is a failure for a report. */
export interface PageLog {
  /** console.error messages. */
  consoleErrors: string[];
  /** Uncaught exceptions. */
  pageErrors: string[];
  /** Every request other than the report file itself (the report must fetch nothing). */
  requests: string[];
}

export interface WithPageOptions {
  /** Appended to the file's URL, e.g. `#day=2024-05-06`. */
  hash?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * Debian's chromium, driven by playwright-core (no browser is downloaded), without the background requests a
 * fresh profile makes (refused on a closed network). CHROMIUM_PATH overrides /usr/bin/chromium.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Opens `html` in Debian's chromium (playwright-core drives it; no browser is downloaded) from a temp file via
 * file://, as a reader opens a report from disk, and runs `fn` with the page and what it logged so far.
 * The browser and the file are gone when the promise settles. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
export async function withPage<T>(html: string, fn: (page: Page, log: PageLog) => Promise<T>, options: WithPageOptions = {}): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-page-'));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
    const page = await context.newPage();
    const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [] };
    page.on('console', (msg) => {
      if (msg.type() === 'error') log.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => log.pageErrors.push(String(err)));
    page.on('request', (req) => {
      if (req.url().split('#')[0] !== url) log.requests.push(req.url());
    });
    await page.goto(url + (options.hash ?? ''), { waitUntil: 'load' });
    return await fn(page, log);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How many distinct colours a full screenshot of the page has (a blank or broken page has a handful), counted
 * in a fresh page of the same context: a report's CSP rightly forbids reading its own canvas.
 */
export async function screenshotColours(page: Page, options: { fullPage?: boolean } = {}): Promise<number> {
  const png = (await page.screenshot({ fullPage: options.fullPage ?? false })).toString('base64');
  const probe = await page.context().newPage();
  try {
    return await probe.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < px.length; i += 4) seen.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
      return seen.size;
    }, png);
  } finally {
    await probe.close();
  }
}
