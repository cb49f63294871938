// The report page's entry point: read the data the writer embedded (src/report/html/write.ts), draw it into
// #app. The page has no data of its own and fetches nothing — except, when `cht dev` serves it, its builds.
import { render } from 'preact';
import type { ReportData } from '../../src/report/html/report-data.js';
import { REPORT_DATA_VERSION } from '../../src/report/html/report-data.js';
import { html } from './html.js';
import { App } from './app.js';
import { LiveApp } from './live.js';
import type { LiveEndpoints } from '../../src/report/html/live.js';
import type { ReportAgainst } from '../../src/report/html/against.js';

function fail(root: HTMLElement, message: string) {
  root.textContent = '';
  const p = document.createElement('p');
  p.className = 'fatal';
  p.textContent = message;
  root.appendChild(p);
}

const root = document.getElementById('app');
const source = document.getElementById('report-data');
if (root) {
  performance.mark('report:start');
  let data: ReportData | undefined;
  try {
    data = JSON.parse(source?.textContent ?? '') as ReportData;
  } catch {
    fail(root, 'This report carries no readable data: regenerate it with `cht dry-run-tasks --format=html`.');
  }
  if (data && data.version !== REPORT_DATA_VERSION) {
    fail(root, `This report's data is version ${String(data.version)}; this page reads version ${REPORT_DATA_VERSION}. Regenerate it with the same chtkit.`);
  } else if (data) {
    performance.mark('report:parsed');
    root.textContent = '';
    // Served by `cht dev`: follow its builds (the report's own script never fetches anything otherwise).
    const live = document.getElementById('report-live');
    const endpoints = live ? (JSON.parse(live.textContent ?? '{}') as LiveEndpoints) : undefined;
    // The impact preview (--against): the old side's data beside the new side's.
    const againstEl = document.getElementById('report-against');
    let against: ReportAgainst | undefined;
    if (againstEl) {
      try {
        against = JSON.parse(againstEl.textContent ?? '') as ReportAgainst;
      } catch {
        against = undefined;
      }
    }
    if (againstEl && (!against || against.data?.version !== REPORT_DATA_VERSION)) {
      fail(root, 'This impact report carries no readable old side: regenerate it with `cht dry-run-tasks --against=… --format=html` of the same chtkit.');
    } else {
      render(endpoints ? html`<${LiveApp} endpoints=${endpoints} initial=${data} />` : html`<${App} data=${data} against=${against} />`, root);
    }
    performance.mark('report:rendered');
  }
}
