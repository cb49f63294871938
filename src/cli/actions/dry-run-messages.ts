import { flag, formatOf, type ActionDefinition } from '../action.js';
import { Option } from '../commander.js';
import { dateRange, dryRunInputs } from '../dry-run-options.js';

export const dryRunMessages: ActionDefinition = {
  name: 'dry-run-messages',
  summary: 'the SMS messages cht-core\'s sentinel would schedule and send for fixture reports (registrations, patient reports, schedules)',
  area: 'Dry-run',
  description:
    'Replays the fixtures\' SMS and app reports through cht-core 4.x\'s update_clinics, registration and accept_patient_reports transitions, each at its own reported_date, oldest first, as sentinel does moments after a report arrives: the schedules they assign (name, group, due date and time, recipient, text rendered in the default locale), their replies, and what later reports clear or silence. Lists the messages due from --from to --to (or on --date), and summarises those before and after. Validation rules are not run: a fixture report is valid unless it carries `errors`.',
  examples: [
    'cht --source=my-project dry-run-messages --fixtures=sms.fixtures.json --from=2024-03-01 --to=2024-03-31',
    'cht dry-run-messages --date=2024-06-10 --tz=Africa/Nairobi',
    `cht dry-run-messages --from=2024-01-01 --to=2024-12-31 --json | jq '.messages[] | select(.state == "scheduled") | .recipient.phone'`,
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color'],
  options: () => [
    new Option('--app-settings <file>', 'dry-run a compiled app_settings.json instead of compiling --source'),
    new Option('--fixtures <file>', 'fixture docs in the harness.defaults.json shape (repeatable; default <project>/harness.defaults.json)')
      .argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? previous as string[] : []), value]),
    new Option('--date <YYYY-MM-DD>', 'the day whose messages to list (default: today in --tz)'),
    new Option('--from <YYYY-MM-DD>', 'first day of the span to list (with --to)'),
    new Option('--to <YYYY-MM-DD>', 'last day of the span to list (with --from)'),
    new Option('--tz <zone>', 'sentinel\'s time zone, e.g. Africa/Nairobi (default: TZ, else the system zone)'),
    new Option('--format <format>', 'human (a listing by day, or a summary when long) or json (one document, streamed)'),
    new Option('--list', 'print every report and message however many (by default a long run is summarised)'),
  ],
  async run(ctx) {
    const format = formatOf(ctx.opts, ['human', 'json'] as const);
    const inputs = await dryRunInputs(ctx);
    const { from, to } = dateRange(ctx, inputs.tz);
    if (inputs.defaultFixture) ctx.reporter.info(`Using fixtures ${inputs.defaultFixture}`);
    const [{ loadMessagesDryRun }, { dryRunMessages: run }, { printMessages }] = await Promise.all([
      import('../../simulate/messages/load.js'), import('../../simulate/messages/index.js'), import('../../report/dry-run-messages.js'),
    ]);
    const loaded = await loadMessagesDryRun(inputs.source, inputs.fixtureFiles, { cache: ctx.opts.cache !== false });
    for (const notice of loaded.warnings) ctx.reporter.notice(notice);
    const output = run({ settings: loaded.settings, translations: loaded.translations, docs: loaded.fixtures.docs, from, to, tz: inputs.tz });
    await printMessages(ctx.reporter, output, { format, list: flag(ctx.opts, 'list') });
    for (const note of output.notes) ctx.reporter.info(`Note: ${note}`);
  },
};
