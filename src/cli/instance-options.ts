import path from 'node:path';
import { UsageError, UserError } from '../errors.js';
import type { ChtApi } from '../instance/api.js';
import type { InstanceHttp } from '../instance/http.js';
import type { InstanceTarget, SelectionInput } from '../instance/target.js';
import { flag, stringOpt, type ActionContext } from './action.js';
import { Option } from './commander.js';
import { askPassword, canPrompt, confirm } from './prompt.js';

/** The flags of every instance action: cht-conf's names, plus chtkit's --timeout and --dry-run. */
export function instanceOptions(): Option[] {
  return [
    new Option('--local', 'use the local instance: http://admin:pass@localhost:5988, or COUCH_URL (port forced to 5988)'),
    new Option('--url <url>', 'the instance URL, e.g. https://user:password@cht.example.org (or set CHT_URL)'),
    new Option('--instance <name>', 'https://NAME.medicmobile.org; asks for the password on a terminal (or CHT_PASSWORD)'),
    new Option('--user <name>', 'the user for --instance (default admin)'),
    new Option('--archive', 'write settings.doc.json to --destination instead of uploading'),
    new Option('--destination <dir>', 'the directory --archive writes to'),
    new Option('--force', 'skip the confirmations: production-instance guard, settings changed on the instance since the last upload'),
    new Option('--accept-self-signed-certs', "trust the instance's self-signed TLS certificate (only for chtkit's requests to it)"),
    new Option('--session-token <token>', 'send this CouchDB AuthSession cookie with every request (or CHT_SESSION_TOKEN)'),
    new Option('--timeout <seconds>', 'give up on a request after this many seconds').default('30'),
    new Option('--dry-run', 'show what upload-app-settings would change, and upload nothing'),
  ];
}

/** The instance flags `--against=instance` reads (the settings only: nothing is backed up or written). */
export function againstInstanceOptions(): Option[] {
  const read = ['--local', '--url', '--instance', '--user', '--accept-self-signed-certs', '--session-token', '--timeout'];
  return instanceOptions().filter((o) => read.includes(o.long ?? ''));
}

export interface Connection {
  target: InstanceTarget;
  /** Absent in --archive mode. */
  api?: ChtApi;
  http?: InstanceHttp;
}

const STATE_KEY = 'instance.connection';
const INSTANCE_ACTIONS = ['backup-app-settings', 'upload-app-settings'];

