import { flag, type ActionDefinition } from '../action.js';
import { dateRange, dryRunInputs, dryRunOptions, dryRunTasksOptions } from '../dry-run-options.js';

export const dryRunTasks: ActionDefinition = {
  name: 'dry-run-tasks',
  summary: 'the tasks cht-core would show for fixture docs on given days (--explain: why a task shows or not)',
  options: () => [...dryRunOptions(), ...dryRunTasksOptions()],
  async run(ctx) {
    const inputs = await dryRunInputs(ctx);
    const { from, to } = dateRange(ctx, inputs.tz);
    const allStates = flag(ctx.opts, 'allStates');
    if (inputs.defaultFixture) ctx.reporter.info(`Using fixtures ${inputs.defaultFixture}`);
    const { loadDryRun, dryRunTasks: run } = await import('../../simulate/index.js');
    const loaded = await loadDryRun(inputs.source, inputs.fixtureFiles);
    for (const warning of loaded.config.warnings) ctx.reporter.warn(warning);
    const output = await run(loaded, {
      tz: inputs.tz,
      at: inputs.at,
      from,
      to,
      allStates,
      ...(inputs.roles ? { roles: inputs.roles } : {}),
      ...(inputs.asReported ? { asReported: true } : {}),
      ...(inputs.explain !== undefined ? { explain: inputs.explain } : {}),
    });
    for (const note of output.notes) ctx.reporter.warn(note);
    const report = await import('../../report/dry-run-tasks.js');
    if (ctx.opts.json === true) ctx.reporter.json(report.tasksJson(output));
    else ctx.reporter.data(report.tasksHuman(output, ctx.reporter.out, allStates));
    const { evaluations, reused, fallback, untraced } = output.stats;
    ctx.reporter.verbose(`Rules evaluations: ${evaluations}, reused: ${reused}${fallback ? ` (${fallback})` : ''}.`);
    for (const [reason, count] of Object.entries(untraced ?? {})) {
      ctx.reporter.verbose(`  ${count} evaluation(s) valid for their own day only: ${reason}.`);
    }
  },
};
