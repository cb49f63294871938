import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type WorkflowContext, type WorkflowProblem } from './context.js';
import { atLeast, describeCoreVersion, type CoreVersion } from './core-version.js';
import { checkMessageText } from './messages.js';
import { REPORT_PROPERTIES, type ReportForm } from './report-forms.js';
import { evaluateRule, ruleCalls, type RuleNode } from './rule-language.js';
import { EXTRA_FUNCTIONS, parseValidationRule, resolveRuleFunction } from './validation-rules.js';

/**
 * `validations` of registrations, patient_reports and accept_case_reports: the object's shape, each entry's
 * rule (validation-rules.ts), property, message, and the properties cht-core < 4.15 validates only once
 * (cht-core 4.11.0 and 4.15.0 shared-libs/validation/src/validation.js).
 */

/** Evaluates the built-in functions of a rule on an empty value: false when cht-core would reject it. */
function rejectsEmpty(ast: RuleNode[], core: CoreVersion): boolean {
  let unknowable = false;
  const result = (() => {
    try {
      return evaluateRule(ast, (call) => {
        const hit = resolveRuleFunction(call, true, core);
        if (!hit || hit.other || hit.fn.extra || hit.fn.name === 'equalsTo') {
          unknowable = true;
          return true;
        }
        const [a, b] = call.args;
        switch (hit.fn.name) {
          case 'equals':
          case 'in':
            return call.args.some((x) => x == ''); // loosely, as cht-core compares
          case 'sequals':
            return a === '';
          case 'iequals':
          case 'siequals':
            if (typeof a !== 'string') throw new TypeError('toLowerCase');
            return a === '';
          case 'lenMin':
            return 0 >= Number(a);
          case 'lenMax':
            return 0 <= Number(a);
          case 'lenEquals':
            return Number.parseInt(String(a), 10) === 0;
          case 'optional':
            return true;
          case 'regex':
            return new RegExp(String(a), typeof b === 'string' ? b : '').test('');
          default:
            // required, numeric, integer, alpha, alphanumeric, email, min, max, between: false on ''.
            return false;
        }
      });
    } catch {
      return false;
    }
  })();
  return !unknowable && !result;
}

/** The property key cht-core < 4.15 validates under: renamed `<property>_<extra>` for each top-level extra. */
function ruleKey(property: string, ast: RuleNode[] | undefined, core: CoreVersion): string {
  let key = property;
  if (!ast || atLeast(core, 4, 15)) return key;
  for (const node of ast) if (node.type === 'call' && EXTRA_FUNCTIONS.has(node.name) && !key.includes(`_${node.name}`)) key += `_${node.name}`;
  return key;
}

