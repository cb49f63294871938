import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportAgainst } from './against.js';
import type { LiveEndpoints } from './live.js';
import type { ReportData } from './report-data.js';

/**
 * The page's code and styles, bundled at build time (scripts/build-web.js) into dist/web/. Read from there
 * whether this module runs from dist/ (the CLI) or from src/ (vitest): the page is never bundled at run time.
 */
function asset(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(here, '..', '..', '..');
  return readFileSync(path.join(root, 'dist', 'web', name), 'utf8');
}

/** JSON inside `<script type="application/json">`: `<` escaped so no `</script>` or `<!--` can end it early. */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * One self-contained HTML file: the data, the page's script and styles inline. The Content-Security-Policy lets
 * nothing leave the page (`default-src 'none'`, no connect/img/font sources but data: images) and runs only the
 * page's own script (by hash, so even markup smuggled into the data could not run one). `live`: the page is
 * served by `cht dev` and follows its builds (live.ts), which the policy then allows (`connect-src 'self'`).
 * `against`: the old side of `--against` (against.ts), embedded beside the data; the page compares the two, and
 * the policy stays as strict (nothing is fetched: both sides are in the file).
 */
export function reportHtml(data: ReportData, options: { live?: LiveEndpoints; against?: ReportAgainst } = {}): string {
  const script = asset('report.js');
  const style = asset('report.css');
  // (esbuild escapes `</script` in the code it writes; a bundle that still held one would end the tag early.)
  if (/<\/script/i.test(script) || /<\/style/i.test(style)) throw new Error('dist/web holds a `</script` or `</style`: rebuild the page');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    // `cht dev`'s page follows the builds on its own server (and nowhere else).
    ...(options.live ? ["connect-src 'self'"] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `${options.against ? 'Impact' : 'Dry-run'} ${data.header.project} ${data.header.from}${data.header.to !== data.header.from ? ` … ${data.header.to}` : ''}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta name="generator" content="chtkit ${escapeHtml(data.header.chtkit)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<div id="app"><noscript>This report needs JavaScript to draw the dry-run.</noscript></div>',
    `<script type="application/json" id="report-data">${embeddedJson(data)}</script>`,
    ...(options.against ? [`<script type="application/json" id="report-against">${embeddedJson(options.against)}</script>`] : []),
    ...(options.live ? [`<script type="application/json" id="report-live">${embeddedJson(options.live)}</script>`] : []),
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
