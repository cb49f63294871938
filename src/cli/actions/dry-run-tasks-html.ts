import path from 'node:path';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../project/atomic-write.js';
import type { LoadedDryRun, TasksRequest } from '../../simulate/index.js';
import type { ActionContext } from '../action.js';
import { atText, type DryRunInputs } from '../dry-run-options.js';
import { version } from '../main.js';

/**
 * `dry-run-tasks --format=html`: the same dry-run (every state with --all-states: a run that records them all
 * costs twice the time and more, so the page explains other days from the window's dates without it), plus the
 * targets of every reporting month the span touches, written as one self-contained page to --output
 * (atomically) or stdout.
 */
export async function writeHtmlReport(
  ctx: ActionContext, inputs: DryRunInputs, loaded: LoadedDryRun, request: TasksRequest, output: string | undefined,
): Promise<void> {
  if (request.explain !== undefined) {
    throw new UsageError('--explain prints text or JSON: drop --format=html, or --explain (the report shows every task\'s reasons).', { code: 'CHT_E_USAGE' });
  }
  const [{ streamTasks, dryRunTargetsForSpan, isContactDoc }, { ReportBuilder }, { reportHtml }, { readTranslations }] = await Promise.all([
    import('../../simulate/index.js'), import('../../report/html/collect.js'), import('../../report/html/write.js'),
    import('../../project/translations.js'),
  ]);
  const builder = new ReportBuilder();
  const run = await streamTasks(loaded, request, (day) => builder.day(day));
  const months = await dryRunTargetsForSpan(loaded, request);
  const { fixtures, config } = loaded;
  const docs = fixtures.docs;
  const userDoc = fixtures.userId !== undefined ? docs.find((d) => d._id === fixtures.userId) : undefined;
  const userName = userDoc?.name ?? fixtures.inlineUser?.name;
  const source = inputs.source.kind === 'project' ? inputs.source.dir : inputs.source.file;
  // A compiled app_settings.json sits at the root of its project (cht-conf's layout): translations/ beside it.
  const projectDir = inputs.source.kind === 'project' ? inputs.source.dir : path.dirname(inputs.source.file);
  const data = builder.finish({
    header: {
      project: path.basename(inputs.source.kind === 'project' ? source : path.dirname(source)),
      chtkit: version(),
      source,
      sourceKind: inputs.source.kind,
      fixtures: fixtures.files,
      user: { id: fixtures.userId ?? null, ...(userName !== undefined && userName !== null ? { name: String(userName) } : {}) },
      roles: inputs.roles ?? fixtures.roles ?? [],
      tz: request.tz,
      from: request.from,
      to: request.to,
      at: atText(request.at),
      allStates: request.allStates,
      notes: run.notes,
    },
    generatedAt: new Date(),
    targetItems: config.targets,
    docs,
    isContact: isContactDoc,
    translations: readTranslations(projectDir),
  }, months);
  const html = reportHtml(data);
  for (const note of run.notes) ctx.reporter.warn(note);
  if (output !== undefined) {
    const file = path.resolve(ctx.cwd, output);
    writeFileAtomic(file, html);
    ctx.reporter.info(`Wrote ${file} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): ${data.header.counts.readyTaskDays} Ready task-days, ${data.windows.length} windows, ${data.targets.length} month(s) of targets.`);
  } else {
    await ctx.reporter.dataPart(html);
  }
}
