/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { atLeast, describeCoreVersion } from './core-version.js';
import { transitionEnabled } from './sms-common.js';

/**
 * cht-core's AVAILABLE_TRANSITIONS, in the order they run (shared-libs/transitions/src/transitions/index.js,
 * identical from 4.1.0 to 5.2.0; 4.0.0 lacks create_user_for_contacts).
 */
export const TRANSITION_NAMES = [
  'update_clinics',
  'self_report',
  'registration',
  'accept_patient_reports',
  'accept_case_reports',
  'generate_shortcode_on_contacts',
  'generate_patient_id_on_people',
  'default_responses',
  'update_sent_by',
  'death_reporting',
  'conditional_alerts',
  'multi_report_alerts',
  'update_notifications',
  'update_scheduled_reports',
  'resolve_pending',
  'muting',
  'mark_for_outbound',
  'create_user_for_contacts',
] as const;

/** Transitions added after 4.0: the version that first knows them. */
const ADDED_IN: Record<string, [number, number]> = { create_user_for_contacts: [4, 1] };

/**
 * Transitions of cht-core 3.x that 4.0.0 removed (medic/cht-core ec31449951, "Remove update sent forms
 * transition"): a config carried over from 3.x still names them, and on 4.x they are unknown transitions.
 */
const REMOVED_IN: Record<string, string> = { update_sent_forms: '4.0' };

/**
 * The transitions whose module sets `deprecated: true`, with the message cht-core builds for them
 * (transitions/utils.js getDeprecationMessage: "<name> transition is deprecated since <version>. <extra>").
 */
const DEPRECATED: Record<string, { since: string; instead: string }> = {
  update_notifications: { since: '3.2.x', instead: 'muting' },
  generate_patient_id_on_people: { since: '3.8.x', instead: 'generate_shortcode_on_contacts' },
};

export function transitionNames(ctx: WorkflowContext): string[] {
  return TRANSITION_NAMES.filter((n) => !ADDED_IN[n] || atLeast(ctx.core, ...ADDED_IN[n]));
}

export const DISABLES_ALL =
  'sentinel then loads no transition at all ("Transitions are disabled until the above configuration errors are fixed."), so every registration, auto-reply, schedule and outbound push stops';

function checkValue(name: string, value: unknown, path: Segment[]): WorkflowProblem[] {
  const p = (severity: 'error' | 'warning', message: string, hint: string, at: Segment[] = path): WorkflowProblem => ({
    code: 'sms/transition-value',
    severity,
    path: at,
    target: 'value',
    message,
    hint,
  });
  if (typeof value === 'string') {
    if (value === '') return [p('warning', `transitions.${name} is the empty string: cht-core leaves the transition off, as it does for any falsy value.`, 'Write false.')];
    if (/^(false|no|off|0|disabled?)$/i.test(value.trim())) {
      return [
        p(
          'error',
          `transitions.${name} is the string ${quote(value)}: cht-core loads a transition for any truthy value, so it is ON although it reads as off.`,
          'Write false (the boolean), or { "disable": true }.',
        ),
      ];
    }
    return [p('warning', `transitions.${name} is the string ${quote(value)}: cht-core loads it (any non-empty string is truthy), but only booleans or objects are meant.`, 'Write true.')];
  }
  if (typeof value === 'number') {
    return [p('warning', `transitions.${name} is the number ${value}: cht-core ${value ? 'loads' : 'does not load'} it, as it tests only truthiness.`, `Write ${value ? 'true' : 'false'}.`)];
  }
  if (isObject(value)) {
    const out: WorkflowProblem[] = [];
    if ('disable' in value && typeof value.disable !== 'boolean') {
      out.push(
        p(
          value.disable ? 'error' : 'warning',
          `transitions.${name}.disable is ${quote(value.disable)}: cht-core tests it for truthiness, so the transition is ${value.disable ? 'OFF' : 'on'}.`,
          'Write true or false.',
          [...path, 'disable'],
        ),
      );
    }
    if ('client_side' in value && typeof value.client_side !== 'boolean') {
      out.push(
        p('warning', `transitions.${name}.client_side is ${quote(value.client_side)}: the webapp only skips running it in the browser for the boolean false.`, 'Write true or false.', [
          ...path,
          'client_side',
        ]),
      );
    }
    return out;
  }
  if (Array.isArray(value)) return [p('warning', `transitions.${name} is an array: cht-core loads it (an array is truthy) but reads nothing in it.`, 'Write true, or an object.')];
  return [];
}

