/* eslint-disable @typescript-eslint/no-explicit-any -- acorn nodes */
import { parse } from 'acorn';
import { analyze } from 'eslint-scope';
import { assignedMembers, cleanIdentifiers, forEachChild, isCleanLiteral, isCleanOperand } from './trace-clean.js';
import { targetWindow } from './trace-window.js';
import { pureLibraryOf } from './pure-libraries.js';

/**
 * Instruments compiled rules code for clock tracing (trace-runtime.ts): every comparison, arithmetic and
 * unary numeric operation, computed property key, switch discriminant and template substitution goes through
 * a helper, which computes exactly what the operator would and, when an operand is derived from the clock,
 * records it. Evaluation order and results are unchanged; only the helpers see the values.
 *
 *   a < b      →  $c(k, a, b)        a - b   →  $a(k, a, b)       -a  →  $u(k, a)
 *   x += y     →  x = $a(k, x, y)    o[k]    →  o[$k(k)]          `${e}` →  `${$s(e)}`
 *   ++x        →  (x = $a(1, x, -1)) x--     →  $p(x, x = $a(1, x, 1))   (x - -1 is ToNumeric(x) + 1)
 *   if (x)     →  if ($t(x))         a && b  →  $t(a) && b        !x  →  !$t(x)    (every truthiness test)
 *   s[i]       →  $m(s, i)           s.length →  $m(s, 'length')   (reads, not writes, calls or optional chains)
 *
 * A comparison or arithmetic with statically clean operands (trace-clean.ts) passes a mask of them as a last
 * argument (1: left, 2: right); operators on two clean operands, clean keys, signs on literals and writes to
 * clean counters are left as they are. In chtkit's own bundle, the targets' window and its checks are added too
 * (trace-window.ts).
 */
export const HELPERS = ['__chtC', '__chtA', '__chtU', '__chtK', '__chtS', '__chtT', '__chtP', '__chtM'] as const;

/**
 * The pure-library membrane (trace-library.ts), a free variable of the instrumented code too. A bundled module
 * of a pure library — esbuild's `{ "…/node_modules/luxon/…"(exports, module) { … } }` — is left as it is,
 * wrapped in `if (__chtL.load(name, module)) return; try { … } finally { __chtL.loaded(name, module); }`.
 */
export const LIBRARY_HELPER = '__chtL';

export const COMPARE_OPS = ['<', '>', '<=', '>=', '==', '!=', '===', '!==', 'in'] as const;
export const ARITH_OPS = ['+', '-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>'] as const;
export const UNARY_OPS = ['-', '+', '~'] as const;

export interface Edit {
  start: number;
  end: number;
  text: string;
  /** 0: closing parenthesis (inner first), 1: opening (outer first), 2: replacement. */
  kind: 0 | 1 | 2;
  depth: number;
}

/** Position of operator `op` between two operands (only spaces, parentheses and comments around it). */
function operatorAt(src: string, from: number, to: number, op: string): number {
  let i = from;
  while (i < to) {
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? to : nl + 1;
    } else if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      i = close === -1 ? to : close + 2;
    } else if (src.startsWith(op, i) && (op !== 'in' || !/[\w$]/.test(src[i + 2] ?? ''))) {
      return i;
    } else i++;
  }
  throw new Error(`operator ${op} not found between ${from} and ${to}`);
}

function isBoolean(node: any): boolean {
  if (node.type === 'BinaryExpression') return (COMPARE_OPS as readonly string[]).includes(node.operator);
  if (node.type === 'UnaryExpression') return node.operator === '!';
  return node.type === 'Literal' && typeof node.value === 'boolean';
}

/**
 * Marks the member expressions a read helper must not replace: what is written (assignment and update targets,
 * destructuring and for-in/of targets, delete's operand) and what is called (its `this` is the object).
 */
function keep(node: any): void {
  assignedMembers(node, (member) => {
    member.keep = true;
  });
}

/** An optional chain short-circuits as a whole: none of its links may become a call of a helper. */
function keepChain(node: any): void {
  for (let n = node; n; n = n.type === 'MemberExpression' ? n.object : n.type === 'CallExpression' ? n.callee : undefined) {
    if (n.type === 'MemberExpression') n.keep = true;
  }
}

function isSimpleTarget(node: any): boolean {
  if (node.type === 'Identifier' || node.type === 'ThisExpression') return true;
  return node.type === 'MemberExpression' && !node.computed && !node.optional && isSimpleTarget(node.object);
}

function libraryOf(node: any): string | undefined {
  return node.key.type === 'Literal' && typeof node.key.value === 'string' && node.value.type === 'FunctionExpression'
    ? pureLibraryOf(node.key.value) : undefined;
}

/**
 * The edits that wrap each bundled pure library module in the membrane's load/loaded; the modules' statements
 * are then taken out of the tree (they are not instrumented, and the scope analysis of the rest is faster
 * without them: luxon is most of a bundle that requires it).
 */
