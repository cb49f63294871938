import { flag, type ActionDefinition } from '../action.js';
import { commonRequest, dateRange, dryRunInputs, dryRunOptions, dryRunTasksOptions, loadDryRunFor } from '../dry-run-options.js';

export const dryRunTasks: ActionDefinition = {
  name: 'dry-run-tasks',
  summary: 'the tasks cht-core would show for fixture docs on given days (--explain: why a task shows or not)',
  options: () => [...dryRunOptions(), ...dryRunTasksOptions()],
  async run(ctx) {
    const inputs = await dryRunInputs(ctx);
    const { from, to } = dateRange(ctx, inputs.tz);
    const allStates = flag(ctx.opts, 'allStates');
    const loaded = await loadDryRunFor(ctx, inputs);
    const { dryRunTasks: run } = await import('../../simulate/index.js');
    const output = await run(loaded, { ...commonRequest(inputs), from, to, allStates });
    for (const note of output.notes) ctx.reporter.warn(note);
    const report = await import('../../report/dry-run-tasks.js');
    if (ctx.opts.json === true) ctx.reporter.json(report.tasksJson(output));
    else ctx.reporter.data(report.tasksHuman(output, ctx.reporter.out, allStates));
    const { evaluations, reused, fallback, untraced, threads } = output.stats;
    const on = threads ? `, on ${threads} threads` : '';
    ctx.reporter.verbose(`Rules evaluations: ${evaluations}, reused: ${reused}${on}${fallback ? ` (${fallback})` : ''}.`);
    for (const [reason, count] of Object.entries(untraced ?? {})) {
      ctx.reporter.verbose(`  ${count} evaluation(s) valid for their own day only: ${reason}.`);
    }
  },
};
