import { UserError, type ExitCode } from '../../errors.js';
import { formatHuman } from '../../report/human-diagnostics.js';
import type { LoadedConfig } from '../../bundle/load-config.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { flag, formatOf, stringOpt, type ActionContext, type ActionDefinition } from '../action.js';
import type { CoreVersion } from '../../schema/workflows/core-version.js';
import { Option } from '../commander.js';

export const FORMATS = ['human', 'json', 'github', 'junit'] as const;
type Format = (typeof FORMATS)[number];

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function printHuman(ctx: ActionContext, diagnostics: readonly Diagnostic[]): Promise<void> {
  if (diagnostics.length) ctx.reporter.stderrText(await formatHuman(diagnostics, { colour: ctx.reporter.colourOnStderr, cwd: ctx.cwd }));
}

/** `--core-version`: the cht-core version the SMS, outbound and permission checks follow. */
export function coreVersionOption(): Option {
  return new Option('--core-version <x.y>', "cht-core version the settings checks follow (default: the instance's with --local/--url/--instance, else the newest chtkit knows, 5.2)");
}

/**
 * The version the settings checks follow: --core-version; else, when the run names an instance (--local, --url,
 * --instance), the version its /api/deploy-info reports; else chtkit's newest known. An instance that cannot be
 * reached, or whose version cannot be read, falls back to the newest known with a note, since validating must not
 * depend on the network being up. CHT_URL alone does not count: validation in CI must not silently go online.
 */
export async function coreVersionOf(ctx: ActionContext): Promise<{ coreVersion?: CoreVersion }> {
  const text = stringOpt(ctx.opts, 'coreVersion');
  const { parseCoreVersion } = await import('../../schema/workflows/core-version.js');
  if (text !== undefined) return { coreVersion: parseCoreVersion(text, 'flag') };
  if (!flag(ctx.opts, 'local') && stringOpt(ctx.opts, 'url') === undefined && stringOpt(ctx.opts, 'instance') === undefined) return {};
  return { coreVersion: await instanceCoreVersion(ctx) };
}

async function instanceCoreVersion(ctx: ActionContext): Promise<CoreVersion> {
  const { newestKnown, parseCoreVersion, OLDEST_KNOWN } = await import('../../schema/workflows/core-version.js');
  const fallback = (why: string): CoreVersion => {
    const v = newestKnown();
    ctx.reporter.warn(`${why}: the settings checks follow cht-core ${v.label}, the newest chtkit knows (set --core-version to choose).`);
    return v;
  };
  let reported: string | undefined;
  try {
    const { connection } = await import('../instance-options.js');
    const conn = await connection(ctx);
    if (!conn.api) return fallback('No instance to ask for its version (--archive)');
    reported = await conn.api.coreVersion();
  } catch (err) {
    return fallback(`Could not read the instance's cht-core version (${(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')})`);
  }
  if (reported === undefined) return fallback('The instance did not say which cht-core version it runs');
  try {
    const v = parseCoreVersion(reported, 'instance');
    ctx.reporter.info(`The instance runs cht-core ${reported}: the settings checks follow cht-core ${v.label}.`);
    return v;
  } catch {
    const m = /^v?(\d+)\./.exec(reported);
    if (m && Number(m[1]) < OLDEST_KNOWN.major) {
      const v = parseCoreVersion(`${OLDEST_KNOWN.major}.${OLDEST_KNOWN.minor}`, 'instance');
      ctx.reporter.warn(`The instance runs cht-core ${reported}, older than chtkit's checks know: they follow cht-core ${v.label}.`);
      return v;
    }
    return fallback(`The instance reports the version "${reported}", which is not a cht-core version`);
  }
}

