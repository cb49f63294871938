/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { createRequire } from 'node:module';
import { atLeast, describeCoreVersion } from './core-version.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { checkScript, checkScriptText } from './outbound-js.js';

/*
 * `outbound` (cht-core 4.11.0 shared-libs/outbound/src/outbound.js,
 * shared-libs/transitions/src/transitions/mark_for_outbound.js, shared-libs/transitions/src/lib/utils.js).
 * Every failure here is silent at runtime: the push is queued and retried every 5 minutes forever, and only
 * sentinel's log says why.
 */

const require = createRequire(import.meta.url);
let cronValidator: { isValidCron: (cron: string) => boolean } | undefined;

/** cht-core checks `cron` with cron-validator 1.3.1 and default options: chtkit uses the same library and version. */
function isValidCron(cron: string): boolean {
  cronValidator ??= require('cron-validator') as { isValidCron: (cron: string) => boolean };
  return cronValidator.isValidCron(cron);
}

/** Auth types outbound.js accepts (compared lower-cased), with the keys each one reads. */
const AUTH_KEYS: Record<string, readonly string[]> = {
  basic: ['username', 'password_key'],
  header: ['name', 'value_key'],
  'muso-sih': ['username', 'password_key', 'path'],
};

type Push = { name: string; conf: Record<string, any> };
type Out = WorkflowProblem[];

function checkTransition(ctx: WorkflowContext, out: Out): void {
  const transitions = ctx.settings.transitions;
  // Without a transitions key the upload leaves the instance's own transitions in place: nothing to say.
  if (transitions === undefined) return;
  const conf = isObject(transitions) ? transitions.mark_for_outbound : undefined;
  // cht-core loads a transition when its value is truthy and has no `disable` (transitions/index.js).
  if (conf && !(isObject(conf) && conf.disable)) return;
  out.push({
    code: 'outbound/transition-disabled',
    severity: 'error',
    path: ['outbound'],
    target: 'key',
    message: `outbound defines ${Object.keys(ctx.settings.outbound).length === 1 ? 'a push' : 'pushes'}, but the transition mark_for_outbound is ${conf === undefined ? 'not enabled' : 'disabled'}: only that transition queues documents, so nothing is ever pushed.`,
    hint: 'Add "mark_for_outbound": true to transitions.',
  });
}

function checkRelevantTo(p: Push, out: Out): void {
  const value = p.conf.relevant_to;
  const path = ['outbound', p.name, 'relevant_to'];
  // (cht-core: `conf.relevant_to && vm.runInNewContext(conf.relevant_to, { doc })`.)
  if (value === undefined || value === '' || value === null || value === false || value === 0) {
    out.push({
      code: 'outbound/missing-relevant-to',
      severity: 'error',
      path,
      target: value === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' has ${value === undefined ? 'no relevant_to' : `relevant_to ${quote(value)}`}: cht-core treats it as relevant to no document, so it never pushes.`,
      hint: "Add a relevant_to expression over doc, e.g. \"doc.type === 'data_record' && doc.form === 'pregnancy'\".",
    });
    return;
  }
  if (typeof value !== 'string') {
    const text = checkScriptText(path, value, `relevant_to of push '${p.name}'`, out, true);
    if (text === undefined) return;
    const always = typeof value === 'boolean' || typeof value === 'number';
    out.push({
      code: 'outbound/relevant-to-not-string',
      severity: 'warning',
      path,
      target: 'value',
      message: `Push '${p.name}' has relevant_to ${quote(value)}, not a string: cht-core's vm runs it as the text "${text}"${always ? ', true for every document, so every contact and report sentinel processes is pushed' : ''}.`,
      hint: always
        ? 'Write the documents to push as a string over doc, e.g. "doc.type === \'data_record\' && doc.form === \'pregnancy\'".'
        : `Write relevant_to as the string "${text}".`,
    });
    return;
  }
  checkScript(path, value, `relevant_to of push '${p.name}'`, out, true);
}