/** Checks a `validations` value of a registration or patient report whose form is `form` (undefined: unknown). */
export function checkValidations(value: unknown, path: Segment[], ctx: WorkflowContext, form: ReportForm | undefined): WorkflowProblem[] {
  if (value === undefined || value === null) return [];
  const problems: WorkflowProblem[] = [];
  const hint = `Rules read as ${describeCoreVersion(ctx.core)} reads them.`;
  if (Array.isArray(value)) {
    return [{
      code: 'sms/validations-array',
      severity: 'error',
      path,
      target: 'value',
      message: 'validations is an array; cht-core reads validations.list, so with an array no validation is ever made.',
      hint: 'Write "validations": { "join_responses": false, "list": [ … ] }.',
    }];
  }
  if (!isObject(value) || (value.list !== undefined && !Array.isArray(value.list))) {
    return [{
      code: 'sms/validations-shape',
      severity: 'error',
      path: isObject(value) ? [...path, 'list'] : path,
      target: 'value',
      message: `validations must be an object with a list array; cht-core checks nothing with ${quote(isObject(value) ? value.list : value)}.`,
      hint: 'Write "validations": { "list": [ { "property": …, "rule": …, "translation_key": … } ] }.',
    }];
  }
  const list: unknown[] = value.list ?? [];
  const lastByKey = new Map<string, number>();
  const keys: (string | undefined)[] = [];
  list.forEach((entry, i) => {
    const at = [...path, 'list', i];
    if (!isObject(entry)) {
      problems.push({
        code: 'sms/validations-shape',
        severity: 'error',
        path: at,
        target: 'value',
        message: `validations.list[${i}] is not an object { property, rule, translation_key }; cht-core fails on it.`,
        hint,
      });
      keys.push(undefined);
      return;
    }
    const { property, rule } = entry;
    let ast: RuleNode[] | undefined;
    if (typeof rule !== 'string') {
      problems.push({
        code: 'sms/validation-missing-rule',
        severity: 'error',
        path: [...at, 'rule'],
        target: rule === undefined ? 'missing' : 'value',
        message: `validations.list[${i}] has no rule string; cht-core's lexer throws on it and every report of this form is rejected with 'Error on pupil validations'.`,
        hint: "Give a rule such as \"required() && integer()\".",
      });
    } else if (rule.trim() === '') {
      problems.push({
        code: 'sms/validation-empty-rule',
        severity: 'warning',
        path: [...at, 'rule'],
        target: 'value',
        message: `validations.list[${i}] has an empty rule, which checks nothing.`,
        hint: 'Give a rule, or remove the entry.',
      });
      ast = [];
    } else {
      const parsed = parseValidationRule(rule, ctx.core);
      ast = parsed.ast;
      for (const f of parsed.findings) {
        problems.push({ code: f.code, severity: f.severity, path: [...at, 'rule'], target: 'value', message: `Rule ${quote(rule)}: ${f.message}`, hint, ...(f.suggestion ? { suggestion: f.suggestion } : {}) });
      }
    }
    if (typeof property !== 'string' || property === '') {
      problems.push({
        code: 'sms/validation-missing-property',
        severity: 'error',
        path: [...at, 'property'],
        target: property === undefined ? 'missing' : 'value',
        message: `validations.list[${i}] names no property; cht-core never runs its rule as meant.`,
        hint: 'Set property to the form field the rule checks.',
      });
      keys.push(undefined);
    } else {
      const key = ruleKey(property, ast, ctx.core);
      keys.push(key);
      lastByKey.set(key, i);
      if (form?.kind === 'sms' && !form.fields.has(property) && !REPORT_PROPERTIES.has(property)) {
        const rejects = ast !== undefined && ast.length > 0 && rejectsEmpty(ast, ctx.core);
        const suggestion = didYouMean(property, form.fields.keys());
        problems.push({
          code: 'sms/validation-unknown-property',
          severity: rejects ? 'error' : 'warning',
          path: [...at, 'property'],
          target: 'value',
          message: `property '${property}' is not a field of form '${form.code}' nor a report property; cht-core validates it as an empty value${rejects ? ', which this rule rejects: every report is refused' : ', so the rule checks nothing'}.`,
          hint: `Fields of ${form.code}: ${[...form.fields.keys()].join(', ') || '(none)'}.`,
          ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
        });
      }
      if (typeof rule === 'string' && ast && form?.kind === 'sms') problems.push(...typeFindings(ast, form, property, [...at, 'rule'], ctx.core));
    }
    const text = checkMessageText(entry, at, ctx, { pluralRead: true, requireText: false });
    problems.push(...text.problems);
    if (!text.hasText) {
      problems.push({
        code: 'sms/validation-no-message',
        severity: 'warning',
        path: [...at, 'translation_key'],
        target: 'missing',
        message: `validations.list[${i}] has neither translation_key nor message: a report failing it is rejected with an empty reply, so the sender never learns why.`,
        hint: 'Add a translation_key (or a message array) explaining the problem.',
      });
    }
  });
  if (!atLeast(ctx.core, 4, 15)) {
    keys.forEach((key, i) => {
      if (key === undefined || lastByKey.get(key) === i) return;
      const last = lastByKey.get(key)!;
      problems.push({
        code: 'sms/validation-duplicate-property',
        severity: 'error',
        path: [...path, 'list', i, 'property'],
        target: 'value',
        message: `property '${key}' is validated again by validations.list[${last}]; before cht-core 4.15 only the last rule for a property runs, so this one never does.`,
        hint: `Combine the rules with && in one entry. ${describeCoreVersion(ctx.core)}.`,
      });
    });
  }
  return problems;
}

/** Length and case functions on an integer SMS field: the value is a number, so they always fail or throw. */
function typeFindings(ast: RuleNode[], form: ReportForm & { kind: 'sms' }, property: string, path: Segment[], core: CoreVersion): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  for (const { call, topLevel } of ruleCalls(ast)) {
    const hit = resolveRuleFunction(call, topLevel, core);
    if (!hit?.fn.needsString) continue;
    const field = hit.other ? call.args[0] : property;
    if (typeof field !== 'string' || form.fields.get(field) !== 'integer') continue;
    out.push({
      code: 'sms/validation-string-function-on-number',
      severity: 'error',
      path,
      target: 'value',
      message: `${call.name}(…) checks '${field}', an integer field of form '${form.code}' that cht-core stores as a number: ${hit.fn.name.startsWith('len') ? `a number has no length, so ${call.name}(…) is false for every value sent and the rule does not check what it says` : 'a number has no toLowerCase, so cht-core throws and rejects every report with a value'}.`,
      hint: 'Use min/max/between for numbers, or lenEquals (which converts to a string).',
    });
  }
  return out;
}
