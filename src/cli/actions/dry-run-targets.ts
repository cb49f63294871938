import { UsageError } from '../../errors.js';
import { flag, formatOf, stringOpt, type ActionDefinition } from '../action.js';
import { againstInstanceOptions } from '../instance-options.js';
import { checkDay, checkMonth, commonRequest, dateRange, displayTextsFor, dryRunInputs, dryRunOptions, dryRunTargetsOptions, loadDryRunFor, todayIn } from '../dry-run-options.js';

export const dryRunTargets: ActionDefinition = {
  name: 'dry-run-targets',
  summary: 'the targets cht-core would show for fixture docs in a reporting interval (--explain: counted instances)',
  area: 'Dry-run',
  description:
    'Computes the targets cht-core 4.x would show for fixture docs in a reporting interval (the one containing --date, or the one named after --month), honouring month_start_date and target context expressions. --explain=TARGET lists every instance the rules emitted and whether it counts.',
  examples: [
    'cht --source=my-project dry-run-targets --month=2024-06',
    'cht dry-run-targets --date=2024-06-15 --explain=births-this-month',
    'cht dry-run-targets --from=2024-01-01 --to=2024-06-30 --against=app_settings.json   # per month and target, before and after',
    `cht dry-run-targets --month=2024-06 --json | jq '.targets[] | {id, value}'`,
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color', '--show-console'],
  options: () => [...dryRunOptions(), ...dryRunTargetsOptions(), ...againstInstanceOptions()],
  async run(ctx) {
    const format = formatOf(ctx.opts, ['human', 'json', 'ndjson', 'markdown'] as const);
    const inputs = await dryRunInputs(ctx);
    const date = stringOpt(ctx.opts, 'date');
    const month = stringOpt(ctx.opts, 'month');
    const against = stringOpt(ctx.opts, 'against');
    const from = stringOpt(ctx.opts, 'from');
    const to = stringOpt(ctx.opts, 'to');
    const span = from !== undefined || to !== undefined;
    if (span && against === undefined) {
      throw new UsageError('dry-run-targets takes --date (its reporting interval) or --month, not --from/--to (those compare every month of a span with --against).', { code: 'CHT_E_USAGE' });
    }
    if ([date, month, span || undefined].filter((x) => x !== undefined).length > 1) {
      throw new UsageError(`Give one of --date, --month${against !== undefined ? ' or --from/--to' : ''}.`, { code: 'CHT_E_USAGE' });
    }
    if (against === undefined && (format === 'markdown' || flag(ctx.opts, 'failOnChange'))) {
      throw new UsageError(`${format === 'markdown' ? '--format=markdown' : '--fail-on-change'} needs --against=OLD.`, { code: 'CHT_E_USAGE' });
    }
    const loaded = await loadDryRunFor(ctx, inputs);
    if (against !== undefined) {
      const { targetsAgainst } = await import('./dry-run-against.js');
      const when = span
        ? { ...dateRange(ctx, inputs.tz) }
        : month !== undefined
          ? { month: checkMonth(month) }
          : { date: date === undefined ? todayIn(inputs.tz) : checkDay(date, '--date') };
      return targetsAgainst(ctx, inputs, loaded, { ...commonRequest(inputs), ...when }, format);
    }
    if (format === 'markdown') throw new UsageError('--format=markdown needs --against=OLD.', { code: 'CHT_E_USAGE' });
    const { dryRunTargets: run } = await import('../../simulate/index.js');
    const output = await run(loaded, {
      ...commonRequest(inputs),
      ...(month !== undefined ? { month: checkMonth(month) } : { date: date === undefined ? todayIn(inputs.tz) : checkDay(date, '--date') }),
    });
    const { printTargets } = await import('../../report/dry-run-targets.js');
    const titles = format === 'human' ? targetTitles(loaded.config.targets, await displayTextsFor(inputs, loaded)) : undefined;
    await printTargets(ctx.reporter, output, { format, list: flag(ctx.opts, 'list'), ...(titles ? { titles } : {}) });
    for (const note of output.notes) ctx.reporter.warn(note);
  },
};

/** Target id -> the text of its `translation_key`, for the targets the project translates. */
function targetTitles(items: readonly { id?: unknown; translation_key?: unknown }[], texts: ReadonlyMap<string, string>): Map<string, string> {
  const titles = new Map<string, string>();
  for (const item of items) {
    const text = typeof item.translation_key === 'string' ? texts.get(item.translation_key) : undefined;
    if (text !== undefined) titles.set(String(item.id), text);
  }
  return titles;
}