export const validateAppSettings: ActionDefinition = {
  name: 'validate-app-settings',
  summary: 'check tasks, targets, the contact summary and settings files; writes nothing',
  area: 'Build and check',
  description:
    'Checks the whole project and writes nothing: the files cht-conf reads, JSON syntax and schemas, tasks.js and targets.js as the compiled bundle sees them (every task and target against the schema, plus checks a schema cannot make), the contact summary and purge.js, and the settings cht-core\'s api and sentinel read at runtime (transitions, SMS forms, registrations, patient reports, validation rules, schedules, messages, outbound pushes, contact types, roles and permissions) for the target cht-core version. Every problem is shown at once, at its file, line and column, naming the task, target or setting and the field, with its rule id. Exit 1 on an error (or a warning with --strict); notes never fail.',
  examples: [
    'cht --source=my-project validate-app-settings',
    'cht validate-app-settings --format=github --strict   # annotations on the pull request',
    'cht validate-app-settings --json | jq .summary',
    'cht validate-app-settings --core-version=4.11   # the settings checks for cht-core 4.11',
  ],
  globals: ['--source', '--json', '--strict', '--silent', '--verbose', '--no-color', '--show-console', '--no-cache', '--local', '--url', '--instance'],
  options: () => [
    new Option('--format <format>', `output of validate-app-settings: ${FORMATS.join(', ')} (default human; --json is json)`),
    coreVersionOption(),
  ],
  async run(ctx): Promise<ExitCode> {
    const format: Format = formatOf(ctx.opts, FORMATS);
    const strict = flag(ctx.opts, 'strict');
    const { validateProject } = await import('../../schema/validate.js');
    const { newestKnown } = await import('../../schema/workflows/core-version.js');
    const core = (await coreVersionOf(ctx)).coreVersion ?? newestKnown();
    const result = await validateProject(ctx.projectDir, { contactSummary: true, coreVersion: core, cache: { enabled: ctx.opts.cache !== false } });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
    const valid = errors === 0 && !(strict && warnings > 0);
    const tasks = result.definitions.filter((d) => d.kind === 'task').length;
    const targets = result.definitions.length - tasks;

    if (format === 'json') {
      const { formatValidationJson } = await import('../../report/json-diagnostics.js');
      ctx.reporter.json(formatValidationJson(result.diagnostics, {
        project: ctx.projectDir, strict, files: result.files.length, tasks, targets, coreVersion: { version: core.label, source: core.source },
      }));
      return valid ? 0 : 1;
    }
    if (format === 'github') {
      const { formatGithubAnnotations } = await import('../../report/github-annotations.js');
      const text = formatGithubAnnotations(result.diagnostics, { cwd: ctx.cwd, workspace: ctx.env.GITHUB_WORKSPACE });
      if (text) ctx.reporter.data(text);
    } else if (format === 'junit') {
      const { formatJunit } = await import('../../report/junit.js');
      ctx.reporter.data(formatJunit(result.diagnostics, { cwd: ctx.cwd, files: result.files, definitions: result.definitions, strict }));
    }
    // The full report always goes to the log, also next to annotations (GitHub shows only some) and JUnit.
    await printHuman(ctx, result.diagnostics);
    const what = `${count(tasks, 'task')}, ${count(targets, 'target')}, ${count(result.files.length, 'file')}`;
    const notes = result.diagnostics.filter((d) => d.severity === 'note').length;
    if (valid) {
      const found = [warnings ? count(warnings, 'warning') : '', notes ? count(notes, 'note') : ''].filter(Boolean);
      ctx.reporter.success(`The config is valid (${what} checked${found.length ? `, ${found.join(', ')}` : ''}).`);
      return 0;
    }
    const why = errors ? `${count(errors, 'error')}${warnings ? ` and ${count(warnings, 'warning')}` : ''}` : `${count(warnings, 'warning')} with --strict`;
    ctx.reporter.error(`The config is not valid: ${why} (${what} checked).`);
    return 1;
  },
};

/**
 * The check compile-app-settings runs before it builds anything: the same validation, stopping at the first
 * error compile would have hit anyway. Errors fail the compile before anything is written (with --debug, as
 * with cht-conf's `-- --debug`, schema and semantic errors are shown as warnings and the compile goes on).
 * Returns the warnings it printed, so the compile does not print them twice, and the loaded tasks.js and
 * targets.js, so the compile does not load them again.
 */
export async function validateBeforeCompile(ctx: ActionContext): Promise<{ shown: Diagnostic[]; loaded?: LoadedConfig }> {
  const { validateProject } = await import('../../schema/validate.js');
  const result = await validateProject(ctx.projectDir, { failFast: true, ...(await coreVersionOf(ctx)), cache: { enabled: ctx.opts.cache !== false } });
  const debug = flag(ctx.opts, 'debug');
  const lenient = (d: Diagnostic) => debug && d.severity === 'error' && /^(schema|semantic)\//.test(d.code);
  const diagnostics = result.diagnostics.map((d): Diagnostic => (lenient(d) ? { ...d, severity: 'warning' } : d));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new UserError(`The config has ${count(errors.length, 'error')}: nothing was written.`, {
      code: 'CHT_E_INVALID_CONFIG',
      diagnostics,
      hint: 'Fix the problems above (`cht validate-app-settings` lists them all), or pass --skip-validate to compile anyway.',
    });
  }
  await printHuman(ctx, diagnostics);
  // Notes are advice about layout: never fatal, not even with --strict.
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (warnings && flag(ctx.opts, 'strict')) {
    throw new UserError(`${count(warnings, 'warning')} with --strict: nothing was written.`, {
      code: 'CHT_E_STRICT_WARNINGS',
      hint: 'Fix the warnings above, or drop --strict to compile anyway.',
    });
  }
  return { shown: diagnostics, ...(result.loaded ? { loaded: result.loaded } : {}) };
}
