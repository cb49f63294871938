import path from 'node:path';
import type { ReportData } from '../report/html/report-data.js';
import type { LoadedDryRun, TasksRequest } from '../simulate/index.js';
import { atText, displayTextsFor, projectDirOf, type DryRunInputs } from './dry-run-options.js';
import { version } from './version.js';

/**
 * A dry-run made into the HTML report's data: the tasks over the span (every state with --all-states: a run that
 * records them all costs twice the time and more, so without it the page explains other days from the window's
 * dates), plus the targets of every reporting month the span touches. Shared by `dry-run-tasks --format=html`
 * and `cht dev`.
 */
export async function reportDataFor(
  inputs: Pick<DryRunInputs, 'source' | 'roles'>, loaded: LoadedDryRun, request: TasksRequest,
): Promise<{ data: ReportData; notes: string[] }> {
  const [{ streamTasks, dryRunTargetsForSpan, isContactDoc }, { ReportBuilder }] = await Promise.all([
    import('../simulate/index.js'), import('../report/html/collect.js'),
  ]);
  const builder = new ReportBuilder();
  const run = await streamTasks(loaded, request, (day) => builder.day(day));
  const months = await dryRunTargetsForSpan(loaded, request);
  const { fixtures, config } = loaded;
  const docs = fixtures.docs;
  const userDoc = fixtures.userId !== undefined ? docs.find((d) => d._id === fixtures.userId) : undefined;
  const userName = userDoc?.name ?? fixtures.inlineUser?.name;
  const source = inputs.source.kind === 'project' ? inputs.source.dir : inputs.source.file;
  const projectDir = projectDirOf(inputs.source);
  const data = builder.finish({
    header: {
      project: path.basename(projectDir),
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
    translations: await displayTextsFor(inputs, loaded),
  }, months);
  return { data, notes: run.notes };
}
