import path from 'node:path';
import { UserError } from '../../errors.js';
import type { UploadPlan } from '../../instance/upload.js';
import type { RemoteTarget } from '../../instance/target.js';
import { flag, stringOpt, type ActionContext, type ActionDefinition } from '../action.js';
import { Option } from '../commander.js';
import { addJsonResult, connection, instanceOptions, type Connection } from '../instance-options.js';
import { canPrompt, confirm } from '../prompt.js';

function shown(target: RemoteTarget): string {
  return target.baseUrl.href.replace(/\/$/, '');
}

async function archive(ctx: ActionContext, conn: Connection): Promise<void> {
  if (conn.target.kind !== 'archive') return;
  const { readLocalSettings } = await import('../../instance/local-settings.js');
  const { archiveSettings } = await import('../../instance/archive.js');
  const result = archiveSettings(conn.target.destination, readLocalSettings(ctx.projectDir));
  ctx.reporter.success(`Wrote ${path.relative(ctx.cwd, result.file) || result.file} (${result.bytes} bytes; --archive uploads nothing)`);
  addJsonResult(ctx, 'upload', { archive: result.file, bytes: result.bytes }, conn.target);
}

/** Drift stops the upload unless the user says yes (terminal) or passed --force. */
async function allowOverwrite(ctx: ActionContext, plan: UploadPlan): Promise<void> {
  if (!plan.drift.length || flag(ctx.opts, 'force')) return;
  if (canPrompt(ctx) && (await confirm('Overwrite the changes made on the instance?'))) return;
  throw new UserError('Upload stopped: the settings on the instance were changed since this project last uploaded them.', {
    code: 'CHT_E_DRIFT',
    hint: canPrompt(ctx)
      ? 'Nothing was uploaded. Bring those changes into the project, or pass --force to overwrite them.'
      : 'Nothing was uploaded. Bring those changes into the project, or pass --force to overwrite them (this run cannot ask: no terminal).',
  });
}

function reportPlan(ctx: ActionContext, plan: UploadPlan): void {
  const r = ctx.reporter;
  if (plan.wrapped) {
    r.info(`The instance runs CHT ${plan.coreVersion} (before 4.2): the rules are wrapped in nools boilerplate for it.`);
  }
  for (const d of plan.deprecations) r.warn(d.message);
  if (plan.deprecationCheckError) r.warn(`Failed to check for deprecated transitions. Continuing... (${plan.deprecationCheckError})`);
}

async function printDiff(ctx: ActionContext, target: RemoteTarget, plan: UploadPlan): Promise<void> {
  if (ctx.opts.json === true) return;
  const { renderDrift, renderUploadDiff } = await import('../../report/settings-diff.js');
  if (!plan.upToDate) {
    ctx.reporter.data(renderUploadDiff(plan.diff.changes, plan.diff.instanceOnlyKeys, shown(target), ctx.reporter.out));
  }
  if (plan.drift.length && !plan.upToDate && plan.record) {
    ctx.reporter.warn('Drift: the instance was changed since the last upload from this project.');
    ctx.reporter.stderrText(renderDrift(plan.drift, plan.record.uploadedAt, ctx.reporter.err));
  }
}

/**
 * --preview: the task impact of the new settings against the instance's current ones, over the project's
 * fixtures (--fixtures, else harness.defaults.json) and span (--from/--to, else the fixtures' reports and 90
 * days on), printed before the upload. A preview that cannot run (no fixtures, rules that throw) stops the
 * upload: the user asked to see the impact before anything changes.
 */
async function preview(ctx: ActionContext, plan: UploadPlan, target: RemoteTarget): Promise<Record<string, unknown>> {
  const { dryRunInputs, fixturesSpan, dateRange, commonRequest, atText } = await import('../dry-run-options.js');
  const { loadFixtures } = await import('../../simulate/index.js');
  const { loadSettingsValue } = await import('../../simulate/engine/config.js');
  const { compareTasks } = await import('../../impact/compare.js');
  const { impactHuman } = await import('../../report/impact.js');
  const inputs = await dryRunInputs(ctx);
  const given = stringOpt(ctx.opts, 'from') !== undefined || stringOpt(ctx.opts, 'date') !== undefined;
  const { from, to } = given ? dateRange(ctx, inputs.tz) : await fixturesSpan(inputs.fixtureFiles, inputs.tz);
  const fixtures = loadFixtures(inputs.fixtureFiles);
  const url = shown(target);
  const oldSide = { config: loadSettingsValue(plan.remote, `The settings on ${url}`), fixtures };
  const newSide = { config: loadSettingsValue(plan.settings, 'app_settings.json'), fixtures };
  const request = { ...commonRequest(inputs), from, to, allStates: false, reuse: 'auto' as const };
  const result = await compareTasks(oldSide, newSide, request, () => undefined);
  const header = { tz: inputs.tz, from, to, at: atText(inputs.at), against: `the settings on ${url}` };
  if (ctx.opts.json !== true) ctx.reporter.data(impactHuman(ctx.reporter.out, header, result, false));
  return { from, to, tz: inputs.tz, fixtures: inputs.fixtureFiles, summary: result.summary };
}

