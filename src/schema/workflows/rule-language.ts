/**
 * cht-core's validation rule language ("pupil"), read the way cht-core 4.x reads it: a character-by-character
 * lexer and a token-by-token state machine (shared-libs/validation, ../shared/research/sms-outbound.md §5).
 * Its quirks are reproduced on purpose, because they decide what a rule does at runtime: whitespace does not
 * separate names (`integer between(4,42)` is one name), `''` yields no argument, a backslash inside quotes is
 * kept, a bare name right before `?` or `:` is dropped, a name that ends the rule after trailing whitespace is
 * never read. Positions are character offsets into the rule, for located messages.
 */

export type RuleTokenKind = 'name' | 'string' | 'number' | 'comma' | 'colon' | 'question' | 'and' | 'or' | 'not' | 'open' | 'close';

export interface RuleToken {
  kind: RuleTokenKind;
  /** The name, the string's content (quotes removed, backslashes kept) or the number as written. */
  text: string;
  start: number;
  end: number;
}

export interface Tokenized {
  tokens: RuleToken[];
  /** A name still being read when the rule ended on whitespace or a backslash: cht-core never emits it. */
  lost?: { text: string; start: number };
}

const PUNCTUATION: Record<string, RuleTokenKind> = { ',': 'comma', ':': 'colon', '?': 'question', '!': 'not', '(': 'open', ')': 'close' };

/** A name that is a number to the lexer: what `parseFloat` reads and `isFinite` accepts. */
const isNumeric = (s: string): boolean => !Number.isNaN(Number.parseFloat(s)) && Number.isFinite(Number(s));

export function tokenizeRule(rule: string): Tokenized {
  const tokens: RuleToken[] = [];
  let pending = '';
  let pendingStart = 0;
  let quote: string | null = null;
  let escapeNext = false;
  for (let i = 0; i < rule.length; i++) {
    const c = rule[i]!;
    let append = false;
    let ignore = false;
    let startString = false;
    let endString = false;
    const here: RuleToken[] = [];
    const at = i;
    if (escapeNext) {
      // An escaped character joins the name, whatever it is.
      escapeNext = false;
      append = true;
    } else if (quote !== null && c === quote) {
      endString = true;
    } else if (quote !== null) {
      append = true;
    } else if (c === '"' || c === "'") {
      startString = true;
    } else if (c === '\\') {
      escapeNext = true;
      ignore = true;
    } else if (PUNCTUATION[c]) {
      here.push({ kind: PUNCTUATION[c]!, text: c, start: at, end: at + 1 });
    } else if ((c === '&' || c === '|') && rule[i + 1] === c) {
      here.push({ kind: c === '&' ? 'and' : 'or', text: c + c, start: at, end: at + 2 });
      i++;
    } else if (/\s/.test(c)) {
      ignore = true;
    } else {
      append = true;
    }
    if (append) {
      if (pending === '') pendingStart = quote !== null ? at - 1 : at;
      pending += c;
    }
    const appended = append;
    // The lexer flushes what it has on the last character, even inside an unterminated string.
    if (i === rule.length - 1) append = false;
    if (!append && !ignore && pending !== '') {
      const kind: RuleTokenKind = quote !== null ? 'string' : isNumeric(pending) ? 'number' : 'name';
      here.unshift({ kind, text: pending, start: pendingStart, end: endString || appended ? at + 1 : at });
      pending = '';
    }
    if (startString) quote = c;
    if (endString) quote = null;
    tokens.push(...here);
  }
  return pending !== '' ? { tokens, lost: { text: pending, start: pendingStart } } : { tokens };
}

/** A function call: `name(args)`, or a bare `name`. */
export interface RuleCall {
  type: 'call';
  name: string;
  args: (string | number)[];
  /** True when written with brackets. */
  called: boolean;
  start: number;
  end: number;
}
export interface RuleBlock {
  type: 'block';
  items: RuleNode[];
  start: number;
}
export interface RuleTernary {
  type: 'ternary';
  conditions: RuleNode[];
  then: RuleNode[] | null;
  else: RuleNode[] | null;
  start: number;
}
export type RuleOperator = { type: 'and'; start: number } | { type: 'or'; start: number } | { type: 'not'; start: number };
export type RuleNode = RuleCall | RuleBlock | RuleTernary | RuleOperator;

