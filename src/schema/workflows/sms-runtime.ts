/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import * as Acorn from 'acorn';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem, problem } from './context.js';
import { laterCronProblems, laterTextStop } from './later-schedule.js';
import { checkFormRef, knownForms, transitionEnabled, type KnownForms } from './sms-common.js';

/**
 * The configuration of the smaller SMS transitions and sentinel's reminders (cht-core 4.11.0 shared-libs/transitions/
 * src/transitions/<name>.js and src/lib/, sentinel/src/schedule/reminders.js): death_reporting,
 * muting, self_report, update_clinics, notifications, alerts, multi_report_alerts, reminders. A transition's
 * configuration is checked only when the transition is enabled: otherwise nothing reads it.
 */

const p = problem;

/** The syntax error of a script, or undefined. cht-core runs these with vm (runInNewContext / createScript). */
export function scriptSyntaxError(source: string): string | undefined {
  try {
    Acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script' });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function formList(forms: KnownForms, value: unknown, path: Segment[], reader: string, caseInsensitive: boolean, code: string): WorkflowProblem[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    return [p(code, 'error', path, 'value', `${reader} is ${quote(value)}, not an array of form codes: cht-core matches no report against it.`, 'Write an array: ["DEATH"].')];
  }
  return value.flatMap((f, i) => checkFormRef(forms, f, [...path, i], { code, reader: `${reader}[${i}]`, caseInsensitive }));
}

/** death_reporting: forms matched exactly (death_reporting.js isConfirmForm uses includes). */
function deathReporting(s: Record<string, any>, forms: KnownForms): WorkflowProblem[] {
  const conf = s.death_reporting;
  if (!isObject(conf)) return [];
  const out = [
    ...(Array.isArray(conf.mark_deceased_forms) ? formList(forms, conf.mark_deceased_forms, ['death_reporting', 'mark_deceased_forms'], 'death_reporting.mark_deceased_forms', false, 'sms/death-reporting') : []),
    ...formList(forms, conf.undo_deceased_forms, ['death_reporting', 'undo_deceased_forms'], 'death_reporting.undo_deceased_forms', false, 'sms/death-reporting'),
  ];
  if (conf.date_field !== undefined && (typeof conf.date_field !== 'string' || conf.date_field === '')) {
    out.push(
      p(
        'sms/death-reporting',
        'warning',
        ['death_reporting', 'date_field'],
        'value',
        `death_reporting.date_field is ${quote(conf.date_field)}: cht-core reads it as a path on the report (e.g. "fields.date_of_death") and otherwise records the report date as the date of death.`,
        'Write the path of the date field, e.g. "fields.date_of_death".',
      ),
    );
  }
  return out;
}

/** muting: forms compared case-insensitively (muting.js isMuteForm, lib/utils.js isFormCodeSame). */
function muting(s: Record<string, any>, forms: KnownForms): WorkflowProblem[] {
  const conf = s.muting;
  if (!isObject(conf)) return [];
  return [
    ...(Array.isArray(conf.mute_forms) ? formList(forms, conf.mute_forms, ['muting', 'mute_forms'], 'muting.mute_forms', true, 'sms/muting') : []),
    ...formList(forms, conf.unmute_forms, ['muting', 'unmute_forms'], 'muting.unmute_forms', true, 'sms/muting'),
  ];
}

/** self_report.js / update_clinics.js: `config.get(key) || []` then `.find(item => item.form === form)`. */
function formArray(s: Record<string, any>, key: string, forms: KnownForms): WorkflowProblem[] {
  const conf = s[key];
  if (conf === undefined || conf === null) return [];
  if (!Array.isArray(conf)) {
    return [
      p(
        `sms/${key.replace(/_/g, '-')}`,
        'error',
        [key],
        'value',
        `${key} is ${quote(conf)}, not an array: the ${key} transition calls find() on it for every report and throws, so it never runs.`,
        'Write an array: [{ "form": "…", "messages": [ … ] }].',
      ),
    ];
  }
  return conf.flatMap((entry: unknown, i: number) =>
    isObject(entry) ? checkFormRef(forms, entry.form, [key, i, 'form'], { code: `sms/${key.replace(/_/g, '-')}`, reader: `${key}[${i}].form`, caseInsensitive: false }) : [],
  );
}

