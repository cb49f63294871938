import path from 'node:path';
import { version } from '../../cli/version.js';
import { REPORT_DATA_VERSION, type ReportData } from './report-data.js';

/** A report with nothing in it: what `cht dev`'s page shows until a first build succeeds. */
export function emptyReport(what: { project: string; from: string; to: string; tz: string }): ReportData {
  return {
    version: REPORT_DATA_VERSION,
    header: {
      project: path.basename(what.project), chtkit: version(), source: what.project, sourceKind: 'project', fixtures: [],
      user: { id: null }, roles: [], tz: what.tz, from: what.from, to: what.to, at: '12:00', allStates: false,
      generatedAt: new Date().toISOString(), counts: { contacts: 0, reports: 0, readyTaskDays: 0, windows: 0 }, notes: [],
    },
    strings: [], taskNames: [], contacts: [], windows: [], days: [], targets: [], translations: {},
  };
}
