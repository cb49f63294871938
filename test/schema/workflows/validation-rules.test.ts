import { describe, expect, it } from 'vitest';
import { parseCoreVersion } from '../../../src/schema/workflows/core-version.js';
import { evaluateRule, parseRuleTokens, tokenizeRule, type RuleNode } from '../../../src/schema/workflows/rule-language.js';
import { isRuleDuration, parseValidationRule } from '../../../src/schema/workflows/validation-rules.js';
import { checkValidations } from '../../../src/schema/workflows/validations.js';
import { workflowContext } from './context.js';

const v411 = parseCoreVersion('4.11', 'flag');
const v415 = parseCoreVersion('4.15', 'flag');

/** A compact view of cht-core's tree: f(args), [block], {c ? t : e}, &&, ||, !. */
function show(items: readonly RuleNode[] | null): string {
  if (items === null) return 'null';
  return items
    .map((n) => {
      if (n.type === 'call') return `${n.name}(${n.args.map((a) => JSON.stringify(a)).join(',')})`;
      if (n.type === 'block') return `[${show(n.items)}]`;
      if (n.type === 'ternary') return `{${show(n.conditions)} ? ${show(n.then)} : ${show(n.else)}}`;
      return { and: '&&', or: '||', not: '!' }[n.type];
    })
    .join(' ');
}
const tree = (rule: string) => {
  const p = parseRuleTokens(tokenizeRule(rule));
  return p.error ? `ERR ${p.error.coreMessage}` : show(p.items);
};

/** Rules from cht-core 4.11's config/standard and its own validation tests: all read cleanly. */
const REAL_RULES = [
  'integer && between(0, 59)',
  'integer && between(0,260)',
  'integer && between(1,3)',
  'lenMin(1) && lenMax(30)',
  'lenMin(1) ? (integer && between(2,42)) : optional',
  "lenMin(1) ? (integer && regex('^[0-9]{1,3}$') && between(0,365)) : optional",
  "regex('^(F|f|S|s|Ns|NS|ns|nS)$')",
  "regex('^[0-9]{5,13}$')",
  "regex('^\\d{5}$')",
  'required && lenMin(5) && lenMax(20)',
  "unique('patient_id')",
  "uniqueWithin('patient_id','2 weeks')",
  "exists('REGISTRATION', 'patient_id')",
  "isISOWeek('week', 'year')",
  'isBefore("4 weeks")',
  'isAfter("-2 days")',
  'validPhone("phone_number")',
  'uniquePhone("phone_number")',
  "in('a', 'b') || equals(3)",
  '!alpha() || alphanumeric()',
  "otherRequired('lmp') || optional()",
];

