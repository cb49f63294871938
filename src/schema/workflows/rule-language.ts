/**
 * cht-core's validation rule language ("pupil"), read the way cht-core 4.x reads it: a character-by-character
 * lexer and a token-by-token state machine (cht-core 4.11.0 shared-libs/validation/src/pupil/src/lexer.js, parser.js).
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
    let here: RuleToken[] | undefined;
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
      here = [{ kind: PUNCTUATION[c]!, text: c, start: at, end: at + 1 }];
    } else if ((c === '&' || c === '|') && rule[i + 1] === c) {
      here = [{ kind: c === '&' ? 'and' : 'or', text: c + c, start: at, end: at + 2 }];
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
      tokens.push({ kind, text: pending, start: pendingStart, end: endString || appended ? at + 1 : at });
      pending = '';
    }
    if (startString) quote = c;
    if (endString) quote = null;
    if (here) tokens.push(...here);
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

/** What the parser accepts next, as bits (one parse allocates no sets: rules are parsed by the hundred). */
const A = { name: 1, value: 2, op: 4, not: 8, argsOpen: 16, argsClose: 32, comma: 64, blockOpen: 128, blockClose: 256, then: 512, else: 1024 } as const;

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
  let accept: number = A.name | A.not | A.blockOpen;
  const top = (): Frame => stack[stack.length - 1]!;
  const fail = (coreMessage: string, t: RuleToken): ParsedRule => ({ items: root.items, dropped, lost: tokenized.lost, error: { coreMessage, start: t.start, end: t.end } });
  const AFTER_CALL = A.op | A.blockClose | A.then | A.else;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const toPush: RuleNode[] = [];
    let openBlock = false;
    let closeBlock = false;
    let closeTernary = false;
    switch (t.kind) {
      case 'string':
      case 'number':
        if ((accept & A.value) === 0 || !current) return fail(t.kind === 'string' ? 'Unexpected string' : 'Unexpected number', t);
        flush = false;
        current.args.push(t.kind === 'string' ? t.text : Number.parseFloat(t.text));
        current.end = t.end;
        accept = A.comma | A.argsClose;
        break;
      case 'name':
        if ((accept & A.name) === 0) return fail('Unexpected identifier', t);
        flush = false;
        current = { type: 'call', name: t.text, args: [], called: false, start: t.start, end: t.end };
        accept = A.op | A.argsOpen | A.blockClose | A.then | A.else;
        break;
      case 'question': {
        if ((accept & A.then) === 0) return fail("Unexpected ternary 'then'", t);
        if (current) dropped.push(current);
        const frame = top();
        const ternary: RuleTernary = { type: 'ternary', conditions: frame.sub.slice(), then: null, else: null, start: t.start };
        frame.sub.length = 0;
        frame.sub.push(ternary);
        stack.push({ node: ternary, sub: [] });
        accept = A.name | A.blockOpen | A.not;
        break;
      }
      case 'colon': {
        if ((accept & A.else) === 0) return fail("Unexpected ternary 'else'", t);
        if (current) dropped.push(current);
        const frame = top();
        // cht-core stores the collected items as the "then" branch of whatever is on top, block or ternary.
        if (frame.node.type === 'ternary') frame.node.then = frame.sub;
        frame.sub = [];
        if (frame.node.type === 'block') frame.node.items = frame.sub;
        accept = A.name | A.blockOpen | A.not;
        break;
      }
      case 'comma':
        if ((accept & A.comma) === 0) return fail('Unexpected function argument separator', t);
        flush = false;
        accept = A.value | A.argsClose;
        break;
      case 'and':
      case 'or':
        if ((accept & A.op) === 0) return fail(t.kind === 'and' ? 'Unexpected logical AND' : 'Unexpected logical OR', t);
        toPush.push(t.kind === 'and' ? { type: 'and', start: t.start } : { type: 'or', start: t.start });
        flush = true;
        accept = A.name | A.not | A.blockOpen;
        break;
      case 'not':
        if ((accept & A.not) === 0) return fail('Unexpected logical NOT', t);
        toPush.push({ type: 'not', start: t.start });
        accept = A.name | A.blockOpen;
        break;
      case 'open':
        if (current && (accept & A.argsOpen) !== 0) {
          flush = false;
          current.called = true;
          accept = A.value | A.argsClose;
        } else if ((accept & A.blockOpen) !== 0) {
          openBlock = true;
          flush = true;
          accept = A.name | A.blockOpen | A.blockClose | A.not;
        } else {
          return fail('Unexpected opening bracket', t);
        }
        break;
      case 'close':
        if (current && (accept & A.argsClose) !== 0) {
          flush = true;
          current.end = t.end;
        } else if ((accept & A.blockClose) !== 0) {
          closeBlock = true;
          flush = true;
        } else {
          return fail('Unexpected closing bracket', t);
        }
        accept = AFTER_CALL;
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
export function ruleCalls(items: readonly RuleNode[]): { call: RuleCall; topLevel: boolean }[] {
  const out: { call: RuleCall; topLevel: boolean }[] = [];
  const walk = (list: readonly RuleNode[] | null, topLevel: boolean): void => {
    if (list === null) return;
    for (const node of list) {
      if (node.type === 'call') out.push({ call: node, topLevel });
      else if (node.type === 'block') walk(node.items, false);
      else if (node.type === 'ternary') {
        walk(node.conditions, false);
        walk(node.then, false);
        walk(node.else, false);
      }
    }
  };
  walk(items, true);
  return out;
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
