/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, problem, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { atLeast, describeCoreVersion } from './core-version.js';

/**
 * The field types api's smsparser knows (api/src/services/report/smsparser.js fieldParsers, plus bsAggreDate
 * which parse() reads by type) and `complex`, which report/validate.js accepts for JSON submissions.
 */
export const SMS_FIELD_TYPES = ['integer', 'string', 'date', 'bsDate', 'boolean', 'month', 'phone_number', 'bsYear', 'bsMonth', 'bsDay', 'bsAggreDate', 'complex'];

/** What ends the form code in an SMS (smsparser getFormCode: `[^\s!\-,:#]+`). */
const CODE_SEPARATORS = /[\s!\-,:#]/;

function checkKey(key: string): WorkflowProblem[] {
  const path: Segment[] = ['forms', key];
  if (CODE_SEPARATORS.test(key) || key === '') {
    return [
      problem(
        'sms/form-code',
        'error',
        path,
        'key',
        `The SMS form code ${quote(key)} ${key === '' ? 'is empty' : 'contains a space or one of ! - , : #'}: cht-core takes the code from an SMS up to the first such character, so no SMS can name this form.`,
        'Use letters and digits only, in upper case (e.g. "PREG").',
      ),
    ];
  }
  if (key !== key.toUpperCase()) {
    return [
      problem(
        'sms/form-code',
        'error',
        path,
        'key',
        `The SMS form code ${quote(key)} is not upper case: cht-core upper-cases the code of each SMS (and of JSON records) and looks up forms[${quote(key.toUpperCase())}], so this form never matches and its SMS become free-text messages.`,
        `Rename the key to ${quote(key.toUpperCase())} (and meta.code with it).`,
      ),
    ];
  }
  return [];
}

function checkMeta(key: string, form: Record<string, any>): WorkflowProblem[] {
  const path: Segment[] = ['forms', key];
  const meta = form.meta;
  if (!isObject(meta) || meta.code === undefined) {
    return [
      problem(
        'sms/form-meta-code',
        'error',
        isObject(meta) ? [...path, 'meta', 'code'] : [...path, 'meta'],
        'missing',
        `forms.${key} has no meta.code: cht-core strips meta.code (not the key) from the start of each SMS, so the code stays in the message and is parsed as the first field's value ("${key} 12345" fills the first field with "${key} 12345").`,
        `Add "meta": { "code": ${JSON.stringify(key)} }.`,
      ),
    ];
  }
  if (typeof meta.code !== 'string' || meta.code.toUpperCase() !== key.toUpperCase()) {
    return [
      problem(
        'sms/form-meta-code',
        'error',
        [...path, 'meta', 'code'],
        'value',
        `forms.${key}.meta.code is ${quote(meta.code)}, not the form's key ${quote(key)}: cht-core finds the form by its key but strips meta.code from the SMS, so the code stays in the message and is parsed as the first field's value.`,
        `Set meta.code to ${JSON.stringify(key)}.`,
      ),
    ];
  }
  return [];
}

/** labels.tiny / labels.short: a string, `{ <locale>: text }` or `{ translation_key }` (config.translate). */
const isLabel = (v: unknown): boolean => typeof v === 'string' || (isObject(v) && Object.values(v).every((t) => typeof t === 'string'));

function checkField(ctx: WorkflowContext, formKey: string, fieldKey: string, field: unknown): WorkflowProblem[] {
  const path: Segment[] = ['forms', formKey, 'fields', fieldKey];
  if (!isObject(field)) {
    return [
      problem(
        'sms/form-field',
        'error',
        path,
        'value',
        field === null
          ? `forms.${formKey}.fields.${fieldKey} is null, not an object: api's SMS parser reads its type and labels and throws a TypeError, answering 500 to SMS of this form.`
          // (A primitive's .labels is undefined, and .labels.tiny throws; its .type is undefined: an unknown type.)
          : `forms.${formKey}.fields.${fieldKey} is ${quote(field)}, not an object: for an SMS in the labelled format ("${formKey} #N …") api reads labels.tiny of every field and throws a TypeError, so it answers 500; a compact SMS keeps this field's text unconverted.`,
        'Write { "type": "string", "labels": { "short": "…", "tiny": "…" } }.',
      ),
    ];
  }
  const out: WorkflowProblem[] = [];
  if (typeof field.type !== 'string' || !SMS_FIELD_TYPES.includes(field.type)) {
    const near = typeof field.type === 'string' ? didYouMean(field.type, SMS_FIELD_TYPES) : undefined;
    out.push({
      ...problem(
        'sms/form-field-type',
        'warning',
        [...path, 'type'],
        field.type === undefined ? 'missing' : 'value',
        `forms.${formKey}.fields.${fieldKey} has ${field.type === undefined ? 'no type' : `the type ${quote(field.type)}`}: cht-core logs "Unknown field type" and stores the raw text, unconverted and unchecked.`,
        `Use one of: ${SMS_FIELD_TYPES.filter((t) => t !== 'complex').join(', ')}.`,
      ),
      ...(near ? { suggestion: quote(near) } : {}),
    });
  }
  if (field.labels === undefined || field.labels === null) {
    out.push(
      problem(
        'sms/form-field-labels',
        'error',
        [...path, 'labels'],
        field.labels === undefined ? 'missing' : 'value',
        `forms.${formKey}.fields.${fieldKey} has no labels: for an SMS in the labelled format ("${formKey} #N …") api reads labels.tiny of every field and throws a TypeError, so it answers 500 and the gateway's whole exchange fails.`,
        'Add "labels": { "short": "…", "tiny": "…" }.',
      ),
    );
  } else if (!isObject(field.labels) || (field.labels.tiny !== undefined && !isLabel(field.labels.tiny)) || (field.labels.short !== undefined && !isLabel(field.labels.short))) {
    out.push(
      problem(
        'sms/form-field-labels',
        'warning',
        [...path, 'labels'],
        'value',
        `forms.${formKey}.fields.${fieldKey}.labels is ${quote(field.labels)}: cht-core reads labels.short and labels.tiny as a text, { <locale>: text } or { translation_key }, so this label is not shown or matched.`,
        'Write "labels": { "short": { "en": "…" }, "tiny": { "en": "…" } }.',
      ),
    );
  }
  out.push(...labelPatterns(formKey, fieldKey, field.labels));
  if (field.list !== undefined) out.push(...checkList(ctx, formKey, fieldKey, field));
  if (field.required !== undefined && typeof field.required !== 'boolean') {
    out.push(
      problem(
        'sms/form-field-required',
        'warning',
        [...path, 'required'],
        'value',
        `forms.${formKey}.fields.${fieldKey}.required is ${quote(field.required)}: cht-core tests it for truthiness, so the field is ${field.required ? '' : 'not '}required.`,
        'Write true or false.',
      ),
    );
  }
  return out;
}

/**
 * textforms-parser.js isCompact builds `new RegExp('^' + label + '[\\s0-9]', 'i')` from every field's tiny and short
 * label for each SMS of the form without '#': a label that is not a valid pattern throws there, on every such SMS.
 */
function labelPatterns(formKey: string, fieldKey: string, labels: unknown): WorkflowProblem[] {
  if (!isObject(labels)) return [];
  const out: WorkflowProblem[] = [];
  for (const kind of ['tiny', 'short'] as const) {
    const label = labels[kind];
    const texts: [Segment[], unknown][] = typeof label === 'string' ? [[[kind], label]] : isObject(label) && !('translation_key' in label) ? Object.entries(label).map(([loc, t]) => [[kind, loc], t]) : [];
    for (const [at, text] of texts) {
      if (typeof text !== 'string') continue;
      try {
        new RegExp(`^${text}[\\s0-9]`, 'i');
      } catch {
        out.push(
          problem(
            'sms/form-field-labels',
            'error',
            ['forms', formKey, 'fields', fieldKey, 'labels', ...at],
            'value',
            `forms.${formKey}.fields.${fieldKey}.labels.${at.join('.')} is ${quote(text)}: api turns each label into a regular expression to tell compact SMS from labelled ones, and this one is not valid, so every SMS of this form without '#' fails with 500.`,
            'Remove the regular-expression characters ( ) [ ] { } * + ? \\ | ^ $ from the label.',
          ),
        );
      }
    }
  }
  return out;
}

function checkList(ctx: WorkflowContext, formKey: string, fieldKey: string, field: Record<string, any>): WorkflowProblem[] {
  const path: Segment[] = ['forms', formKey, 'fields', fieldKey, 'list'];
  if (field.type === 'string' && !atLeast(ctx.core, 5, 2)) {
    return [
      {
        ...problem(
          'sms/form-field-list',
          'error',
          path,
          'key',
          `forms.${formKey}.fields.${fieldKey} is a string field with a list: cht-core before 5.2 throws a TypeError on any value of it, so api answers 500 to every SMS that fills it.`,
          `Make it an integer field (the list maps numbers to labels), or drop the list. Assumed ${describeCoreVersion(ctx.core)}.`,
        ),
      },
    ];
  }
  const pairs = Array.isArray(field.list) && field.list.every((item: unknown) => Array.isArray(item) && item.length >= 2);
  if (!pairs) {
    return [
      problem(
        'sms/form-field-list',
        Array.isArray(field.list) ? 'warning' : 'error',
        path,
        'value',
        `forms.${formKey}.fields.${fieldKey}.list is ${quote(field.list)}: cht-core reads it as [[value, label], …]${Array.isArray(field.list) ? ', so the entries that are not pairs never match' : ' and throws a TypeError on any value of the field'}.`,
        'Write "list": [[1, "Yes"], [2, "No"]].',
      ),
    ];
  }
  return [];
}

/** Compact SMS fill fields in the key order of `fields`; legacy `position` is never read (textforms-parser.js). */
function checkPositions(formKey: string, fields: Record<string, any>): WorkflowProblem[] {
  const keys = Object.keys(fields).filter((k) => isObject(fields[k]) && typeof fields[k].position === 'number');
  if (keys.length < 2) return [];
  const byPosition = [...keys].sort((a, b) => fields[a].position - fields[b].position);
  const first = keys.findIndex((k, i) => k !== byPosition[i]);
  if (first < 0) return [];
  const key = keys[first] as string;
  return [
    problem(
      'sms/form-field-position',
      'warning',
      ['forms', formKey, 'fields', key, 'position'],
      'value',
      `forms.${formKey}: the fields' position values give the order ${byPosition.join(', ')}, but cht-core ignores position and fills a compact SMS in the order the fields are written (${keys.join(', ')}).`,
      'Write the fields in the order the SMS sends them (and drop position, which 4.x never reads).',
    ),
  ];
}

function checkForm(ctx: WorkflowContext, key: string, form: unknown): WorkflowProblem[] {
  const path: Segment[] = ['forms', key];
  const out = checkKey(key);
  if (!isObject(form)) {
    out.push(problem('sms/form-shape', 'error', path, 'value', `forms.${key} is ${quote(form)}, not a form object: api throws on every SMS of this code.`, 'Write { "meta": { "code": … }, "fields": { … } }.'));
    return out;
  }
  out.push(...checkMeta(key, form));
  if (!isObject(form.fields)) {
    out.push(
      problem(
        'sms/form-shape',
        'error',
        [...path, 'fields'],
        form.fields === undefined ? 'missing' : 'value',
        `forms.${key} has ${form.fields === undefined ? 'no fields' : `fields that are not an object (${quote(form.fields)})`}: api reads Object.keys(fields) for every record of this form and throws, answering 500.`,
        'Add "fields": { … } (it may be empty for a code-only form).',
      ),
    );
    return out;
  }
  for (const [fieldKey, field] of Object.entries(form.fields)) out.push(...checkField(ctx, key, fieldKey, field));
  out.push(...checkPositions(key, form.fields));
  const ref = form.facility_reference;
  if (ref !== undefined && (typeof ref !== 'string' || !(ref in form.fields))) {
    out.push(
      problem(
        'sms/form-facility-reference',
        'warning',
        [...path, 'facility_reference'],
        'value',
        `forms.${key}.facility_reference is ${quote(ref)}, which is not one of its fields: the record's refid stays empty, so update_clinics cannot find the sending place from it.`,
        `Name one of: ${Object.keys(form.fields).join(', ') || '(no fields)'}.`,
      ),
    );
  }
  if (form.public_form !== undefined && typeof form.public_form !== 'boolean') {
    out.push(
      problem(
        'sms/form-public',
        'warning',
        [...path, 'public_form'],
        'value',
        `forms.${key}.public_form is ${quote(form.public_form)}: cht-core tests it for truthiness, so the form is ${form.public_form ? '' : 'not '}accepted from unknown senders.`,
        'Write true or false.',
      ),
    );
  }
  return out;
}

/** Two forms whose codes cht-core cannot tell apart: it upper-cases the SMS code and compares meta.code case-insensitively. */
function duplicateCodes(forms: Record<string, any>): WorkflowProblem[] {
  const seen = new Map<string, string>();
  const out: WorkflowProblem[] = [];
  for (const key of Object.keys(forms)) {
    // By key: a meta.code that differs from its key is reported on its own (sms/form-meta-code).
    const code = key;
    const norm = code.toUpperCase();
    const first = seen.get(norm);
    if (first === undefined) {
      seen.set(norm, key);
      continue;
    }
    out.push(
      problem(
        'sms/duplicate-form-code',
        'error',
        ['forms', key],
        'key',
        `forms.${key} has the code ${quote(code)}, which forms.${first} already uses (cht-core matches codes case-insensitively): SMS with this code reach only one of them.`,
        'Give each SMS form its own code.',
      ),
    );
  }
  return out;
}

export const checkSmsForms: SectionCheck = (ctx) => {
  const forms = ctx.settings.forms;
  if (forms === undefined) return [];
  if (!isObject(forms)) {
    return [
      problem(
        'sms/form-shape',
        'error',
        ['forms'],
        'value',
        `forms is ${Array.isArray(forms) ? 'an array' : quote(forms)}: cht-core looks SMS forms up as forms[<CODE>], so it finds none.`,
        'Write an object keyed by form code: { "P": { "meta": { "code": "P" }, "fields": { … } } }.',
      ),
    ];
  }
  const out: WorkflowProblem[] = [];
  for (const [key, form] of Object.entries(forms)) out.push(...checkForm(ctx, key, form));
  out.push(...duplicateCodes(forms));
  return out;
};
