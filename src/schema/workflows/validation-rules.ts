import { didYouMean } from '../did-you-mean.js';
import { quote } from './context.js';
import { atLeast, type CoreVersion } from './core-version.js';
import { parseRuleTokens, ruleCalls, tokenizeRule, type RuleCall, type RuleNode } from './rule-language.js';

/**
 * Validation rules as cht-core reads them: each rule parsed with cht-core's rule language (rule-language.ts) and
 * checked against the functions the target version has and their arguments (cht-core shared-libs/validation/src/:
 * 4.11.0 pupil/src/validator_functions.js and validation.js, 4.15.0 validator_functions.js). `parseValidationRule`
 * is the entry point (the message dry run evaluates its tree); the `validations` objects that hold the rules are
 * checked in validations.ts.
 */

export interface RuleFunction {
  /** As documented (camelCase); cht-core matches built-ins case-insensitively. */
  name: string;
  min: number;
  max: number;
  /** One of the database/phone/date functions cht-core < 4.15 runs outside the rule language. */
  extra?: boolean;
  /** What each argument must be, by position (the last repeats). */
  args?: ('number' | 'string' | 'regex' | 'flags' | 'duration' | 'any')[];
  /** The value must be a string: on a number field the function always fails or throws. */
  needsString?: boolean;
}

const FUNCTIONS: readonly RuleFunction[] = [
  { name: 'equals', min: 1, max: 1 },
  { name: 'iequals', min: 1, max: 1, args: ['string'], needsString: true },
  { name: 'sequals', min: 1, max: 1 },
  { name: 'siequals', min: 1, max: 1, args: ['string'], needsString: true },
  { name: 'lenMin', min: 1, max: 1, args: ['number'], needsString: true },
  { name: 'lenMax', min: 1, max: 1, args: ['number'], needsString: true },
  { name: 'lenEquals', min: 1, max: 1, args: ['number'] },
  { name: 'min', min: 1, max: 1, args: ['number'] },
  { name: 'max', min: 1, max: 1, args: ['number'] },
  { name: 'between', min: 2, max: 2, args: ['number', 'number'] },
  { name: 'in', min: 1, max: Infinity },
  { name: 'required', min: 0, max: 0 },
  { name: 'optional', min: 0, max: 0 },
  { name: 'numeric', min: 0, max: 0 },
  { name: 'integer', min: 0, max: 0 },
  { name: 'alpha', min: 0, max: 0 },
  { name: 'alphanumeric', min: 0, max: 0 },
  { name: 'email', min: 0, max: 0 },
  { name: 'regex', min: 1, max: 2, args: ['regex', 'flags'] },
  { name: 'equalsTo', min: 1, max: 1, args: ['string'] },
  { name: 'unique', min: 1, max: Infinity, extra: true, args: ['string'] },
  { name: 'uniqueWithin', min: 2, max: Infinity, extra: true, args: ['string'] },
  { name: 'exists', min: 2, max: 2, extra: true, args: ['string', 'string'] },
  { name: 'isISOWeek', min: 1, max: 2, extra: true, args: ['string', 'string'] },
  { name: 'isAfter', min: 1, max: 1, extra: true, args: ['duration'] },
  { name: 'isBefore', min: 1, max: 1, extra: true, args: ['duration'] },
  { name: 'validPhone', min: 0, max: 1, extra: true, args: ['string'] },
  { name: 'uniquePhone', min: 0, max: 1, extra: true, args: ['string'] },
];
const BY_LOWER = new Map(FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));
/** cht-core < 4.15's "extra" functions (run outside the rule language), exactly as spelt there. */
export const EXTRA_FUNCTIONS: ReadonlySet<string> = new Set(FUNCTIONS.filter((f) => f.extra).map((f) => f.name));
const NAMES = FUNCTIONS.map((f) => f.name);

/** moment's duration units, as `moment.duration(n, unit)` normalises them ('D' is the day of the month: no duration). */
const DURATION_UNITS = new Set(['year', 'years', 'y', 'quarter', 'quarters', 'q', 'month', 'months', 'week', 'weeks', 'w', 'day', 'days', 'd', 'hour', 'hours', 'h', 'minute', 'minutes', 'm', 'second', 'seconds', 's', 'millisecond', 'milliseconds', 'ms']);

/** True when cht-core's validation `parseDuration` ("<n> <unit>", split on one space) gives a real duration. */
export function isRuleDuration(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const [n, unit] = v.split(' ');
  if (Number.isNaN(Number.parseInt(n ?? '', 10)) || unit === undefined || unit === 'D') return false;
  return unit === 'M' || DURATION_UNITS.has(unit.toLowerCase());
}