describe('the rule language (as cht-core 4.x reads it)', () => {
  it('reads real rules without findings', () => {
    for (const rule of REAL_RULES) {
      const p = parseValidationRule(rule, v411);
      expect(p.findings, rule).toEqual([]);
      expect(p.ast, rule).toBeDefined();
    }
  });

  it('builds cht-core\'s tree: no precedence, ternaries as blocks, strings without quotes', () => {
    expect(tree('lenMin(1) ? (integer && between(2,42)) : optional')).toBe('{lenMin(1) ? [integer() && between(2,42)] : optional()}');
    expect(tree("regex('^\\d{5}$')")).toBe('regex("^\\\\d{5}$")');
    expect(tree('!required() || (integer() && (numeric()))')).toBe('! required() || [integer() && [numeric()]]');
    expect(tree('a() ? b() ? c() : d()')).toBe("ERR All blocks weren't closed.");
  });

  it('reproduces the lexer quirks', () => {
    expect(tree('integer between(4,42)')).toBe('integerbetween(4,42)');
    expect(tree("equals('')")).toBe('equals()');
    expect(tree("in('', 'a')")).toBe('ERR Unexpected function argument separator');
    expect(tree('lenMin(1) & lenMax(2)')).toBe('ERR Unexpected identifier');
    expect(tree("equals('abc")).toBe('equals("abc")');
    expect(tree('min(1e3)')).toBe('min(1000)');
    // A bare name before ':' or '?' is dropped; a trailing bare name after whitespace is never read.
    expect(tree('required ? integer() : optional()')).toBe('{ ? integer() : optional()}');
    expect(tokenizeRule('required ').tokens).toEqual([]);
    expect(tokenizeRule('required ').lost).toEqual({ text: 'required', start: 0 });
  });

  it('reports syntax errors with cht-core\'s message and position', () => {
    const p = parseValidationRule('regex(^[0-9]{5}$)', v411);
    expect(p.ast).toBeUndefined();
    expect(p.findings).toMatchObject([{ code: 'sms/validation-rule-syntax', severity: 'error', start: 6 }]);
    expect(p.findings[0]!.message).toContain('Unexpected identifier');
    expect(parseValidationRule('required() integer()', v411).findings[0]!.code).toBe('sms/validation-rule-syntax');
    expect(parseValidationRule('(required()', v411).findings[0]!.message).toContain("All blocks weren't closed.");
    expect(parseValidationRule('required())', v411).findings[0]!.message).toContain("Can't close the root block.");
  });

  it('evaluates left to right without precedence, as cht-core does', () => {
    const items = parseRuleTokens(tokenizeRule('a() || b() && c()')).items;
    const run = (a: boolean, b: boolean, c: boolean) => evaluateRule(items, (call) => ({ a, b, c })[call.name as 'a' | 'b' | 'c']);
    // ((a || b) && c): true || x && false is false.
    expect(run(true, false, false)).toBe(false);
    expect(run(true, false, true)).toBe(true);
  });
});

describe('rule findings', () => {
  const codes = (rule: string, core = v411) => parseValidationRule(rule, core).findings.map((f) => `${f.severity} ${f.code}`);

  it('unknown functions always pass: error, with did-you-mean', () => {
    const p = parseValidationRule('lenMaximum(30)', v411);
    expect(p.findings).toMatchObject([{ code: 'sms/validation-unknown-function', severity: 'error' }]);
    expect(codes('integr() && required()')).toEqual(['error sms/validation-unknown-function']);
    expect(parseValidationRule('integr()', v411).findings[0]!.suggestion).toBe("'integer'");
  });

  it('names run together by whitespace: a missing &&', () => {
    const p = parseValidationRule('integer between(4,42)', v411);
    expect(p.findings).toMatchObject([{ code: 'sms/validation-missing-and', suggestion: "'integer() && between'" }]);
  });

  it('bare names dropped by the parser or never read by the lexer', () => {
    expect(codes('required ? integer() : optional()')).toEqual(['error sms/validation-dropped-condition']);
    expect(codes('integer && required ')).toEqual(['error sms/validation-dropped-condition']);
    expect(codes('required() ? integer() : optional()')).toEqual([]);
  });

  it('arguments: count, numbers, regular expressions, durations', () => {
    expect(codes('between(1)')).toEqual(['error sms/validation-arguments']);
    expect(codes("lenMin('five')")).toEqual(['error sms/validation-arguments']);
    expect(codes("regex('^[0-9')")).toEqual(['error sms/validation-arguments']);
    expect(codes("regex('^a$', 'z')")).toEqual(['error sms/validation-arguments']);
    expect(codes('iequals(3)')).toEqual(['error sms/validation-arguments']);
    expect(codes("uniqueWithin('patient_id', '2weeks')")).toEqual(['error sms/validation-arguments']);
    expect(codes("isBefore('4 Weeks')")).toEqual([]);
    expect(codes('required(1)')).toEqual(['warning sms/validation-extra-arguments']);
    expect(codes('otherRequired()')).toEqual(['error sms/validation-arguments']);
  });

  it('extra functions before and after cht-core 4.15', () => {
    expect(codes("regex('^[0-9]{5}$') && unique('patient_id')", v411)).toEqual(['error sms/validation-extra-combined']);
    expect(codes("regex('^[0-9]{5}$') && unique('patient_id')", v415)).toEqual([]);
    expect(codes("(unique('patient_id'))", v411)).toEqual(['error sms/validation-extra-not-run']);
    expect(codes("Unique('patient_id')", v411)).toEqual(['error sms/validation-extra-not-run']);
    expect(codes("Unique('patient_id')", v415)).toEqual([]);
    expect(codes('validPhone()', v411)).toEqual([]);
    expect(codes('validPhone()', v415)).toEqual(['error sms/validation-arguments']);
  });

  it('durations as validation parseDuration reads them', () => {
    expect(isRuleDuration('2 weeks')).toBe(true);
    expect(isRuleDuration('1 M')).toBe(true);
    expect(isRuleDuration('1 D')).toBe(false);
    expect(isRuleDuration('2weeks')).toBe(false);
    expect(isRuleDuration('two weeks')).toBe(false);
    expect(isRuleDuration(14)).toBe(false);
  });
});