function checkDestination(p: Push, out: Out): void {
  const d = p.conf.destination;
  const at = ['outbound', p.name, 'destination'];
  if (!isObject(d)) {
    out.push({
      code: 'outbound/missing-destination',
      severity: 'error',
      path: at,
      target: d === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' has ${d === undefined ? 'no destination' : `destination ${quote(d)}`}: cht-core fails to send it and retries every 5 minutes, forever.`,
      hint: 'Add "destination": { "base_url": "https://…", "path": "/…" }.',
    });
    return;
  }
  let url: URL | undefined;
  try {
    url = typeof d.base_url === 'string' ? new URL(d.base_url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    out.push({
      code: 'outbound/bad-base-url',
      severity: 'error',
      path: [...at, 'base_url'],
      target: d.base_url === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' has ${d.base_url === undefined ? 'no base_url' : `base_url ${quote(d.base_url)}`}, not an absolute http(s) URL: the request fails (Invalid URI) and stays queued, retried forever.`,
      hint: 'Give the full address with its scheme, e.g. "https://example.org".',
    });
  }
  if (d.path !== undefined && typeof d.path !== 'string') {
    out.push({
      code: 'outbound/bad-path',
      severity: 'error',
      path: [...at, 'path'],
      target: 'value',
      message: `Push '${p.name}' has destination.path ${quote(d.path)}, not a string: url-join cannot build the request URL from it.`,
      hint: 'Write the path as a string, e.g. "/api/v1/records".',
    });
  }
  checkAuth(p, d.auth, [...at, 'auth'], out);
}

function checkAuth(p: Push, auth: unknown, at: (string | number)[], out: Out): void {
  if (auth === undefined) return;
  if (!isObject(auth)) {
    out.push({ code: 'outbound/bad-auth', severity: 'error', path: at, target: 'value', message: `Push '${p.name}' has auth ${quote(auth)}, not an object: cht-core cannot read its type and every send fails.`, hint: 'Write "auth": { "type": "basic", "username": …, "password_key": … }, or leave auth out.' });
    return;
  }
  for (const secret of ['password', 'value']) {
    if (auth[secret] === undefined) continue;
    out.push({
      code: 'outbound/secret-in-settings',
      severity: 'error',
      path: [...at, secret],
      target: 'key',
      message: `Push '${p.name}' has a literal auth.${secret}: cht-core never reads it (it reads credentials stored with PUT /api/v1/credentials/<key>), and app settings are readable by every user who can log in.`,
      hint: `Remove it, store the secret with PUT /api/v1/credentials/<key> and name that key in auth.${secret === 'value' ? 'value_key' : 'password_key'}.`,
    });
  }
  const type = typeof auth.type === 'string' ? auth.type.toLowerCase() : undefined;
  const keys = type ? AUTH_KEYS[type] : undefined;
  if (!keys) {
    out.push({
      code: 'outbound/bad-auth-type',
      severity: 'error',
      path: [...at, 'type'],
      target: auth.type === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' has ${auth.type === undefined ? 'auth without a type' : `auth type ${quote(auth.type)}`}: cht-core fails every send (${auth.type === undefined ? 'No auth.type' : `Invalid auth type '${String(auth.type)}'`}) and retries forever.`,
      hint: 'Use type "basic", "header" or "muso-sih" (any case), or leave auth out.',
    });
    return;
  }
  for (const key of keys) {
    if (typeof auth[key] === 'string' && auth[key]) continue;
    out.push({
      code: 'outbound/auth-missing-key',
      severity: 'error',
      path: [...at, key],
      target: auth[key] === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' uses ${type} auth without ${key === 'password_key' || key === 'value_key' ? `a ${key} (the name of the stored credential)` : `a ${key}`}: every send fails and is retried forever.`,
      hint: `Add "${key}"${key.endsWith('_key') ? ': the key the secret was stored under with PUT /api/v1/credentials/<key>' : ''}.`,
    });
  }
  if (type === 'header' && typeof auth.name === 'string' && auth.name && auth.name.toLowerCase() !== 'authorization') {
    out.push({
      code: 'outbound/bad-header-name',
      severity: 'error',
      path: [...at, 'name'],
      target: 'value',
      message: `Push '${p.name}' sends its credential in the header '${auth.name}': cht-core only supports Authorization and fails every send (Unsupported header name).`,
      hint: 'Use "name": "Authorization".',
    });
  }
}

function checkMappingPath(p: Push, dest: string, path: unknown, optional: boolean, at: (string | number)[], out: Out): void {
  if (typeof path === 'string' && (path === 'doc' || path.startsWith('doc.'))) return;
  out.push({
    code: 'outbound/mapping-path',
    severity: optional ? 'warning' : 'error',
    path: at,
    target: 'value',
    message: `Mapping '${dest}' of push '${p.name}' reads ${quote(path)}, which does not start with 'doc.': cht-core reads paths from { doc }, so it finds nothing${optional ? ' and, being optional, never sends the field' : ' and every push fails (cannot find it on the source document)'}.`,
    hint: typeof path === 'string' && path ? `Write "doc.${path}".` : 'Give a path such as "doc.fields.patient_id".',
    ...(typeof path === 'string' && path ? { suggestion: `doc.${path}` } : {}),
  });
}

function checkMapping(ctx: WorkflowContext, p: Push, out: Out): void {
  const mapping = p.conf.mapping;
  const at = ['outbound', p.name, 'mapping'];
  if (!isObject(mapping)) {
    out.push({
      code: 'outbound/missing-mapping',
      severity: 'error',
      path: at,
      target: mapping === undefined ? 'missing' : 'value',
      message: `Push '${p.name}' has ${mapping === undefined ? 'no mapping' : `mapping ${quote(mapping)}`}: cht-core cannot build the payload, and every push fails.`,
      hint: 'Add "mapping": { "<destination field>": "doc.<source path>", … }.',
    });
    return;
  }
  for (const [dest, source] of Object.entries(mapping)) {
    const here = [...at, dest];
    if (typeof source === 'string') {
      checkMappingPath(p, dest, source, false, here, out);
      continue;
    }
    if (source === null) {
      out.push({
        code: 'outbound/bad-mapping',
        severity: 'error',
        path: here,
        target: 'value',
        message: `Mapping '${dest}' of push '${p.name}' is null: cht-core reads null.path, which throws, so every push fails.`,
        hint: 'Write "doc.<path>", { "path": "doc.<path>" } or { "expr": "<JavaScript over doc>" }.',
      });
      continue;
    }
    // A number, boolean or array has no path or expr either: cht-core treats it like an object without them.
    if (!isObject(source)) {
      withoutSource(ctx, p, dest, here, `is ${quote(source)}, with`, out);
      continue;
    }
    const optional = Boolean(source.optional);
    // (cht-core: `if (expr) srcValue = vm.runInNewContext(expr, { doc })`.) A number or boolean runs as its own
    // literal and gives itself, which is what `"expr": true` means; an array or object runs as its text.
    if (source.expr) {
      if (typeof source.expr === 'string') checkScript([...here, 'expr'], source.expr, `expr of mapping '${dest}' in push '${p.name}'`, out, false);
      else if (typeof source.expr !== 'number' && typeof source.expr !== 'boolean') checkExprText(p, dest, source.expr, [...here, 'expr'], out);
      continue;
    }
    if (source.path) {
      checkMappingPath(p, dest, source.path, optional, [...here, 'path'], out);
      continue;
    }
    withoutSource(ctx, p, dest, here, 'has', out);
  }
}

/** An array or object as a mapping's expr: cht-core runs its text (scriptText), which rarely means anything. */
function checkExprText(p: Push, dest: string, expr: unknown, path: (string | number)[], out: Out): void {
  const text = checkScriptText(path, expr, `expr of mapping '${dest}' in push '${p.name}'`, out, false);
  if (text === undefined) return;
  out.push({
    code: 'outbound/expr-not-string',
    severity: 'warning',
    path,
    target: 'value',
    message: `Mapping '${dest}' of push '${p.name}' has expr ${quote(expr)}, not a string: cht-core's vm runs it as the text "${text}".`,
    hint: `Write expr as the string "${text}" if that is what it should compute.`,
  });
}

/** Neither path nor expr: 4.11–4.16 send the whole { doc } wrapper under this key; 4.17 made it an error. */
function withoutSource(ctx: WorkflowContext, p: Push, dest: string, here: (string | number)[], what: string, out: Out): void {
  const strictVersion = atLeast(ctx.core, 4, 17);
  out.push({
    code: 'outbound/mapping-without-source',
    severity: strictVersion ? 'error' : 'warning',
    path: here,
    target: 'value',
    message: strictVersion
      ? `Mapping '${dest}' of push '${p.name}' ${what} neither path nor expr: cht-core ${ctx.core.label} fails every push (either 'expr' or 'path' is required).`
      : `Mapping '${dest}' of push '${p.name}' ${what} neither path nor expr: cht-core ${ctx.core.label} sends the whole hydrated document (with its contact and parents) under '${dest}'.`,
    hint: `Add "path": "doc.<field>" or "expr". Behaviour follows ${describeCoreVersion(ctx.core)}.`,
  });
}

function checkCron(ctx: WorkflowContext, p: Push, out: Out): void {
  const cron = p.conf.cron;
  if (cron === undefined || cron === '' || cron === null) return;
  if (!atLeast(ctx.core, 4, 5)) {
    // mark_for_outbound and sentinel's outbound task read cron from 4.5.0 on.
    out.push({
      code: 'outbound/cron-unsupported',
      severity: 'warning',
      path: ['outbound', p.name, 'cron'],
      target: 'key',
      message: `Push '${p.name}' has a cron, which cht-core ${ctx.core.label} ignores (cron arrived in 4.5): it pushes every relevant document at once.`,
      hint: `Remove cron, or upgrade to 4.5 or later. Behaviour follows ${describeCoreVersion(ctx.core)}.`,
    });
    return;
  }
  if (typeof cron === 'string' && isValidCron(cron)) {
    checkCronMeaning(p, cron, out);
    return;
  }
  out.push({
    code: 'outbound/bad-cron',
    severity: 'error',
    path: ['outbound', p.name, 'cron'],
    target: 'value',
    message: `Push '${p.name}' has cron ${quote(cron)}, which cht-core's cron check (cron-validator) rejects: the push is never due and stays queued forever.`,
    hint: 'Give 5 numeric fields: minute hour day-of-month month day-of-week (0–6, Sunday 0), with *, a-b, a,b or */n; no names (MON, JAN), no seconds, no @daily, ? or L.',
  });
}

/** Days in each month (February 29 occurs in leap years, so counts). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The values a cron field (already accepted by cron-validator) allows within [min, max]: `*`, `*\/n`, `a`, `a-b`,
 * `a-b/n`, lists of these. Undefined for `*` (everything).
 */
function cronValues(field: string, min: number, max: number): Set<number> | undefined {
  if (field === '*') return undefined;
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [from, to] = range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? max : Number(range)];
    for (let v = from!; v <= to! && step > 0; v += step) values.add(v);
  }
  return values;
}

