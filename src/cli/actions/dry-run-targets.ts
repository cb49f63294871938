import { UsageError } from '../../errors.js';
import { stringOpt, type ActionDefinition } from '../action.js';
import { checkDay, checkMonth, commonRequest, dryRunInputs, dryRunOptions, dryRunTargetsOptions, loadDryRunFor, todayIn } from '../dry-run-options.js';

export const dryRunTargets: ActionDefinition = {
  name: 'dry-run-targets',
  summary: 'the targets cht-core would show for fixture docs in a reporting interval (--explain: counted instances)',
  options: () => [...dryRunOptions(), ...dryRunTargetsOptions()],
  async run(ctx) {
    const inputs = await dryRunInputs(ctx);
    const date = stringOpt(ctx.opts, 'date');
    const month = stringOpt(ctx.opts, 'month');
    if (stringOpt(ctx.opts, 'from') !== undefined || stringOpt(ctx.opts, 'to') !== undefined) {
      throw new UsageError('dry-run-targets takes --date (its reporting interval) or --month, not --from/--to.', { code: 'CHT_E_USAGE' });
    }
    if (date !== undefined && month !== undefined) {
      throw new UsageError('Give --date or --month, not both.', { code: 'CHT_E_USAGE' });
    }
    const loaded = await loadDryRunFor(ctx, inputs);
    const { dryRunTargets: run } = await import('../../simulate/index.js');
    const output = await run(loaded, {
      ...commonRequest(inputs),
      ...(month !== undefined ? { month: checkMonth(month) } : { date: date === undefined ? todayIn(inputs.tz) : checkDay(date, '--date') }),
    });
    for (const note of output.notes) ctx.reporter.warn(note);
    const report = await import('../../report/dry-run-targets.js');
    if (ctx.opts.json === true) ctx.reporter.json(report.targetsJson(output));
    else ctx.reporter.data(report.targetsHuman(output, ctx.reporter.out));
  },
};