export const uploadAppSettings: ActionDefinition = {
  name: 'upload-app-settings',
  summary: 'upload app_settings.json to the instance, showing what changes (--dry-run: show only)',
  area: 'Deploy',
  description:
    `Uploads the compiled app_settings.json to the instance, after showing what changes; uploads nothing when nothing changed, and stops when the settings were edited on the instance since this project's last upload (unless --force). --dry-run shows the diff only. Needs exactly one of --local, --url or --instance (or CHT_URL).`,
  examples: [
    'cht --local compile-app-settings backup-app-settings upload-app-settings',
    'cht --url=https://cht.example.org upload-app-settings --dry-run   # show the diff, upload nothing',
    'CHT_URL=https://admin:$PW@cht.example.org cht upload-app-settings --json',
    'cht --local upload-app-settings --preview --dry-run   # what the upload would change in the fixtures\' tasks',
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color'],
  options: () => [
    ...instanceOptions(),
    new Option('--preview', 'before uploading, show what the new settings change in the tasks of the fixtures (--fixtures, --from/--to) against the instance\'s current settings'),
  ],
  requiresInstance: true,
  async preflight(ctx) {
    await connection(ctx);
  },
  async run(ctx) {
    const conn = await connection(ctx);
    if (conn.target.kind === 'archive' || !conn.api) return archive(ctx, conn);
    const target = conn.target;
    const { readLocalSettings } = await import('../../instance/local-settings.js');
    const { applyUpload, planUpload, rememberUpToDate } = await import('../../instance/upload.js');
    const { changesJson } = await import('../../report/settings-diff.js');
    const local = readLocalSettings(ctx.projectDir);
    const plan = await planUpload(conn.api, target, ctx.projectDir, local, ctx.state.get('instance.remoteSettings') as never);
    reportPlan(ctx, plan);
    await printDiff(ctx, target, plan);
    let previewed: Record<string, unknown> | undefined;
    if (flag(ctx.opts, 'preview') && !plan.upToDate) {
      previewed = await preview(ctx, plan, target);
    }
    const dryRun = flag(ctx.opts, 'dryRun');
    const json = {
      coreVersion: plan.coreVersion ?? null,
      noolsWrapper: plan.wrapped,
      upToDate: plan.upToDate,
      dryRun,
      uploaded: false,
      updated: null as boolean | null,
      diff: { ...changesJson(plan.diff.changes), instanceOnlyKeys: plan.diff.instanceOnlyKeys },
      drift: plan.record ? changesJson(plan.drift) : null,
      deprecatedTransitions: plan.deprecations,
      ...(previewed ? { preview: previewed } : {}),
    };

    if (plan.upToDate) {
      rememberUpToDate(target, ctx.projectDir, plan);
      ctx.reporter.success(`The app settings on ${shown(target)} are already up to date: nothing uploaded.`);
      addJsonResult(ctx, 'upload', json, target);
      return;
    }
    if (dryRun) {
      ctx.reporter.info(`Dry run: nothing uploaded${plan.drift.length ? ' (and the drift above would need --force)' : ''}.`);
      addJsonResult(ctx, 'upload', json, target);
      return;
    }
    await allowOverwrite(ctx, plan);
    const spinner = await ctx.reporter.spinner(`Uploading the app settings to ${shown(target)}`);
    let outcome;
    try {
      outcome = await applyUpload(conn.api, target, ctx.projectDir, plan);
    } finally {
      spinner.stop();
    }
    if (outcome.readBackError) {
      ctx.reporter.warn(`Uploaded, but could not read the settings back for the drift check of the next upload: ${outcome.readBackError}`);
    }
    // cht-conf's wording for the instance's `updated` flag (absent before core 3.9: nothing said).
    if (outcome.updated === false) ctx.reporter.info('Settings not updated - no changes detected');
    else ctx.reporter.success(`Settings updated successfully on ${shown(target)}.`);
    addJsonResult(ctx, 'upload', { ...json, uploaded: true, updated: outcome.updated ?? null }, target);
  },
};
