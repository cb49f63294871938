// The report page's entry point: read the data the writer embedded (src/report/html/write.ts), draw it into
// #app. The page has no data of its own and fetches nothing.
import { render } from 'preact';
import type { ReportData } from '../../src/report/html/report-data.js';
import { REPORT_DATA_VERSION } from '../../src/report/html/report-data.js';
import { html } from './html.js';
import { App } from './app.js';

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
    render(html`<${App} data=${data} />`, root);
    performance.mark('report:rendered');
  }
}