describe('checkValidations', () => {
  const settings = { forms: { P: { meta: { code: 'P' }, fields: { patient_name: { type: 'string' }, lmp: { type: 'integer' } } } } };
  const ctx = (core = '4.11') => workflowContext(settings, { core, translations: { en: { 'p.lmp': 'Bad LMP' } } });
  const form = { kind: 'sms' as const, code: 'P', fields: new Map<string, string | undefined>([['patient_name', 'string'], ['lmp', 'integer']]) };
  const entry = (property: string, rule: unknown) => ({ property, rule, translation_key: 'p.lmp' });
  const run = (value: unknown, core = '4.11') => checkValidations(value, ['registrations', 0, 'validations'], ctx(core), form).map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);

  it('accepts a valid list', () => {
    expect(run({ join_responses: true, list: [entry('lmp', 'integer && between(0, 40)'), entry('patient_name', 'lenMin(1) && lenMax(30)')] })).toEqual([]);
  });

  it('an array instead of the object: nothing is validated', () => {
    expect(run([entry('lmp', 'integer')])).toEqual(['error sms/validations-array registrations.0.validations']);
  });

  it('a property that is not a field: error when the rule rejects the empty value, else a warning', () => {
    expect(run({ list: [entry('lmp_weeks', 'required() && integer()')] })).toEqual(['error sms/validation-unknown-property registrations.0.validations.list.0.property']);
    expect(run({ list: [entry('lmp_weeks', 'optional() || integer()')] })).toEqual(['warning sms/validation-unknown-property registrations.0.validations.list.0.property']);
    expect(run({ list: [entry('from', 'required()')] })).toEqual([]);
  });

  it('duplicate properties: only the last runs before 4.15', () => {
    const list = [entry('lmp', 'integer'), entry('lmp', 'between(0, 40)')];
    expect(run({ list })).toEqual(['error sms/validation-duplicate-property registrations.0.validations.list.0.property']);
    expect(run({ list }, '4.15')).toEqual([]);
    // An extra function renames the property, so the documented pattern is no duplicate.
    expect(run({ list: [entry('lmp', 'integer'), entry('lmp', "unique('lmp')")] })).toEqual([]);
  });

  it('length functions on an integer field, missing rules and messages', () => {
    expect(run({ list: [entry('lmp', 'lenMin(1)')] })).toEqual(['error sms/validation-string-function-on-number registrations.0.validations.list.0.rule']);
    expect(run({ list: [{ property: 'lmp', translation_key: 'p.lmp' }] })).toEqual(['error sms/validation-missing-rule registrations.0.validations.list.0.rule']);
    expect(run({ list: [{ property: 'lmp', rule: 'integer' }] })).toEqual(['warning sms/validation-no-message registrations.0.validations.list.0.translation_key']);
    expect(run({ list: [{ property: 'lmp', rule: 'integer', message: [{ locale: 'en', content: 'LMP must be a number' }] }] })).toEqual([]);
  });
});