function libraries(ast: any): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: any): void => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Property') {
      const library = libraryOf(node);
      if (library !== undefined) {
        const body = node.value.body;
        let start = body.start + 1;
        for (const statement of body.body) if (statement.type === 'ExpressionStatement' && statement.directive !== undefined) start = statement.end;
        const name = JSON.stringify(library);
        edits.push({ start, end: start, text: `if(${LIBRARY_HELPER}.load(${name},arguments[1]))return;try{`, kind: 2, depth: 0 });
        edits.push({ start: body.end - 1, end: body.end - 1, text: `}finally{${LIBRARY_HELPER}.loaded(${name},arguments[1])}`, kind: 2, depth: 0 });
        body.body = [];
        return;
      }
    }
    forEachChild(node, visit);
  };
  visit(ast);
  return edits;
}

/** Returns the instrumented source (the helpers are free variables named in HELPERS), without a window. */
export function instrument(src: string): string {
  return instrumentRules(src, false).code;
}

/**
 * The instrumented rules; with `window`, also the targets' window where the rules are chtkit's bundle
 * (trace-window.ts; `windowed`: found, and WINDOW_HELPER is then a free variable of the code too).
 */
export function instrumentRules(src: string, window = true): { code: string; windowed: boolean } {
  const comments: any[] = [];
  const ast: any = parse(src, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, ranges: true, onComment: comments });
  const edits: Edit[] = libraries(ast);
  const manager = analyze(ast, { ecmaVersion: 2022, sourceType: 'script' });
  const clean = cleanIdentifiers(ast, manager);
  const plan = window ? targetWindow(ast, manager, comments) : undefined;
  if (plan) edits.push(...plan.edits);
  const untraced = plan?.untraced;
  // Wrapped expressions get their own parentheses: `switch (a(), b)` must stay one argument. A wrap sits
  // between its parent's depth and the wrapped node's own, so it opens before and closes after the node's edits.
  const wrap = (node: any, open: string, depth: number) => {
    edits.push({ start: node.start, end: node.start, text: `${open}(`, kind: 1, depth });
    edits.push({ start: node.end, end: node.end, text: '))', kind: 0, depth });
  };
  // A truthiness test on a value that is surely a boolean (a comparison, a negation) needs no helper.
  const test = (node: any, depth: number) => {
    if (!node || isBoolean(node) || isCleanOperand(node, clean)) return;
    wrap(node, '__chtT(', depth);
  };
  // A read of a string's character or length: the string may be the clock's (`iso[9]`, `d.length < 2`).
  const memberRead = (node: any, depth: number) => {
    const length = !node.computed && node.property.type === 'Identifier' && node.property.name === 'length';
    if (!node.computed && !length) return;
    const key = node.computed ? node.property : undefined;
    if (node.object.type === 'Identifier' && (!key || (isCleanOperand(key, clean) && (key.type === 'Identifier' || key.type === 'Literal')))) {
      // The commonest reads (`a[i]`, `s.length`, `s[9]`) test the type in place: a variable read twice, a helper
      // called only for strings. Through one helper every array read in the rules was a megamorphic load, where
      // the read itself keeps its own inline cache.
      const o = node.object.name as string;
      const k = key ? src.slice(key.start, key.end) : "'length'";
      const read = key ? `${o}[${k}]` : `${o}.length`;
      edits.push({ start: node.start, end: node.end, text: `(typeof ${o} === 'string' ? __chtM(${o}, ${k}) : ${read})`, kind: 2, depth });
      return;
    }
    edits.push({ start: node.start, end: node.start, text: '__chtM(', kind: 1, depth });
    if (key) {
      const open = operatorAt(src, node.object.end, key.start, '[');
      edits.push({ start: open, end: open + 1, text: ',', kind: 2, depth });
      edits.push({ start: node.end - 1, end: node.end, text: ')', kind: 2, depth });
    } else {
      const dot = operatorAt(src, node.object.end, node.property.start, '.');
      edits.push({ start: dot, end: node.property.end, text: ",'length')", kind: 2, depth });
    }
  };
  const visit = (node: any, depth: number): void => {
    if (!node || typeof node.type !== 'string' || untraced?.has(node)) return;
    switch (node.type) {
      case 'IfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ForStatement':
      case 'ConditionalExpression':
        test(node.test, depth + 0.5);
        break;
      case 'LogicalExpression':
        if (node.operator !== '??') test(node.left, depth + 0.5);
        break;
      case 'BinaryExpression': {
        const compare = (COMPARE_OPS as readonly string[]).indexOf(node.operator);
        const arith = (ARITH_OPS as readonly string[]).indexOf(node.operator);
        const mask = (isCleanOperand(node.left, clean) ? 1 : 0) | (isCleanOperand(node.right, clean) ? 2 : 0);
        if ((compare !== -1 || arith !== -1) && mask !== 3) {
          const at = operatorAt(src, node.left.end, node.right.start, node.operator);
          edits.push({ start: node.start, end: node.start, text: compare !== -1 ? `__chtC(${compare},` : `__chtA(${arith},`, kind: 1, depth });
          edits.push({ start: at, end: at + node.operator.length, text: ',', kind: 2, depth });
          edits.push({ start: node.end, end: node.end, text: mask ? `,${mask})` : ')', kind: 0, depth });
        }
        break;
      }
      case 'UnaryExpression': {
        if (node.operator === 'delete') keep(node.argument);
        if (node.operator === '!') test(node.argument, depth + 0.5);
        const unary = (UNARY_OPS as readonly string[]).indexOf(node.operator);
        if (unary !== -1 && !isCleanLiteral(node)) {
          edits.push({ start: node.start, end: node.start + 1, text: `__chtU(${unary},`, kind: 2, depth });
          edits.push({ start: node.end, end: node.end, text: ')', kind: 0, depth });
        }
        break;
      }
      case 'AssignmentExpression': {
        keep(node.left);
        const op = node.operator.slice(0, -1);
        const arith = (ARITH_OPS as readonly string[]).indexOf(op);
        if (node.operator !== '=' && arith !== -1 && isSimpleTarget(node.left) && !clean.has(node.left)) {
          const at = operatorAt(src, node.left.end, node.right.start, node.operator);
          const target = src.slice(node.left.start, node.left.end);
          edits.push({ start: at, end: at + node.operator.length, text: `= __chtA(${arith},${target},`, kind: 2, depth });
          edits.push({ start: node.end, end: node.end, text: ')', kind: 0, depth });
        }
        break;
      }
      case 'UpdateExpression':
        keep(node.argument);
        // `age--` on a clock-derived age: left as it is, the new value would owe nothing to the clock as far as the
        // tracing could tell. (BigInt counters, which `x - -1` refuses, have no place in rules.)
        if (isSimpleTarget(node.argument) && !clean.has(node.argument)) {
          const target = src.slice(node.argument.start, node.argument.end);
          const step = node.operator === '++' ? '-1' : '1';
          const minus = (ARITH_OPS as readonly string[]).indexOf('-');
          if (node.prefix) {
            edits.push({ start: node.start, end: node.argument.start, text: `(${target} = __chtA(${minus},`, kind: 2, depth });
            edits.push({ start: node.end, end: node.end, text: `,${step}))`, kind: 0, depth });
          } else {
            // (The expression's value is the old one, as a number: `__chtP(old, assignment)`.)
            edits.push({ start: node.start, end: node.start, text: `__chtP(${target}, ${target} = __chtA(${minus},`, kind: 1, depth });
            edits.push({ start: node.argument.end, end: node.end, text: `,${step}))`, kind: 2, depth });
          }
        }
        break;
      case 'MemberExpression':
        if (node.computed && !isCleanOperand(node.property, clean)) wrap(node.property, '__chtK(', depth + 0.5);
        if (!node.keep && node.object.type !== 'Super' && !isCleanOperand(node.object, clean)) memberRead(node, depth);
        break;
      case 'CallExpression':
      case 'NewExpression':
        keep(node.callee);
        break;
      case 'ChainExpression':
        keepChain(node.expression);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        keep(node.left);
        break;
      case 'SwitchStatement':
        wrap(node.discriminant, '__chtK(', depth + 0.5);
        break;
      case 'TemplateLiteral':
        for (const e of node.expressions) wrap(e, '__chtS(', depth + 0.5);
        break;
      case 'Property':
        // A pure library's module (see `libraries`): its code stays as it is.
        if (node.value?.type === 'FunctionExpression' && node.value.body.body.length === 0 && libraryOf(node) !== undefined) return;
        break;
      case 'TaggedTemplateExpression':
        // Tags receive the raw values: leave their substitutions alone. (A tag is called: its `this` stays.)
        keep(node.tag);
        visit(node.tag, depth + 1);
        for (const e of node.quasi.expressions) visit(e, depth + 1);
        return;
      default:
        break;
    }
    forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(ast, 0);
  edits.sort((a, b) => a.start - b.start || a.kind - b.kind || (a.kind === 0 ? b.depth - a.depth : a.depth - b.depth));
  // Parts joined once (testing the end of a growing string flattens it again at every edit: quadratic, 0.7 s
  // for a bundle with luxon).
  const out: string[] = [];
  let cursor = 0;
  let last = '';
  for (const e of edits) {
    const between = src.slice(cursor, e.start);
    if (between) {
      out.push(between);
      last = between[between.length - 1]!;
    }
    // Minified code writes `return-1` or `else!x`: keep keywords apart from the inserted helper names.
    const text = /[\w$]/.test(last) && /^[\w$]/.test(e.text) ? ` ${e.text}` : e.text;
    out.push(text);
    if (text) last = text[text.length - 1]!;
    cursor = e.end;
  }
  out.push(src.slice(cursor));
  return { code: out.join(''), windowed: plan !== undefined };
}