/** Where a transition's own configuration is missing: at the config object when there is one, else at the transition. */
function configProblem(ctx: WorkflowContext, name: string, missing: Segment[], message: string, hint: string, at?: Segment[]): WorkflowProblem {
  // A path ending in the missing key: shown at the object that lacks it, when that object exists.
  const has = missing.length > 1 && isObject(ctx.settings[missing[0] as string]);
  return {
    code: 'sms/transition-config-missing',
    severity: 'error',
    path: at ?? (has ? missing : ['transitions', name]),
    target: at ? 'value' : has ? 'missing' : 'key',
    message,
    hint,
  };
}

const nonEmptyArray = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** The init() of each enabled transition; one throw disables them all (transitions/index.js loadTransitions). */
function initProblems(ctx: WorkflowContext, enabled: (n: string) => boolean): WorkflowProblem[] {
  const s = ctx.settings;
  const out: WorkflowProblem[] = [];
  if (enabled('registration') && !Array.isArray(s.registrations)) {
    out.push(
      configProblem(
        ctx,
        'registration',
        ['registrations'],
        `transitions.registration is enabled but \`registrations\` is ${s.registrations === undefined ? 'missing' : `not an array (${quote(s.registrations)})`}: its init fails with a TypeError and ${DISABLES_ALL}.`,
        'Define registrations as an array of { form, events, messages }, or disable the transition.',
        'registrations' in s ? ['registrations'] : undefined,
      ),
    );
  }
  // Transitions whose init throws unless `<name>.<key>` is a non-empty array of form codes (with init's message).
  const formList = (name: string, key: string, thrown: string, what: string) => {
    if (!enabled(name)) return;
    const forms = isObject(s[name]) ? s[name][key] : undefined;
    if (nonEmptyArray(forms)) return;
    out.push(
      configProblem(
        ctx,
        name,
        [name, key],
        `transitions.${name} is enabled but ${name}.${key} is ${forms === undefined ? 'missing' : quote(forms)}: init throws "${thrown}" and ${DISABLES_ALL}.`,
        `Set ${name}.${key} to the codes of the forms that ${what}, or disable the transition.`,
        forms !== undefined ? [name, key] : undefined,
      ),
    );
  };
  formList('death_reporting', 'mark_deceased_forms', "Config must have a 'death_reporting.mark_deceased_forms' array defined.", 'report a death');
  formList('muting', 'mute_forms', "Config must define have a 'muting.mute_forms' array defined.", 'mute a contact');
  if (enabled('multi_report_alerts') && !Array.isArray(s.multi_report_alerts)) {
    out.push(
      configProblem(
        ctx,
        'multi_report_alerts',
        ['multi_report_alerts'],
        `transitions.multi_report_alerts is enabled but \`multi_report_alerts\` is ${s.multi_report_alerts === undefined ? 'missing' : `not an array (${quote(s.multi_report_alerts)})`}: its validation fails with a TypeError and ${DISABLES_ALL}.`,
        'Define multi_report_alerts as an array of alerts, or disable the transition.',
        'multi_report_alerts' in s ? ['multi_report_alerts'] : undefined,
      ),
    );
  }
  if (enabled('create_user_for_contacts') && atLeast(ctx.core, 4, 1)) {
    if (!(isObject(s.token_login) && s.token_login.enabled)) {
      out.push(
        configProblem(
          ctx,
          'create_user_for_contacts',
          ['token_login', 'enabled'],
          `transitions.create_user_for_contacts is enabled but token_login.enabled is not set: init throws "Token login must be enabled to use the create_user_for_contacts transition." and ${DISABLES_ALL}.`,
          'Set "token_login": { "enabled": true }, or disable the transition.',
        ),
      );
    }
    if (!s.app_url) {
      out.push(
        configProblem(
          ctx,
          'create_user_for_contacts',
          ['app_url'],
          `transitions.create_user_for_contacts is enabled but app_url is not set: init throws "The app_url must be defined to use the create_user_for_contacts transition." and ${DISABLES_ALL}.`,
          'Set app_url to the instance URL users log in at, e.g. "https://example.app.medicmobile.org".',
          'app_url' in s ? ['app_url'] : undefined,
        ),
      );
    }
    const conf = (s.transitions as Record<string, any>).create_user_for_contacts;
    const clientSide = !(isObject(conf) && conf.client_side === false);
    const replace = isObject(s.create_user_for_contacts) ? s.create_user_for_contacts.replace_forms : undefined;
    if (clientSide && !nonEmptyArray(replace)) {
      out.push({
        code: 'sms/transition-config-missing',
        severity: 'warning',
        path: isObject(s.create_user_for_contacts) ? ['create_user_for_contacts', 'replace_forms'] : ['transitions', 'create_user_for_contacts'],
        target: isObject(s.create_user_for_contacts) ? 'missing' : 'key',
        message:
          'transitions.create_user_for_contacts runs in the webapp too, but create_user_for_contacts.replace_forms is not a non-empty array: the webapp only logs a console warning and replaces no user.',
        hint: 'Set create_user_for_contacts.replace_forms to the app forms that replace a user, or set "client_side": false on the transition.',
      });
    }
  }
  return out;
}