/** notifications (update_notifications.js): on_form / off_form, compared case-insensitively (isFormCodeSame). */
function notifications(s: Record<string, any>, forms: KnownForms): WorkflowProblem[] {
  const conf = s.notifications;
  if (!isObject(conf)) {
    return [
      p(
        'sms/notifications',
        'warning',
        conf === undefined ? ['transitions', 'update_notifications'] : ['notifications'],
        conf === undefined ? 'key' : 'value',
        `transitions.update_notifications is enabled but \`notifications\` is ${conf === undefined ? 'missing' : quote(conf)}: it has no on_form/off_form and mutes nothing.`,
        'Configure notifications { on_form, off_form, messages }, or (better) use the muting transition.',
      ),
    ];
  }
  return (['on_form', 'off_form'] as const).flatMap((k) =>
    conf[k] === undefined ? [] : checkFormRef(forms, conf[k], ['notifications', k], { code: 'sms/notifications', reader: `notifications.${k}`, caseInsensitive: true }),
  );
}

/** alerts (conditional_alerts.js): `_.values(alerts)`, each `{form, condition, message | translation_key, recipient}`. */
function alerts(s: Record<string, any>, forms: KnownForms): WorkflowProblem[] {
  const conf = s.alerts;
  if (!isObject(conf) && !Array.isArray(conf)) return [];
  const out: WorkflowProblem[] = [];
  for (const [k, alert] of Object.entries(conf)) {
    const at: Segment[] = ['alerts', Array.isArray(conf) ? Number(k) : k];
    const label = `alerts${Array.isArray(conf) ? `[${k}]` : `.${k}`}`;
    if (!isObject(alert)) {
      out.push(p('sms/alert', 'error', at, 'value', `${label} is ${quote(alert)}: conditional_alerts reads .form of each alert and throws on every report.`, 'Write { "form": …, "condition": …, "message": …, "recipient": … }.'));
      continue;
    }
    if (alert.form === undefined || alert.form === '') {
      out.push(p('sms/alert', 'warning', [...at, 'form'], alert.form === undefined ? 'missing' : 'value', `${label} has no form: it matches no report and never fires.`, 'Set form to the code of the report that triggers it, or remove the placeholder.'));
      continue;
    }
    out.push(...checkFormRef(forms, alert.form, [...at, 'form'], { code: 'sms/alert', reader: `${label}.form`, caseInsensitive: false }));
    const err = typeof alert.condition === 'string' ? scriptSyntaxError(alert.condition) : 'not a string';
    if (err) {
      out.push(
        p(
          'sms/alert-condition',
          'error',
          [...at, 'condition'],
          alert.condition === undefined ? 'missing' : 'value',
          `${label}.condition ${alert.condition === undefined ? 'is missing' : typeof alert.condition === 'string' ? `is not valid JavaScript (${err})` : `is ${quote(alert.condition)}, not a string`}: conditional_alerts throws on every ${alert.form} report and never sends the alert.`,
          'Write a JavaScript expression over doc, e.g. "doc.fields.temperature > 38".',
        ),
      );
    }
    const text = (typeof alert.message === 'string' && alert.message !== '') || (Array.isArray(alert.message) && alert.message.length > 0) || (typeof alert.translation_key === 'string' && alert.translation_key !== '');
    if (!text) {
      out.push(p('sms/alert', 'error', [...at, 'translation_key'], 'missing', `${label} has neither a message nor a translation_key: the alert is created with empty text and never sent.`, 'Add "translation_key": "…" (or a message).'));
    }
  }
  return out;
}