function timeoutMs(ctx: ActionContext): number {
  const text = stringOpt(ctx.opts, 'timeout') ?? '30';
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout=${text} is not a number of seconds.`, { code: 'CHT_E_TIMEOUT_FLAG', hint: 'e.g. --timeout=60' });
  }
  return Math.round(seconds * 1000);
}

function selection(ctx: ActionContext): SelectionInput {
  const sessionToken = stringOpt(ctx.opts, 'sessionToken') ?? ctx.env.CHT_SESSION_TOKEN;
  return {
    local: flag(ctx.opts, 'local'),
    url: stringOpt(ctx.opts, 'url'),
    instance: stringOpt(ctx.opts, 'instance'),
    archive: flag(ctx.opts, 'archive'),
    user: stringOpt(ctx.opts, 'user'),
    destination: stringOpt(ctx.opts, 'destination'),
    sessionToken: sessionToken || undefined,
    cwd: ctx.cwd,
    env: ctx.env,
  };
}

async function productionGuard(ctx: ActionContext, url: string, name: string): Promise<void> {
  const project = path.basename(ctx.projectDir);
  ctx.reporter.warn(`Attempting to use project for ${project} against non-matching instance: ${url} (${name}).`);
  if (flag(ctx.opts, 'force')) return;
  if (canPrompt(ctx) && (await confirm('Continue?'))) return;
  throw new UserError(`User aborted execution: ${url} is a production instance whose name is not ${project}.`, {
    code: 'CHT_E_PRODUCTION_GUARD',
    hint: `Check --source and the instance; if this is intended, pass --force${canPrompt(ctx) ? '' : ' (this run cannot ask: no terminal)'}.`,
  });
}

async function open(ctx: ActionContext): Promise<Connection> {
  const { selectMode, checkUserFlag, resolveArchive, resolveRemote, productionMismatch, describeTarget } = await import(
    '../instance/target.js'
  );
  const input = selection(ctx);
  const { mode } = selectMode(input);
  checkUserFlag(input, mode);
  if (mode === 'archive') return { target: resolveArchive(input) };
  const ms = timeoutMs(ctx);
  const target = await resolveRemote(input, mode, async (user, host) => {
    if (!canPrompt(ctx)) {
      throw new UserError(`--instance needs the password of ${user} on ${host}, and this run cannot ask for it (no terminal).`, {
        code: 'CHT_E_NO_PASSWORD',
        hint: 'In CI, set CHT_PASSWORD (and CHT_USERNAME), or give --url=https://user:password@host (or CHT_URL) instead.',
      });
    }
    return askPassword(ctx, `Password for ${user} on ${host}:`);
  });
  if (target.passwordSource !== 'url') ctx.reporter.redactor.addSecret(target.password);
  ctx.reporter.redactor.addSecret(target.sessionToken);
  const shown = describeTarget(target);
  const from = { 'local-default': 'default local url', COUCH_URL: 'COUCH_URL', url: '--url', CHT_URL: 'CHT_URL', instance: '--instance' }[target.source];
  ctx.reporter.info(`Instance: ${shown} (${from})`);
  for (const note of target.notes) ctx.reporter.info(`  ${note}`);
  const name = productionMismatch(target, ctx.projectDir);
  if (name) await productionGuard(ctx, shown, name);

  const { InstanceHttp } = await import('../instance/http.js');
  const { ChtApi } = await import('../instance/api.js');
  const http = new InstanceHttp(
    target,
    { timeoutMs: ms, acceptSelfSignedCerts: flag(ctx.opts, 'acceptSelfSignedCerts') },
    {
      onAttempt: (e) =>
        ctx.reporter.verbose(`${e.method} ${e.url} → ${e.status ?? e.error ?? 'failed'} (${Math.round(e.ms)} ms)`),
      onRetry: (e) =>
        ctx.reporter.warn(
          `${e.method} ${new URL(e.url).pathname} failed (${e.reason}); retrying in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt} of ${e.attempts}).`,
        ),
    },
  );
  const api = new ChtApi(http);
  ctx.reporter.verbose(`Checking that ${target.dbUrl.href}/ is available...`);
  await api.available();
  return { target, api, http };
}

/**
 * The run's instance connection, opened once (by the first instance action's preflight, so a missing flag,
 * a refused password or an unreachable instance stops the run before any action writes anything).
 */
export async function connection(ctx: ActionContext): Promise<Connection> {
  let pending = ctx.state.get(STATE_KEY) as Promise<Connection> | undefined;
  if (!pending) {
    pending = open(ctx);
    ctx.state.set(STATE_KEY, pending);
  }
  return pending;
}

/**
 * With --json, stdout carries one document for the whole run: each instance action adds its result here and
 * the last one prints them together.
 */
export function addJsonResult(ctx: ActionContext, key: string, value: unknown, target: InstanceTarget): void {
  if (ctx.opts.json !== true) return;
  const results = (ctx.state.get('instance.results') as Record<string, unknown> | undefined) ?? {};
  results[key] = value;
  ctx.state.set('instance.results', results);
  const done = ((ctx.state.get('instance.done') as number | undefined) ?? 0) + 1;
  ctx.state.set('instance.done', done);
  const total = ctx.actions.filter((a) => INSTANCE_ACTIONS.includes(a)).length;
  if (done >= total) {
    const instance = target.kind === 'archive' ? { archive: target.destination } : { instance: target.baseUrl.href.replace(/\/$/, '') };
    ctx.reporter.json({ ...instance, ...results });
  }
}