/** A problem inside one rule, at character offsets of the rule text. */
export interface RuleFinding {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  start: number;
  end: number;
  suggestion?: string;
}

export interface ParsedValidationRule {
  /** The root block's items; empty for an empty rule. Undefined when the rule does not parse. */
  ast?: RuleNode[];
  findings: RuleFinding[];
}

/** The function a call runs on the target version, or undefined when cht-core treats it as unknown (always true). */
export function resolveRuleFunction(call: RuleCall, topLevel: boolean, core: CoreVersion): { fn: RuleFunction; other: boolean } | undefined {
  const lower = call.name.toLowerCase();
  const modern = atLeast(core, 4, 15);
  const direct = BY_LOWER.get(lower);
  if (direct && (!direct.extra || modern || (topLevel && call.name === direct.name))) return { fn: direct, other: false };
  if (lower.startsWith('other')) {
    const fn = BY_LOWER.get(lower.slice(5));
    if (fn && (!fn.extra || modern)) return { fn, other: true };
  }
  return undefined;
}

/** Two known function names run together, as whitespace makes them (`integer between(…)`). */
function gluedNames(name: string): [string, string] | undefined {
  const lower = name.toLowerCase();
  for (let i = 1; i < lower.length; i++) {
    const a = BY_LOWER.get(lower.slice(0, i));
    const b = BY_LOWER.get(lower.slice(i)) ?? (lower.slice(i).startsWith('other') ? BY_LOWER.get(lower.slice(i + 5)) : undefined);
    if (a && b) return [a.name, name.slice(i)];
  }
  return undefined;
}

function argumentFindings(call: RuleCall, fn: RuleFunction, other: boolean, core: CoreVersion): RuleFinding[] {
  const out: RuleFinding[] = [];
  const at = { start: call.start, end: call.end };
  const args = other ? call.args.slice(1) : call.args;
  const min = fn.extra && atLeast(core, 4, 15) && (fn.name === 'validPhone' || fn.name === 'uniquePhone') ? 1 : fn.min;
  if (other && call.args.length === 0) {
    out.push({
      code: 'sms/validation-arguments',
      severity: 'error',
      message: `${call.name}() needs the other field's name as its first argument; without it cht-core checks an undefined value.`,
      ...at,
    });
    return out;
  }
  if (args.length < min) {
    const why = min === 1 && (fn.name === 'validPhone' || fn.name === 'uniquePhone') ? ` (from cht-core 4.15 ${fn.name} reads the field named by its argument; without one it checks nothing and rejects every report)` : '';
    out.push({
      code: 'sms/validation-arguments',
      severity: 'error',
      message: `${call.name}(…) needs ${min === fn.max ? min : `at least ${min}`} argument${min === 1 ? '' : 's'}, got ${args.length}${why}; cht-core compares against undefined, so the rule never checks what it says.`,
      ...at,
    });
  } else if (args.length > fn.max) {
    out.push({
      code: 'sms/validation-extra-arguments',
      severity: 'warning',
      message: `${call.name}(…) takes ${fn.max === 0 ? 'no arguments' : `at most ${fn.max}`}; cht-core ignores the other ${args.length - fn.max}.`,
      ...at,
    });
  }
  const kinds = fn.args ?? [];
  args.forEach((arg, i) => {
    const kind = kinds[Math.min(i, kinds.length - 1)];
    const last = i === args.length - 1;
    const want = fn.name === 'uniqueWithin' ? (last ? 'duration' : 'string') : kind;
    if (want === 'number' && typeof arg === 'string' && Number.isNaN(Number(arg))) {
      out.push({
        code: 'sms/validation-arguments',
        severity: 'error',
        message: `${call.name}(…) compares with '${arg}', which is not a number: every comparison is false and every report is rejected.`,
        ...at,
      });
    } else if (want === 'string' && typeof arg === 'number' && fn.needsString) {
      out.push({
        code: 'sms/validation-arguments',
        severity: 'error',
        message: `${call.name}(${arg}) lower-cases its argument, and a number has no toLowerCase: cht-core throws and rejects every report.`,
        ...at,
      });
    } else if (want === 'regex') {
      const flags = typeof args[1] === 'string' ? args[1] : '';
      try {
        new RegExp(String(arg), flags);
      } catch (err) {
        out.push({
          code: 'sms/validation-arguments',
          severity: 'error',
          message: `regex(${quote(arg)}${args.length > 1 ? `, ${quote(args[1])}` : ''}) is not a valid regular expression (${(err as Error).message}); cht-core throws on it and rejects every report.`,
          ...at,
        });
      }
    } else if (want === 'duration' && !isRuleDuration(arg)) {
      out.push({
        code: 'sms/validation-arguments',
        severity: 'error',
        message: `${call.name}(…) reads ${quote(arg)} as a duration, which it is not ('<number> <unit>', one space, e.g. '2 weeks'): cht-core gets an invalid or zero-length duration and the check is meaningless.`,
        ...at,
      });
    }
  });
  return out;
}