const MRA_REQUIRED = ['is_report_counted', 'name', 'num_reports_threshold', 'message', 'recipients', 'time_window_in_days'];

/** multi_report_alerts.js validateConfig: any failure throws at start-up and disables every transition. */
function multiReportAlerts(s: Record<string, any>, forms: KnownForms): WorkflowProblem[] {
  const conf = s.multi_report_alerts;
  if (!Array.isArray(conf)) return []; // reported by the transitions check
  const DISABLES = 'the transition fails validation at start-up ("Validation failed for multi_report_alerts transition") and sentinel runs no transition at all';
  const out: WorkflowProblem[] = [];
  const names = new Map<unknown, number>();
  conf.forEach((alert: unknown, i: number) => {
    const at: Segment[] = ['multi_report_alerts', i];
    if (!isObject(alert)) {
      out.push(p('sms/multi-report-alert', 'error', at, 'value', `multi_report_alerts[${i}] is ${quote(alert)}: ${DISABLES}.`, 'Write an alert object.'));
      return;
    }
    const missing = MRA_REQUIRED.filter((f) => !alert[f]);
    if (missing.length) {
      out.push(
        p(
          'sms/multi-report-alert',
          'error',
          [...at, missing[0] as string],
          'missing',
          `multi_report_alerts[${i}] lacks ${missing.join(', ')} (each must be set and truthy${missing.includes('message') ? ', message even when translation_key is used' : ''}): ${DISABLES}.`,
          `Set ${missing.join(', ')}.`,
        ),
      );
    }
    for (const f of ['num_reports_threshold', 'time_window_in_days']) {
      if (alert[f] !== undefined && alert[f] && Number.isNaN(parseInt(String(alert[f]), 10))) {
        out.push(p('sms/multi-report-alert', 'error', [...at, f], 'value', `multi_report_alerts[${i}].${f} is ${quote(alert[f])}, not an integer: ${DISABLES}.`, `Write an integer, e.g. "${f}": 3.`));
      }
    }
    if (parseInt(String(alert.num_reports_threshold), 10) > 100) {
      out.push(p('sms/multi-report-alert', 'error', [...at, 'num_reports_threshold'], 'value', `multi_report_alerts[${i}].num_reports_threshold is ${quote(alert.num_reports_threshold)}, above cht-core's maximum of 100: ${DISABLES}.`, 'Use a threshold of at most 100.'));
    }
    if (alert.recipients && !Array.isArray(alert.recipients)) {
      out.push(p('sms/multi-report-alert', 'error', [...at, 'recipients'], 'value', `multi_report_alerts[${i}].recipients is ${quote(alert.recipients)}, not an array: ${DISABLES}.`, 'Write an array: ["+254712345678", "new_report.contact.parent.contact.phone"].'));
    }
    if (alert.forms !== undefined && !Array.isArray(alert.forms)) {
      out.push(p('sms/multi-report-alert', 'warning', [...at, 'forms'], 'value', `multi_report_alerts[${i}].forms is ${quote(alert.forms)}, not an array: cht-core ignores it and counts reports of every form.`, 'Write an array of form codes.'));
    } else if (Array.isArray(alert.forms)) {
      alert.forms.forEach((f: unknown, j: number) =>
        out.push(...checkFormRef(forms, f, [...at, 'forms', j], { code: 'sms/multi-report-alert', reader: `multi_report_alerts[${i}].forms[${j}]`, caseInsensitive: false })),
      );
    }
    if (typeof alert.is_report_counted === 'string' && alert.is_report_counted) {
      const err = scriptSyntaxError(`(${alert.is_report_counted})(report, latestReport)`);
      if (err) {
        out.push(
          p(
            'sms/multi-report-alert',
            'error',
            [...at, 'is_report_counted'],
            'value',
            `multi_report_alerts[${i}].is_report_counted is not a valid JavaScript function (${err}): it is compiled for every report, fails each time, and the alert is never sent.`,
            'Write a function: "function(report, latestReport) { return report.contact.parent._id === latestReport.contact.parent._id; }".',
          ),
        );
      }
    }
    const first = names.get(alert.name);
    if (alert.name && first !== undefined) {
      out.push(p('sms/multi-report-alert', 'error', [...at, 'name'], 'value', `multi_report_alerts[${i}].name ${quote(alert.name)} repeats multi_report_alerts[${first}]'s: names must be unique, else ${DISABLES}.`, 'Give each alert its own name.'));
    } else if (alert.name) names.set(alert.name, i);
  });
  return out;
}