/**
 * What cht-core's schedule library (later 1.2.0, `later.parse.cron`) makes of a valid cron: a day of the month that
 * no listed month has is never due; a day of the month and a weekday together must both hold (standard cron takes
 * either).
 */
function checkCronMeaning(p: Push, cron: string, out: Out): void {
  const fields = cron.trim().split(/\s+/);
  const [dom = '*', month = '*', dow = '*'] = fields.slice(2);
  const days = cronValues(dom, 1, 31);
  const months = cronValues(month, 1, 12);
  if (days && months && ![...months].some((m) => [...days].some((d) => d <= (MONTH_DAYS[m - 1] ?? 0)))) {
    out.push({
      code: 'outbound/cron-never-due',
      severity: 'error',
      path: ['outbound', p.name, 'cron'],
      target: 'value',
      message: `Push '${p.name}' has cron '${cron}', whose day of the month never occurs in its months: the push is never due and stays queued forever.`,
      hint: 'Pick days that exist in those months.',
    });
    return;
  }
  if (days && cronValues(dow, 0, 6)) {
    out.push({
      code: 'outbound/cron-day-and-weekday',
      severity: 'warning',
      path: ['outbound', p.name, 'cron'],
      target: 'value',
      message: `Push '${p.name}' has cron '${cron}' with both a day of the month and a weekday: cht-core's schedule library (later) is due only when both hold, not when either does as in standard cron.`,
      hint: 'Keep only one of the two fields (put * in the other), unless both must hold.',
    });
  }
}