/**
 * Reads a validation rule as cht-core `core` does and lists what is wrong with it. The AST is what cht-core
 * evaluates (for a later dry run); it is absent when the rule does not parse.
 */
export function parseValidationRule(text: string, core: CoreVersion): ParsedValidationRule {
  // Projects repeat the same rules across forms; cht-core caches them by text too. Results are never mutated.
  const key = `${core.major}.${core.minor}\u0000${text}`;
  let hit = PARSED.get(key);
  if (!hit) {
    if (PARSED.size > 5000) PARSED.clear();
    PARSED.set(key, (hit = readRule(text, core)));
  }
  return hit;
}
const PARSED = new Map<string, ParsedValidationRule>();

function readRule(text: string, core: CoreVersion): ParsedValidationRule {
  const parsed = parseRuleTokens(tokenizeRule(text));
  const findings: RuleFinding[] = [];
  if (parsed.error) {
    const { coreMessage, start, end } = parsed.error;
    findings.push({
      code: 'sms/validation-rule-syntax',
      severity: 'error',
      message: `cht-core cannot parse this rule ("${coreMessage}" at character ${start + 1}); it rejects every report with the reply 'Error on pupil validations: {"message":"${coreMessage}",…}'.`,
      start,
      end,
    });
    return { findings };
  }
  if (parsed.lost) {
    const { text: name, start } = parsed.lost;
    findings.push({
      code: 'sms/validation-dropped-condition',
      severity: 'error',
      message: `'${name}' ends the rule after whitespace or a backslash, so cht-core's lexer never reads it: that check is never made.`,
      start,
      end: start + name.length,
    });
  }
  for (const d of parsed.dropped) {
    findings.push({
      code: 'sms/validation-dropped-condition',
      severity: 'error',
      message: `The bare name '${d.name}' right before '?' or ':' is dropped by cht-core's parser and never evaluated; write '${d.name}()'.`,
      start: d.start,
      end: d.end,
      suggestion: `'${d.name}()'`,
    });
  }
  const modern = atLeast(core, 4, 15);
  const topExtras: RuleCall[] = [];
  for (const { call, topLevel } of ruleCalls(parsed.items)) {
    const hit = resolveRuleFunction(call, topLevel, core);
    if (!hit) {
      const exactExtra = [...EXTRA_FUNCTIONS].find((e) => e.toLowerCase() === call.name.toLowerCase() || `other${e.toLowerCase()}` === call.name.toLowerCase());
      if (exactExtra && !modern) {
        const why = call.name.toLowerCase().startsWith('other') ? 'cannot take the other prefix' : call.name !== exactExtra ? `is only recognised spelt exactly '${exactExtra}'` : 'is only run at the top level of a rule, not inside brackets, a ternary or after !';
        findings.push({
          code: 'sms/validation-extra-not-run',
          severity: 'error',
          message: `${call.name}(…) ${why} before cht-core 4.15; here cht-core treats it as an unknown function, which always passes.`,
          start: call.start,
          end: call.end,
        });
        continue;
      }
      const glued = gluedNames(call.name);
      if (glued) {
        findings.push({
          code: 'sms/validation-missing-and',
          severity: 'error',
          message: `'${call.name}' is '${glued[0]}' and '${glued[1]}' run together: whitespace does not separate names in cht-core's rule language, so it is one unknown function, which always passes.`,
          start: call.start,
          end: call.end,
          suggestion: `'${glued[0]}() && ${glued[1]}'`,
        });
        continue;
      }
      const suggestion = didYouMean(call.name, NAMES);
      findings.push({
        code: 'sms/validation-unknown-function',
        severity: 'error',
        message: `'${call.name}' is not a validation function of cht-core ${core.label}; an unknown function always passes, so this check is never made.`,
        start: call.start,
        end: call.end,
        ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
      });
      continue;
    }
    if (hit.fn.extra && !modern && topLevel && !hit.other) topExtras.push(call);
    findings.push(...argumentFindings(call, hit.fn, hit.other, core));
  }
  if (topExtras.length > 0 && parsed.items.length > 1) {
    const first = topExtras[0]!;
    findings.push({
      code: 'sms/validation-extra-combined',
      severity: 'error',
      message: `${first.name}(…) is combined with other checks; before cht-core 4.15 it then runs apart from them, and the rest of the rule is checked against an empty value (the property is renamed '<property>_${first.name}'), so the rule does not check what it says.`,
      start: first.start,
      end: first.end,
    });
  }
  return { ast: parsed.items, findings };
}
