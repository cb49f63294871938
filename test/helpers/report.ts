import type { ReportData } from '../../src/report/html/report-data.js';

/** The data a report page carries (what its script reads). */
export function reportDataOf(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no report data in the page');
  return JSON.parse(m[1]!) as ReportData;
}