/** `outbound`, and the transition it needs. */
export const checkOutbound: SectionCheck = (ctx) => {
  const out: Out = [];
  const outbound = ctx.settings.outbound;
  if (outbound === undefined || outbound === null) return out;
  if (!isObject(outbound)) {
    out.push({
      code: 'outbound/not-object',
      severity: 'error',
      path: ['outbound'],
      target: 'value',
      message: `outbound is ${Array.isArray(outbound) ? 'an array' : quote(outbound)}, not an object of pushes keyed by name: cht-core cannot run it as configured.`,
      hint: 'Write outbound as { "<push name>": { "relevant_to": …, "destination": …, "mapping": … } }.',
    });
    return out;
  }
  const names = Object.keys(outbound);
  if (!names.length) return out;
  checkTransition(ctx, out);
  for (const name of names) {
    const conf = outbound[name];
    if (!isObject(conf)) {
      out.push({
        code: 'outbound/not-object',
        severity: 'error',
        path: ['outbound', name],
        target: 'value',
        message: `Push '${name}' is ${quote(conf)}, not an object: ${conf === null || conf === undefined ? 'reading its relevant_to throws for every document, which stops every push' : 'it is never relevant to any document'}.`,
        hint: 'Write { "relevant_to": …, "destination": …, "mapping": … }.',
      });
      continue;
    }
    const p = { name, conf };
    checkRelevantTo(p, out);
    checkDestination(p, out);
    checkMapping(ctx, p, out);
    checkCron(ctx, p, out);
  }
  return out;
};
