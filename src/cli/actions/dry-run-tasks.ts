import { UsageError } from '../../errors.js';
import { flag, formatOf, stringOpt, type ActionDefinition } from '../action.js';
import { againstInstanceOptions } from '../instance-options.js';
import { atText, commonRequest, dateRange, displayTextsFor, dryRunInputs, dryRunOptions, dryRunTasksOptions, loadDryRunFor } from '../dry-run-options.js';
import type { TimelineStats } from '../../simulate/index.js';

const FORMATS = ['human', 'json', 'ndjson', 'html', 'markdown'] as const;

export const dryRunTasks: ActionDefinition = {
  name: 'dry-run-tasks',
  summary: 'the tasks cht-core would show for fixture docs on given days (--explain: why a task shows or not)',
  area: 'Dry-run',
  description:
    `Computes the tasks cht-core 4.x's rules engine would show a health worker, for fixture docs (harness.defaults.json's shape) on a day or every day of a span, without a browser or an instance. The human output lists the tasks by day and contact, or summarises a long run (--list prints it all); --json and --format=ndjson stream every task for scripts; --explain says why a task shows or not. The project is compiled in memory exactly as compile-app-settings does (or --app-settings runs a compiled file).`,
  examples: [
    'cht --source=my-project dry-run-tasks --date=2024-06-15   # the Tasks tab that day',
    `cht dry-run-tasks --from=2024-01-01 --to=2024-12-31 --format=ndjson | jq -c '.tasks | length'`,
    'cht dry-run-tasks --from=2024-01-01 --to=2024-12-31 --format=html --output=report.html',
    'cht dry-run-tasks --from=2024-03-01 --to=2024-03-31 --explain=anc-home-visit',
    'cht dry-run-tasks --from=2024-01-01 --to=2024-12-31 --against=git:origin/main --format=markdown   # impact of a change, for a PR',
    'cht dry-run-tasks --from=2024-01-01 --to=2024-12-31 --against=git:origin/main --format=html --output=impact.html   # both versions in one page',
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color', '--show-console'],
  options: () => [...dryRunOptions(), ...dryRunTasksOptions(), ...againstInstanceOptions()],
  async run(ctx) {
    const format = formatOf(ctx.opts, FORMATS);
    const inputs = await dryRunInputs(ctx);
    const { from, to } = dateRange(ctx, inputs.tz);
    const allStates = flag(ctx.opts, 'allStates');
    const output = stringOpt(ctx.opts, 'output');
    const against = stringOpt(ctx.opts, 'against');
    if (output !== undefined && format !== 'html') {
      throw new UsageError('--output writes the HTML report: give --format=html too (other formats go to stdout: redirect them).', { code: 'CHT_E_USAGE' });
    }
    if (format === 'markdown' && against === undefined) {
      throw new UsageError('--format=markdown summarises a comparison: give --against=OLD too.', { code: 'CHT_E_USAGE' });
    }
    if (flag(ctx.opts, 'failOnChange') && against === undefined) {
      throw new UsageError('--fail-on-change needs --against=OLD (what a change is measured against).', { code: 'CHT_E_USAGE' });
    }
    const loaded = await loadDryRunFor(ctx, inputs);
    if (against !== undefined && format !== 'html') {
      const { tasksAgainst } = await import('./dry-run-against.js');
      const request = { ...commonRequest(inputs), from, to, allStates, reuse: 'auto' as const, ...(ctx.opts.reuse === false ? { naive: true } : {}) };
      return tasksAgainst(ctx, inputs, loaded, request, format);
    }
    if (format === 'markdown') throw new UsageError('--format=markdown needs --against=OLD.', { code: 'CHT_E_USAGE' });
    if (format === 'html') {
      const { writeHtmlReport } = await import('./dry-run-tasks-html.js');
      const request = { ...commonRequest(inputs), from, to, allStates, reuse: 'auto' as const, ...(ctx.opts.reuse === false ? { naive: true } : {}) };
      return writeHtmlReport(ctx, inputs, loaded, request, output);
    }
    const [{ streamTasks }, { tasksPrinter }] = await Promise.all([import('../../simulate/index.js'), import('../../report/dry-run-tasks.js')]);
    const printer = tasksPrinter(ctx.reporter, {
      format,
      header: { tz: inputs.tz, from, to, at: atText(inputs.at) },
      allStates,
      list: flag(ctx.opts, 'list'),
      ...(format === 'human' ? { texts: await displayTextsFor(inputs, loaded) } : {}),
    });
    const naive = ctx.opts.reuse === false;
    const threadsFlag = stringOpt(ctx.opts, 'threads');
    const request = { ...commonRequest(inputs), from, to, allStates, reuse: 'auto' as const, ...(naive ? { naive } : {}), ...(threadsFlag ? { threads: Number(threadsFlag) } : {}) };
    const run = await streamTasks(loaded, request, (day) => printer.day(day));
    await printer.end(run);
    for (const note of run.notes) ctx.reporter.warn(note);
    const { evaluations, reused, fallback, untraced, threads, targetsAlone } = run.stats;
    const on = threads ? `, on ${threads} threads` : '';
    const how = naive ? ' (--no-reuse: every contact every day)' : '';
    const alone = targetsAlone ? `, targets alone: ${targetsAlone}` : '';
    ctx.reporter.verbose(`Rules evaluations: ${evaluations}, reused: ${reused}${alone}${on}${fallback ? ` (${fallback})` : ''}${how}.`);
    for (const [reason, count] of Object.entries(untraced ?? {})) {
      ctx.reporter.verbose(`  ${count} evaluation(s) valid for their own day only: ${reason}.`);
    }
    if (run.stats.plainly) ctx.reporter.verbose(`  Every contact ran plainly every day: ${run.stats.plainly}.`);
    for (const line of wentNaiveLines(run.stats.wentNaive)) ctx.reporter.verbose(line);
  },
};

/**
 * --verbose's account of the contacts that went naive. Plain evaluations are also the runs timed to weigh tracing
 * a contact against (probes): with no contact gone naive, those are all there are.
 */
export function wentNaiveLines(went: TimelineStats['wentNaive']): string[] {
  if (!went) return [];
  if (!went.contacts) return [`  ${went.plainEvaluations} plain evaluation(s), timed to weigh tracing against; no contact went naive.`];
  return [
    `  ${went.contacts} contact(s) ran plainly every day instead (${went.plainEvaluations} plain evaluations), because:`,
    ...Object.entries(went.reasons).map(([reason, count]) => `    ${count}: ${reason}`),
  ];
}
