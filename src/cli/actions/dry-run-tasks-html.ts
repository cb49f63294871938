import path from 'node:path';
import { UsageError, type ExitCode } from '../../errors.js';
import { writeFileAtomic } from '../../project/atomic-write.js';
import type { LoadedDryRun, TasksRequest } from '../../simulate/index.js';
import { flag, stringOpt, type ActionContext } from '../action.js';
import type { DryRunInputs } from '../dry-run-options.js';
import { reportDataFor } from '../report-run.js';

/**
 * `dry-run-tasks --format=html`: the report written as one self-contained page, to --output (atomically) or
 * stdout. With --against=OLD the page is the impact preview: the report data of both sides (one dry-run each,
 * the same request), compared by the page (src/report/html/against.ts).
 */
export async function writeHtmlReport(
  ctx: ActionContext, inputs: DryRunInputs, loaded: LoadedDryRun, request: TasksRequest, output: string | undefined,
): Promise<ExitCode> {
  if (request.explain !== undefined) {
    throw new UsageError('--explain prints text or JSON: drop --format=html, or --explain (the report shows every task\'s reasons).', { code: 'CHT_E_USAGE' });
  }
  const { reportHtml } = await import('../../report/html/write.js');
  let html: string;
  let summary: string;
  let changed = false;
  if (stringOpt(ctx.opts, 'against') !== undefined) {
    const { loadAgainst } = await import('./dry-run-against.js');
    const { old, side } = await loadAgainst(ctx, inputs, loaded);
    try {
      // The old side first, as compareTasks runs them; the checkout of git:REF stays until both have run.
      const before = await reportDataFor(inputs, old, request);
      const { data, notes } = await reportDataFor(inputs, loaded, request);
      html = reportHtml(data, { against: { label: side.label, data: before.data } });
      for (const note of notes) ctx.reporter.warn(note);
      for (const note of before.notes.filter((n) => !notes.includes(n))) ctx.reporter.warn(`${side.label}: ${note}`);
      const { compareReports } = await import('../../report/html/against.js');
      const { compareTargets } = await import('../../impact/targets-diff.js');
      const c = compareReports(before.data, data);
      const targets = compareTargets(targetValues(before.data), targetValues(data)).flatMap((m) => m.targets).filter((t) => t.changed).length;
      changed = c.counts.added + c.counts.removed + c.counts.changed + targets > 0;
      summary = `against ${side.label}: ${c.counts.added} Ready task-days added, ${c.counts.removed} removed, ${c.counts.changed} changed; ${targets} target value(s) changed`;
    } finally {
      await side.dispose();
    }
  } else {
    const { data, notes } = await reportDataFor(inputs, loaded, request);
    html = reportHtml(data);
    for (const note of notes) ctx.reporter.warn(note);
    summary = `${data.header.counts.readyTaskDays} Ready task-days, ${data.windows.length} windows, ${data.targets.length} month(s) of targets`;
  }
  if (output !== undefined) {
    const file = path.resolve(ctx.cwd, output);
    writeFileAtomic(file, html);
    ctx.reporter.info(`Wrote ${file} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): ${summary}.`);
  } else {
    await ctx.reporter.dataPart(html);
  }
  return changed && flag(ctx.opts, 'failOnChange') ? 1 : 0;
}

/** The report's targets as the comparison of targets reads them. */
function targetValues(data: { targets: readonly { month: string; interval: { start: string; end: string }; targets: readonly { id: string; pass: number; total: number; percent?: number }[] }[] }) {
  return data.targets.map((m) => ({
    month: m.month,
    interval: m.interval,
    targets: m.targets.map((t) => ({ id: t.id, value: { pass: t.pass, total: t.total, ...(t.percent !== undefined ? { percent: t.percent } : {}) } })),
  }));
}