/** default_responses answers only reports dated after a valid start_date (default_responses.js _isReportedAfterStartDate). */
function defaultResponses(ctx: WorkflowContext): WorkflowProblem[] {
  const conf = ctx.settings.default_responses;
  const start = isObject(conf) ? conf.start_date : undefined;
  // moment(start_date, 'YYYY-MM-DD') is lenient: only a blank value or one without a digit is certainly invalid.
  const valid = typeof start === 'string' && start.trim() !== '' && /\d/.test(start);
  if (valid) return [];
  const has = start !== undefined;
  return [
    {
      code: 'sms/default-responses-start-date',
      severity: 'error',
      path: has || isObject(conf) ? ['default_responses', 'start_date'] : ['transitions', 'default_responses'],
      target: has ? 'value' : isObject(conf) ? 'missing' : 'key',
      message: `transitions.default_responses is enabled but default_responses.start_date is ${has ? quote(start) : 'missing'}: cht-core only answers reports dated after a valid start date, so no auto-reply is ever sent.`,
      hint: 'Set "default_responses": { "start_date": "YYYY-MM-DD" } (e.g. the go-live date).',
    },
  ];
}

const isEmptyConfig = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);

/**
 * Loaded, but with no configuration to act on, or doing harm (resolve_pending.js marks pending messages sent).
 * update_clinics is not here: it attaches the sender's contact to every report without any configuration of its
 * own (update_clinics.js filter).
 */
