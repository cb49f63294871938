import path from 'node:path';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../project/atomic-write.js';
import type { LoadedDryRun, TasksRequest } from '../../simulate/index.js';
import type { ActionContext } from '../action.js';
import type { DryRunInputs } from '../dry-run-options.js';
import { reportDataFor } from '../report-run.js';

/** `dry-run-tasks --format=html`: the report written as one self-contained page, to --output (atomically) or stdout. */
export async function writeHtmlReport(
  ctx: ActionContext, inputs: DryRunInputs, loaded: LoadedDryRun, request: TasksRequest, output: string | undefined,
): Promise<void> {
  if (request.explain !== undefined) {
    throw new UsageError('--explain prints text or JSON: drop --format=html, or --explain (the report shows every task\'s reasons).', { code: 'CHT_E_USAGE' });
  }
  const { data, notes } = await reportDataFor(inputs, loaded, request);
  const { reportHtml } = await import('../../report/html/write.js');
  const html = reportHtml(data);
  for (const note of notes) ctx.reporter.warn(note);
  if (output !== undefined) {
    const file = path.resolve(ctx.cwd, output);
    writeFileAtomic(file, html);
    ctx.reporter.info(`Wrote ${file} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): ${data.header.counts.readyTaskDays} Ready task-days, ${data.windows.length} windows, ${data.targets.length} month(s) of targets.`);
  } else {
    await ctx.reporter.dataPart(html);
  }
}
