import { UsageError, type ExitCode } from '../../errors.js';
import type { AgainstSide } from '../../impact/against.js';
import type { LoadedDryRun, TasksRequest, TimeOptions } from '../../simulate/index.js';
import { flag, stringOpt, type ActionContext } from '../action.js';
import { atText, type DryRunInputs } from '../dry-run-options.js';

/**
 * The old side of `--against`: a compiled app_settings.json, the instance's settings (one GET, nothing
 * written), or the project at a git revision compiled from a temporary checkout. Its rules run over the same
 * fixtures as the new side.
 */
export async function loadAgainst(ctx: ActionContext, inputs: DryRunInputs, loaded: LoadedDryRun): Promise<{ old: LoadedDryRun; side: AgainstSide }> {
  const { parseAgainst, gitSide } = await import('../../impact/against.js');
  const { loadAppSettings, loadProject, loadSettingsValue } = await import('../../simulate/engine/config.js');
  const spec = parseAgainst(stringOpt(ctx.opts, 'against')!, ctx.cwd);
  let side: AgainstSide;
  if (spec.kind === 'file') {
    side = { config: loadAppSettings(spec.file), label: spec.file, notes: [], dispose: async () => undefined };
  } else if (spec.kind === 'instance') {
    const { connection } = await import('../instance-options.js');
    const conn = await connection(ctx);
    if (!conn.api || conn.target.kind === 'archive') {
      throw new UsageError('--against=instance reads the settings from an instance: give --local, --url or --instance (not --archive).', { code: 'CHT_E_USAGE' });
    }
    const url = conn.target.baseUrl.href.replace(/\/$/, '');
    const settings = await conn.api.getSettings();
    side = { config: loadSettingsValue(settings, `The settings on ${url}`), label: `instance (${url})`, notes: [], dispose: async () => undefined };
  } else {
    if (inputs.source.kind !== 'project') {
      throw new UsageError('--against=git:REF compares the project (--source) with itself at REF; it does not apply to --app-settings.', { code: 'CHT_E_USAGE' });
    }
    const { cleanUpOnSignal } = await import('../signals.js');
    side = await gitSide(inputs.source.dir, spec.ref, (dir) => loadProject(dir, { cache: false }), cleanUpOnSignal);
  }
  for (const note of side.notes) ctx.reporter.info(note);
  return { old: { config: side.config, fixtures: loaded.fixtures }, side };
}

function checkAgainstFlags(ctx: ActionContext): void {
  if (stringOpt(ctx.opts, 'explain') !== undefined) {
    throw new UsageError('--explain and --against do not go together: explain one side at a time.', { code: 'CHT_E_USAGE' });
  }
}

const exitFor = (ctx: ActionContext, changed: boolean): ExitCode => (changed && flag(ctx.opts, 'failOnChange') ? 1 : 0);

/** `dry-run-tasks --against`: both sides' timelines compared a day at a time. */
export async function tasksAgainst(
  ctx: ActionContext,
  inputs: DryRunInputs,
  loaded: LoadedDryRun,
  request: TasksRequest,
  format: 'human' | 'json' | 'ndjson' | 'markdown',
): Promise<ExitCode> {
  checkAgainstFlags(ctx);
  const { old, side } = await loadAgainst(ctx, inputs, loaded);
  try {
    const [{ compareTasks }, { impactPrinter }] = await Promise.all([import('../../impact/compare.js'), import('../../report/impact.js')]);
    const header = { tz: inputs.tz, from: request.from, to: request.to, at: atText(inputs.at), against: side.label };
    const printer = impactPrinter(ctx.reporter, format, header, { list: flag(ctx.opts, 'list') });
    const result = await compareTasks(old, loaded, request, (day) => printer.day(day));
    await printer.end(result);
    for (const note of result.run.notes) ctx.reporter.warn(note);
    for (const note of result.oldNotes.filter((n) => !result.run.notes.includes(n))) ctx.reporter.warn(`${side.label}: ${note}`);
    const s = result.summary;
    return exitFor(ctx, s.added + s.removed + s.changed > 0);
  } finally {
    await side.dispose();
  }
}

/** `dry-run-targets --against`: per month and target, both sides' values. */
export async function targetsAgainst(
  ctx: ActionContext,
  inputs: DryRunInputs,
  loaded: LoadedDryRun,
  request: TimeOptions & ({ from: string; to: string } | { date: string } | { month: string }),
  format: 'human' | 'json' | 'ndjson' | 'markdown',
): Promise<ExitCode> {
  checkAgainstFlags(ctx);
  const { old, side } = await loadAgainst(ctx, inputs, loaded);
  try {
    const sim = await import('../../simulate/index.js');
    const months = async (l: LoadedDryRun) => {
      if ('from' in request) return sim.dryRunTargetsForSpan(l, request);
      const out = await sim.dryRunTargets(l, request);
      const month = 'month' in request ? request.month : out.interval.end.slice(0, 7);
      return [{ month, interval: out.interval, date: out.date, targets: out.targets }];
    };
    const [{ compareTargets }, { printTargetsImpact }] = await Promise.all([import('../../impact/compare.js'), import('../../report/impact-targets.js')]);
    const compared = compareTargets(await months(old), await months(loaded));
    const span = compared.length ? { from: compared[0]!.interval.start, to: compared[compared.length - 1]!.interval.end } : { from: '', to: '' };
    await printTargetsImpact(ctx.reporter, format, { tz: inputs.tz, ...span, at: atText(inputs.at), against: side.label }, compared);
    return exitFor(ctx, compared.some((m) => m.targets.some((t) => t.changed)));
  } finally {
    await side.dispose();
  }
}