function inertProblems(ctx: WorkflowContext, enabled: (n: string) => boolean): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  const inert: [string, string, string][] = [
    ['mark_for_outbound', 'outbound', 'no outbound push is configured, so nothing is ever queued'],
    ['accept_patient_reports', 'patient_reports', 'no patient report is configured, so it matches no report'],
    ['accept_case_reports', 'accept_case_reports', 'no case report is configured, so it matches no report'],
    ['conditional_alerts', 'alerts', 'no alert is configured, so it sends nothing'],
    ['self_report', 'self_report', 'no self_report form is configured, so it matches no report'],
  ];
  for (const [name, key, what] of inert) {
    if (!enabled(name) || !isEmptyConfig(ctx.settings[key])) continue;
    out.push({
      code: 'sms/transition-inert',
      severity: 'warning',
      path: ['transitions', name],
      target: 'key',
      message: `transitions.${name} is enabled but \`${key}\` is ${ctx.settings[key] === undefined ? 'missing' : 'empty'}: ${what}.`,
      hint: `Configure \`${key}\`, or disable the transition.`,
    });
  }
  if (enabled('registration') && Array.isArray(ctx.settings.registrations) && ctx.settings.registrations.length === 0) {
    out.push({
      code: 'sms/transition-inert',
      severity: 'warning',
      path: ['transitions', 'registration'],
      target: 'key',
      message: 'transitions.registration is enabled but `registrations` is empty: no registration is configured, so it matches no report.',
      hint: 'Configure `registrations`, or disable the transition.',
    });
  }
  if (enabled('resolve_pending')) {
    out.push({
      code: 'sms/resolve-pending',
      severity: 'warning',
      path: ['transitions', 'resolve_pending'],
      target: 'key',
      message: 'transitions.resolve_pending is enabled: it marks every pending message as sent without sending it (a test-instance tool), so in production no SMS goes out.',
      hint: 'Remove it or set it to false, unless this is a test instance.',
    });
  }
  return out;
}

export const checkTransitions: SectionCheck = (ctx) => {
  const transitions = ctx.settings.transitions;
  if (transitions === undefined) return [];
  if (!isObject(transitions)) {
    return [
      {
        code: 'sms/transitions-not-object',
        severity: 'error',
        path: ['transitions'],
        target: 'value',
        message: `transitions is ${Array.isArray(transitions) ? 'an array' : quote(transitions)}: cht-core reads it as an object keyed by transition name${
          Array.isArray(transitions) || typeof transitions === 'string' ? `; its keys ('0', '1', …) are unknown transitions, and ${DISABLES_ALL}` : ', so no transition is loaded'
        }.`,
        hint: 'Write an object: { "registration": true, "default_responses": true }.',
      },
    ];
  }
  const known = transitionNames(ctx);
  const out: WorkflowProblem[] = [];
  for (const [name, value] of Object.entries(transitions)) {
    const path: Segment[] = ['transitions', name];
    if (!known.includes(name)) {
      const later = (TRANSITION_NAMES as readonly string[]).includes(name);
      const removed = REMOVED_IN[name];
      const near = later || removed ? undefined : didYouMean(name, known);
      out.push({
        code: 'sms/unknown-transition',
        severity: 'error',
        path,
        target: 'key',
        message: later
          ? `transitions.${name} does not exist in cht-core ${ctx.core.label} (added in ${ADDED_IN[name]?.join('.')}): sentinel records "Unknown transition", and ${DISABLES_ALL}.`
          : `${quote(name)} is not a cht-core transition${removed ? ` (cht-core ${removed} removed it)` : ''}: sentinel records 'Unknown transition "${name}"' (whatever its value), and ${DISABLES_ALL}.`,
        hint: later
          ? `Remove it, or target a newer cht-core: ${describeCoreVersion(ctx.core)}.`
          : removed
            ? `Remove it from transitions: it does nothing since cht-core ${removed}, even set to false.`
            : `Use one of cht-core's transitions (${describeCoreVersion(ctx.core)}): ${known.join(', ')}.`,
        ...(near ? { suggestion: quote(near) } : {}),
      });
      continue;
    }
    out.push(...checkValue(name, value, path));
    const enabled = Boolean(value) && !(isObject(value) && value.disable);
    const dep = DEPRECATED[name];
    if (enabled && dep) {
      out.push({
        code: 'sms/deprecated-transition',
        severity: 'warning',
        path,
        target: 'key',
        message: `${name} transition is deprecated since ${dep.since}. Please use "${dep.instead}" transition instead.`,
        hint: `It still runs; move its configuration to ${dep.instead} (${describeCoreVersion(ctx.core)}).`,
      });
    }
  }
  const enabled = (n: string) => known.includes(n) && transitionEnabled(ctx.settings, n);
  out.push(...initProblems(ctx, enabled));
  if (enabled('default_responses')) out.push(...defaultResponses(ctx));
  out.push(...inertProblems(ctx, enabled));
  return out;
};