/** scheduling.js getSchedule: text_expression (read by later's text parser) wins over cron. */
function reminderSchedule(r: Record<string, any>, i: number): WorkflowProblem[] {
  const at: Segment[] = ['reminders', i];
  const text = r.text_expression;
  if (text) {
    if (typeof text !== 'string') {
      return [p('sms/reminder-schedule', 'error', [...at, 'text_expression'], 'value', `reminders[${i}].text_expression is ${quote(text)}, not a text: later throws on it and sentinel's reminder task fails.`, 'Write e.g. "at 8:00 am on Monday".')];
    }
    const out: WorkflowProblem[] = [];
    const stop = laterTextStop(text);
    if (stop !== undefined) {
      const dropped = text.slice(stop).trim();
      out.push(
        p(
          'sms/reminder-schedule',
          'warning',
          [...at, 'text_expression'],
          'value',
          `reminders[${i}].text_expression ${quote(text)}: later, the library sentinel schedules reminders with, stops reading ${dropped ? `at ${quote(dropped)} and drops the rest` : 'at the end: the expression is incomplete'}, so the reminder does not run on the schedule written.`,
          'Write it in later\'s text grammar, e.g. "at 8:00 am on Monday", "every 2 hours", "on the 1st day of the month at 9:00" (not "every monday" or "every day").',
        ),
      );
    }
    if (r.cron) {
      out.push(p('sms/reminder-schedule', 'warning', [...at, 'cron'], 'value', `reminders[${i}] has both text_expression and cron: sentinel uses text_expression and ignores cron ${quote(r.cron)}.`, 'Keep one of them.'));
    }
    return out;
  }
  if (typeof r.cron !== 'string') {
    return r.cron ? [p('sms/reminder-schedule', 'error', [...at, 'cron'], 'value', `reminders[${i}].cron is ${quote(r.cron)}, not a text: later throws on it and sentinel's reminder task fails.`, 'Write e.g. "0 8 * * 1".')] : [];
  }
  const problems = laterCronProblems(r.cron);
  if (!problems.length) return [];
  return [
    p(
      'sms/reminder-schedule',
      'warning',
      [...at, 'cron'],
      'value',
      `reminders[${i}].cron ${quote(r.cron)}: ${problems.join('; ')}, so the reminder does not run on the schedule written.`,
      'Write five fields, minute hour day month weekday, with numbers or 3-letter names (weekdays 0–6, Sunday 0), e.g. "0 8 * * 1".',
    ),
  ];
}