export interface RuleSyntaxError {
  /** cht-core's own exception text, which it sends back as the reply to every report. */
  coreMessage: string;
  start: number;
  end: number;
}

export interface ParsedRule {
  /** The root block's items (what cht-core evaluates). */
  items: RuleNode[];
  /** Bare names right before `?` or `:`, which the parser drops: they are never evaluated. */
  dropped: RuleCall[];
  lost?: { text: string; start: number };
  error?: RuleSyntaxError;
}

type Accept = 'name' | 'value' | 'op' | 'not' | 'argsOpen' | 'argsClose' | 'comma' | 'blockOpen' | 'blockClose' | 'then' | 'else';

/** What a ternary's branch is being collected into, or an ordinary block. */
interface Frame {
  node: RuleBlock | RuleTernary;
  /** The items being collected (the block's items, or the ternary's current branch). */
  sub: RuleNode[];
}

/** Parses tokens with cht-core's state machine: the same accepted tokens after each one, the same tree. */
export function parseRuleTokens(tokenized: Tokenized): ParsedRule {
  const { tokens } = tokenized;
  const root: RuleBlock = { type: 'block', items: [], start: 0 };
  const stack: Frame[] = [{ node: root, sub: root.items }];
  const dropped: RuleCall[] = [];
  let current: RuleCall | null = null;
  let flush = true;
  let accept = new Set<Accept>(['name', 'not', 'blockOpen']);
  const top = (): Frame => stack[stack.length - 1]!;
  const fail = (coreMessage: string, t: RuleToken): ParsedRule => ({ items: root.items, dropped, lost: tokenized.lost, error: { coreMessage, start: t.start, end: t.end } });
  const AFTER_CALL: Accept[] = ['op', 'blockClose', 'then', 'else'];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const toPush: RuleNode[] = [];
    let openBlock = false;
    let closeBlock = false;
    let closeTernary = false;
    switch (t.kind) {
      case 'string':
      case 'number':
        if (!accept.has('value') || !current) return fail(t.kind === 'string' ? 'Unexpected string' : 'Unexpected number', t);
        flush = false;
        current.args.push(t.kind === 'string' ? t.text : Number.parseFloat(t.text));
        current.end = t.end;
        accept = new Set(['comma', 'argsClose']);
        break;
      case 'name':
        if (!accept.has('name')) return fail('Unexpected identifier', t);
        flush = false;
        current = { type: 'call', name: t.text, args: [], called: false, start: t.start, end: t.end };
        accept = new Set(['op', 'argsOpen', 'blockClose', 'then', 'else']);
        break;
      case 'question': {
        if (!accept.has('then')) return fail("Unexpected ternary 'then'", t);
        if (current) dropped.push(current);
        const frame = top();
        const ternary: RuleTernary = { type: 'ternary', conditions: frame.sub.slice(), then: null, else: null, start: t.start };
        frame.sub.length = 0;
        frame.sub.push(ternary);
        stack.push({ node: ternary, sub: [] });
        accept = new Set(['name', 'blockOpen', 'not']);
        break;
      }
      case 'colon': {
        if (!accept.has('else')) return fail("Unexpected ternary 'else'", t);
        if (current) dropped.push(current);
        const frame = top();
        // cht-core stores the collected items as the "then" branch of whatever is on top, block or ternary.
        if (frame.node.type === 'ternary') frame.node.then = frame.sub;
        frame.sub = [];
        if (frame.node.type === 'block') frame.node.items = frame.sub;
        accept = new Set(['name', 'blockOpen', 'not']);
        break;
      }
      case 'comma':
        if (!accept.has('comma')) return fail('Unexpected function argument separator', t);
        flush = false;
        accept = new Set(['value', 'argsClose']);
        break;
      case 'and':
      case 'or':
        if (!accept.has('op')) return fail(t.kind === 'and' ? 'Unexpected logical AND' : 'Unexpected logical OR', t);
        toPush.push(t.kind === 'and' ? { type: 'and', start: t.start } : { type: 'or', start: t.start });
        flush = true;
        accept = new Set(['name', 'not', 'blockOpen']);
        break;
      case 'not':
        if (!accept.has('not')) return fail('Unexpected logical NOT', t);
        toPush.push({ type: 'not', start: t.start });
        accept = new Set(['name', 'blockOpen']);
        break;
      case 'open':
        if (current && accept.has('argsOpen')) {
          flush = false;
          current.called = true;
          accept = new Set(['value', 'argsClose']);
        } else if (accept.has('blockOpen')) {
          openBlock = true;
          flush = true;
          accept = new Set(['name', 'blockOpen', 'blockClose', 'not']);
        } else {
          return fail('Unexpected opening bracket', t);
        }
        break;
      case 'close':
        if (current && accept.has('argsClose')) {
          flush = true;
          current.end = t.end;
        } else if (accept.has('blockClose')) {
          closeBlock = true;
          flush = true;
        } else {
          return fail('Unexpected closing bracket', t);
        }
        accept = new Set(AFTER_CALL);
        break;
    }
    if (i === tokens.length - 1) {
      flush = true;
      closeTernary = true;
    }
    if (flush && current) {
      toPush.unshift(current);
      current = null;
    }
    top().sub.push(...toPush);
    if (openBlock) {
      const block: RuleBlock = { type: 'block', items: [], start: t.start };
      top().sub.push(block);
      stack.push({ node: block, sub: block.items });
    }
    const frame = top();
    if ((closeTernary || closeBlock) && frame.node.type === 'ternary') {
      if (frame.node.then !== null) frame.node.else = frame.sub;
      else frame.node.then = frame.sub;
      stack.pop();
    }
    if (closeBlock) {
      if (stack.length === 1) return fail("Can't close the root block.", t);
      stack.pop();
    }
  }
  if (stack.length > 1) {
    const last = tokens[tokens.length - 1]!;
    return { items: root.items, dropped, lost: tokenized.lost, error: { coreMessage: "All blocks weren't closed.", start: last.start, end: last.end } };
  }
  return { items: root.items, dropped, ...(tokenized.lost ? { lost: tokenized.lost } : {}) };
}

