/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type WorkflowContext, type WorkflowProblem } from './context.js';

/**
 * Whether a transition is loaded by sentinel: cht-core's loadTransitions takes any truthy value whose `disable`
 * is falsy (shared-libs/transitions/src/transitions/index.js), so `"false"` and `1` load it too.
 */
export function transitionEnabled(settings: Record<string, any>, name: string): boolean {
  const transitions = settings.transitions;
  if (!isObject(transitions)) return false;
  const conf = transitions[name];
  return Boolean(conf) && !(isObject(conf) && conf.disable);
}

/**
 * The forms a report can carry: app form ids, SMS form codes (as reports carry them: upper case) and the forms of
 * reports the project's own scripts create.
 */
export interface KnownForms {
  /** False when the project defines no forms at all (they may live elsewhere): form references are not checked. */
  checkable: boolean;
  names: Set<string>;
}

export function knownForms(ctx: WorkflowContext): KnownForms {
  const names = new Set(ctx.facts.reportForms);
  if (isObject(ctx.settings.forms)) for (const key of Object.keys(ctx.settings.forms)) names.add(key);
  // (Checkable as before: a script's reports alone do not say that the project's forms are all here.)
  const checkable = ctx.facts.hasForms || names.size > 0;
  for (const form of ctx.reportFormsInCode ?? []) names.add(form);
  return { checkable, names };
}

export interface FormRefOptions {
  code: string;
  /** What reads the reference, for the message: `death_reporting.mark_deceased_forms`. */
  reader: string;
  /** True where cht-core upper-cases or compares case-insensitively (registrations, muting). */
  caseInsensitive: boolean;
}

/**
 * A reference to a form by its code. cht-core compares most of them exactly with the report's `form`, which is
 * an app form id or an SMS form code in upper case; a reference in another case never matches.
 */
export function checkFormRef(forms: KnownForms, value: unknown, path: Segment[], o: FormRefOptions): WorkflowProblem[] {
  if (typeof value !== 'string' || value === '') {
    return [
      {
        code: o.code,
        severity: 'error',
        path,
        target: 'value',
        message: `${o.reader} names the form ${quote(value)}: cht-core compares it with each report's form code, so it matches no report.`,
        hint: 'Give the form code as a string: an app form id or an SMS form code.',
      },
    ];
  }
  if (!forms.checkable || forms.names.has(value)) return [];
  const sameCase = [...forms.names].find((n) => n.toLowerCase() === value.toLowerCase());
  if (sameCase && o.caseInsensitive) return [];
  if (sameCase) {
    return [
      {
        code: o.code,
        severity: 'error',
        path,
        target: 'value',
        message: `${o.reader} names the form ${quote(value)}, but reports carry ${quote(sameCase)}: cht-core compares form codes exactly, so it matches no report.`,
        hint: `Write the form code as reports carry it: ${quote(sameCase)}.`,
        suggestion: quote(sameCase),
      },
    ];
  }
  const near = didYouMean(value, forms.names);
  return [
    {
      code: o.code,
      severity: 'error',
      path,
      target: 'value',
      message: `${o.reader} names the form ${quote(value)}, which is neither an app form (forms/app) nor an SMS form (\`forms\`): it matches no report.`,
      hint: 'Name an app form id (forms/app) or an SMS form code defined by the project.',
      ...(near ? { suggestion: quote(near) } : {}),
    },
  ];
}

/** A human list: `'a', 'b' or 'c'`. */
export function oneOf(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