/** sentinel/src/schedule/reminders.js: isConfigValid, parseDuration. */
function reminders(ctx: WorkflowContext, forms: KnownForms): WorkflowProblem[] {
  const conf = ctx.settings.reminders;
  if (conf === undefined || conf === null) return [];
  if (!Array.isArray(conf)) {
    return [p('sms/reminder', 'error', ['reminders'], 'value', `reminders is ${quote(conf)}, not an array: sentinel's reminder task calls filter() on it and fails every 5 minutes; no reminder is sent.`, 'Write an array of reminders.')];
  }
  const out: WorkflowProblem[] = [];
  conf.forEach((r: unknown, i: number) => {
    const at: Segment[] = ['reminders', i];
    if (!isObject(r)) {
      out.push(p('sms/reminder', 'error', at, 'value', `reminders[${i}] is ${quote(r)}: sentinel skips it ("Reminder configuration invalid").`, 'Write { "form", "translation_key", "text_expression" | "cron" }.'));
      return;
    }
    // [key shown, what is lacking] for each part of isConfigValid that fails.
    const lacking = [
      typeof r.form === 'string' && r.form ? undefined : ['form', 'form (a string)'],
      r.message || r.translation_key ? undefined : ['translation_key', 'message or translation_key'],
      r.text_expression || r.cron ? undefined : ['text_expression', 'text_expression or cron'],
    ].filter((x): x is string[] => x !== undefined);
    const lacks = lacking.map((x) => x[1]);
    if (lacks.length) {
      out.push(p('sms/reminder', 'error', [...at, lacking[0]?.[0] as string], 'missing', `reminders[${i}] has no ${lacks.join(', no ')}: sentinel skips it ("Reminder configuration invalid"), so it is never sent.`, 'Complete the reminder, or remove the placeholder.'));
      return;
    }
    out.push(...checkFormRef(forms, r.form, [...at, 'form'], { code: 'sms/reminder', reader: `reminders[${i}].form`, caseInsensitive: false }));
    if (r.contact_types !== undefined) {
      const types = r.contact_types;
      const bad = Array.isArray(types) ? types.find((t: unknown) => typeof t !== 'string' || !ctx.facts.contactTypes.has(t)) : undefined;
      // An empty array fails isConfigValid too (`contact_types.length` is 0).
      if (!Array.isArray(types) || types.length === 0 || bad !== undefined) {
        out.push(
          p(
            'sms/reminder',
            'error',
            [...at, 'contact_types'],
            'value',
            Array.isArray(types) && types.length === 0
              ? `reminders[${i}].contact_types is empty: sentinel skips the whole reminder ("Reminder configuration invalid").`
              : Array.isArray(types)
              ? `reminders[${i}].contact_types names ${quote(bad)}, which is not a contact type: sentinel skips the whole reminder ("Reminder configuration invalid").`
              : `reminders[${i}].contact_types is ${quote(types)}, not an array: sentinel ${typeof types === 'string' && types ? 'throws while checking reminders, so none is sent' : 'skips the reminder'}.`,
            `Name contact types defined in contact_types: ${[...ctx.facts.contactTypes].join(', ')}.`,
          ),
        );
      }
    }
    out.push(...reminderSchedule(r, i));
    const mute = r.mute_after_form_for;
    if (mute !== undefined && mute !== '' && !(typeof mute === 'string' && /^\d+ (minute|day|hour|week)s?$/.test(mute))) {
      out.push(
        p(
          'sms/reminder',
          'warning',
          [...at, 'mute_after_form_for'],
          'value',
          `reminders[${i}].mute_after_form_for is ${quote(mute)}: sentinel only reads "<number> minute|hour|day|week[s]" and ignores anything else, so places that already sent ${r.form} are reminded anyway.`,
          'Write e.g. "2 days" or "1 week" (months are not accepted).',
        ),
      );
    }
  });
  return out;
}

export const checkSmsRuntime: SectionCheck = (ctx) => {
  const s = ctx.settings;
  const forms = knownForms(ctx);
  const on = (n: string) => transitionEnabled(s, n);
  return [
    ...(on('death_reporting') ? deathReporting(s, forms) : []),
    ...(on('muting') ? muting(s, forms) : []),
    ...(on('self_report') ? formArray(s, 'self_report', forms) : []),
    ...(on('update_clinics') ? formArray(s, 'update_clinics', forms) : []),
    ...(on('update_notifications') ? notifications(s, forms) : []),
    ...(on('conditional_alerts') ? alerts(s, forms) : []),
    ...(on('multi_report_alerts') ? multiReportAlerts(s, forms) : []),
    ...reminders(ctx, forms),
  ];
};