/** Every call in a tree, with whether it sits directly in the root block (where cht-core < 4.15 finds extras). */
export function* ruleCalls(items: readonly RuleNode[], topLevel = true): Generator<{ call: RuleCall; topLevel: boolean }> {
  for (const node of items) {
    if (node.type === 'call') yield { call: node, topLevel };
    else if (node.type === 'block') yield* ruleCalls(node.items, false);
    else if (node.type === 'ternary') {
      yield* ruleCalls(node.conditions, false);
      if (node.then) yield* ruleCalls(node.then, false);
      if (node.else) yield* ruleCalls(node.else, false);
    }
  }
}

/**
 * Evaluates a tree as cht-core's validator does: left to right, `&&`/`||` setting the operator for the next
 * operand (no precedence), `!` negating the next one. `call` gives a function's result; it may throw, as
 * cht-core's functions do.
 */
export function evaluateRule(items: readonly RuleNode[] | null, call: (c: RuleCall) => boolean): boolean {
  if (items === null) return true;
  let result = true;
  let and = true;
  let negate = false;
  for (const node of items) {
    let value: boolean;
    if (node.type === 'and' || node.type === 'or') {
      and = node.type === 'and';
      continue;
    }
    if (node.type === 'not') {
      negate = true;
      continue;
    }
    if (node.type === 'call') value = call(node);
    else if (node.type === 'block') value = evaluateRule(node.items, call);
    else value = evaluateRule(node.conditions, call) ? evaluateRule(node.then, call) : evaluateRule(node.else, call);
    if (negate) {
      value = !value;
      negate = false;
    }
    result = and ? result && value : result || value;
  }
  return result;
}
