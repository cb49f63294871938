/* eslint-disable @typescript-eslint/no-explicit-any -- acorn / ESTree nodes, eslint-scope's scopes */
import { assignedMembers, forEachChild } from './trace-clean.js';
import type { Edit } from './trace-transform.js';

/**
 * The targets' window: in an evaluation, the targets run before the tasks (src/bundle/rules.ts), and a change in
 * what the targets' code decides need not change the tasks. It cannot, unless the targets' code leaves something
 * the tasks' code reads: a write to an object or a variable that existed before the targets ran (the container,
 * a module's state, `Utils`...), a built-in that changes its receiver, a task emitted, an exception. This module
 * finds, in the rules' bundle, the call that runs the targets (the window) and every function that could leave
 * something behind (`impure`), and adds to the instrumented copy the checks that tell at run time whether one ran
 * while the window was open:
 *
 *   - an impure function — one that writes a property, a variable of the rules' top level or a global, or names
 *     a built-in that changes its receiver (`push`, `sort`, `setDate`, `assign`, `exec`...) — starts with
 *     `__chtW.on&&(__chtW.hit=true);`;
 *   - a function that writes a variable of an enclosing function G starts with a check that G's activation
 *     began inside the window (`var __chtA<n>=__chtW.on;` at G's start): a counter of the targets' own
 *     callback is theirs, a module's closure state is not;
 *   - the targets' call is wrapped in `__chtW.open()` / `__chtW.close()`; cht-conf's definition preparation
 *     (bundle/runtime/definition.ts, which binds the definitions' functions — the same on every day) runs
 *     with the window shut, and is not instrumented (it copies definitions and takes no decision on them).
 *
 * The engine (trace-engine.ts) then keeps the targets' decisions apart: while the tasks' decisions hold, an
 * evaluation's tasks hold too, wherever the targets' code, run alone again there, leaves nothing behind and
 * does not throw. It must never let a write through: anything it cannot tell counts as impure.
 */
export const WINDOW_HELPER = '__chtW';

const W = WINDOW_HELPER;
const HIT = `${W}.on&&(${W}.hit=true);`;

/** Properties whose built-ins change their receiver or an argument, or run code in ways not followed here. */
const CHANGING = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear',
  'assign', 'defineProperty', 'defineProperties', 'setPrototypeOf', '__proto__', '__defineGetter__',
  '__defineSetter__', 'freeze', 'seal', 'preventExtensions', 'exec', 'test', 'compile', 'lastIndex', 'call', 'apply',
  'bind', 'random', 'getRandomValues', 'getExtensionLib', 'next', 'replace', 'replaceAll', 'match', 'matchAll',
]);
/** Array methods whose last argument here is the callback's `this` (a built-in called so gets a receiver). */
const WITH_THIS = new Map([
  ['forEach', 2], ['map', 2], ['filter', 2], ['some', 2], ['every', 2], ['find', 2], ['findIndex', 2], ['findLast', 2],
  ['findLastIndex', 2], ['flatMap', 2], ['from', 3],
]);
/** Of those, the ones harmless on a literal: a regular expression literal is a new object each time it runs. */
const WITH_LITERAL_ARGUMENT = new Set(['replace', 'replaceAll', 'match', 'matchAll']);
const ON_LITERAL_RECEIVER = new Set(['exec', 'test']);
/** Globals that make code from strings, run code later, reach objects' internals, or draw random numbers. */
const CHANGING_GLOBALS = new Set([
  'eval', 'Function', 'Proxy', 'Reflect', 'Atomics', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask',
  'Promise', 'WeakRef', 'FinalizationRegistry', 'require',
]);

const isFunction = (node: any): boolean =>
  node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';

function propertyName(node: any): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  return node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : undefined;
}

const isLiteral = (node: any): boolean => node?.type === 'Literal' || node?.type === 'TemplateLiteral';

/** Top-level statements of the bundle's IIFE (esbuild's `(() => { … })();`), else the program's. */
function topLevel(ast: any): any[] {
  for (const statement of ast.body) {
    const call = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
    const fn = call?.type === 'CallExpression' ? call.callee : undefined;
    if (fn && isFunction(fn) && fn.body.type === 'BlockStatement') return fn.body.body;
  }
  return ast.body;
}

function callOf(statement: any): any {
  const call = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
  return call?.type === 'CallExpression' && call.callee.type === 'Identifier' ? call : undefined;
}

/** The entry's `emitTargets(targets, c, Utils, Target, emit);`, followed by the tasks' call (src/bundle/rules.ts). */
function targetsCall(statements: any[]): any {
  const found = statements.filter((s, i) => {
    const call = callOf(s);
    const next = statements[i + 1] && callOf(statements[i + 1]);
    return call?.arguments.length === 5 && call.arguments[3].type === 'Identifier' && call.arguments[3].name === 'Target' &&
      call.arguments[4].type === 'Identifier' && call.arguments[4].name === 'emit' &&
      next?.arguments.length === 5 && next.arguments[3].type === 'Identifier' && next.arguments[3].name === 'Task';
  });
  return found.length === 1 ? found[0] : undefined;
}

/** esbuild's `// …/bundle/runtime/definition.js` module: its three functions, prepareDefinition first. */
function definitionModule(statements: any[], comments: readonly any[]): any[] | undefined {
  const marker = comments.find((c) => c.type === 'Line' && /[\\/]bundle[\\/]runtime[\\/]definition\.[jt]s$/.test(c.value.trim()));
  if (!marker) return undefined;
  const at = statements.findIndex((s) => s.start > marker.end);
  const fns = statements.slice(at, at + 3);
  const names = ['prepareDefinition', 'bindFunctions', 'copyDefinition'];
  const ok = at !== -1 && fns.length === 3 && fns.every((f, i) => f.type === 'FunctionDeclaration' && new RegExp(`^${names[i]}\\d*$`).test(f.id.name));
  return ok ? fns : undefined;
}

/** Where a function's checks go: after `{` and its directives, or around an arrow's expression. */
function entryEdits(fn: any, text: string): Edit[] {
  const body = fn.body;
  if (body.type !== 'BlockStatement') {
    // (Checks only: a flag's `var` needs a block, and an arrow's expression body gets none — see targetWindow.)
    const checks = text.split(';').filter((t) => t).join(',');
    return [
      { start: body.start, end: body.start, text: `(${checks},`, kind: 1, depth: -1 },
      { start: body.end, end: body.end, text: ')', kind: 0, depth: -1 },
    ];
  }
  let start = body.start + 1;
  for (const s of body.body) if (s.type === 'ExpressionStatement' && s.directive !== undefined) start = s.end;
  return [{ start, end: start, text, kind: 1, depth: -1 }];
}

interface FnInfo {
  impure: boolean;
  /** Enclosing functions whose variables it writes. */
  writesInto: Set<any>;
}

/** Whether `node` (a member expression) is written, not read: an assignment's or a pattern's target, deleted. */
function isWritten(node: any, parent: any): boolean {
  switch (parent?.type) {
    case 'AssignmentExpression':
    case 'AssignmentPattern':
      return parent.left === node;
    case 'UpdateExpression':
    case 'ArrayPattern':
    case 'RestElement':
      return true;
    case 'UnaryExpression':
      return parent.operator === 'delete';
    case 'ForInStatement':
    case 'ForOfStatement':
      return parent.left === node;
    default:
      return node.patternTarget === true;
  }
}

/**
 * The edits of the targets' window, and the functions not to instrument (cht-conf's definition preparation),
 * or undefined when the rules are not chtkit's bundle (cht-conf's output in app settings, legacy nools rules):
 * then the targets' decisions count as the tasks'. `manager`: eslint-scope's analysis of `ast`.
 *
 * Also undefined when a function could change things without its own code saying so — a built-in's function
 * taken as a value (`var push = [].push`, `{ assign } = Object`, `get: Array.prototype.pop`), a bound function,
 * code made from a string, generators and async functions (resumed past their start), iterators made by hand
 * (a loop over one consumes it), RegExp's legacy `$1`..., code run later (timers, promises): the guard is the
 * functions' own code, so nothing may act for it. esbuild's helpers at the bundle's
 * start (`__defProp = Object.defineProperty`...) are known, and only give the modules' own functions as getters.
 */
export function targetWindow(ast: any, manager: any, comments: readonly any[]): { edits: Edit[]; untraced: Set<any> } | undefined {
  const statements = topLevel(ast);
  const call = targetsCall(statements);
  const definition = definitionModule(statements, comments);
  if (!call || !definition) return undefined;
  const untraced = new Set<any>(definition);
  // esbuild's helpers: the `var __name = …` statements the bundle starts with, before its first module's comment.
  const firstModule = comments.find((c) => c.type === 'Line')?.start ?? Infinity;
  let prelude = 0;
  for (const s of statements) {
    if (s.end > firstModule || s.type !== 'VariableDeclaration' || !s.declarations.every((d: any) => d.id.type === 'Identifier' && d.id.name.startsWith('__'))) break;
    prelude = s.end;
  }
  let unsafe = false;
  const globals = new Set<any>();
  for (const ref of manager.globalScope.through) if (CHANGING_GLOBALS.has(ref.identifier.name)) globals.add(ref.identifier);
  const info = new Map<any, FnInfo>();
  const infoOf = (fn: any): FnInfo => {
    let i = info.get(fn);
    if (!i) info.set(fn, (i = { impure: false, writesInto: new Set() }));
    return i;
  };

  // Writes to variables, by eslint-scope's resolution.
  const flags = new Map<any, string>();
  for (const scope of manager.scopes) {
    for (const ref of scope.references) {
      if (!ref.isWrite()) continue;
      const from = ref.from.variableScope;
      const writer = infoOf(from.block);
      const declared = ref.resolved?.scope.variableScope;
      if (declared === from) continue;
      const g = declared?.block;
      if (!declared || declared.type !== 'function' || (g.type === 'ArrowFunctionExpression' && g.body.type !== 'BlockStatement')) {
        writer.impure = true;
      } else {
        writer.writesInto.add(g);
        if (!flags.has(g)) flags.set(g, `__chtA${flags.size}`);
      }
    }
  }

  // Writes to properties, built-ins that change things, code run elsewhere.
  const impure = (fn: any): void => {
    infoOf(fn).impure = true;
  };
  const writesProperty = (target: any, fn: any): void => assignedMembers(target, () => impure(fn));
  const visit = (node: any, fn: any, parent: any): void => {
    if (!node || typeof node.type !== 'string' || untraced.has(node)) return;
    let inner = fn;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        inner = node;
        infoOf(node);
        if (node.async || node.generator) unsafe = true;
        break;
      case 'AssignmentExpression':
        writesProperty(node.left, fn);
        break;
      case 'UpdateExpression':
        writesProperty(node.argument, fn);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type !== 'VariableDeclaration') writesProperty(node.left, fn);
        break;
      case 'UnaryExpression':
        if (node.operator === 'delete') impure(fn);
        break;
      case 'WithStatement':
      case 'ImportExpression':
        impure(fn);
        break;
      case 'CallExpression':
      case 'NewExpression': {
        const callee = node.callee.type === 'MemberExpression' ? node.callee : undefined;
        if (callee && callee.computed && propertyName(callee) === undefined) impure(fn);
        const name = callee && propertyName(callee);
        if (name === 'bind' || name === 'constructor') unsafe = true;
        // An iterator (a Map's entries...) is consumed by whatever loops over it, without a name saying so.
        if ((name === 'entries' || name === 'values' || name === 'keys') && !(callee.object.type === 'Identifier' && callee.object.name === 'Object')) unsafe = true;
        if (name !== undefined && node.arguments.length >= (WITH_THIS.get(name) ?? Infinity)) impure(fn);
        break;
      }
      case 'TaggedTemplateExpression':
        if (node.tag.type === 'MemberExpression' && node.tag.computed && propertyName(node.tag) === undefined) impure(fn);
        break;
      case 'MemberExpression': {
        const name = propertyName(node);
        // Iterators made by hand; the state every regular expression's match leaves in RegExp.$1, lastMatch...
        const of = node.object.type === 'Identifier' ? node.object.name : undefined;
        if ((of === 'Symbol' && (name === 'iterator' || name === 'asyncIterator')) ||
          (of === 'RegExp' && name !== undefined && /^(\$.*|lastMatch|lastParen|leftContext|rightContext|input)$/.test(name))) unsafe = true;
        if (name !== undefined && (CHANGING.has(name) || /^set[A-Z]/.test(name))) {
          const called = parent?.type === 'CallExpression' && parent.callee === node;
          const harmless = called && ((WITH_LITERAL_ARGUMENT.has(name) && isLiteral(parent.arguments[0])) ||
            (ON_LITERAL_RECEIVER.has(name) && node.object.type === 'Literal' && node.object.regex !== undefined));
          if (!harmless) impure(fn);
          // The built-in's function as a value: it could be called anywhere, on anything.
          if (!called && !isWritten(node, parent) && node.start >= prelude) unsafe = true;
        }
        if (!node.computed) {
          visit(node.object, fn, node);
          return;
        }
        break;
      }
      case 'Property':
        if (parent?.type === 'ObjectPattern') node.value.patternTarget = true;
        if (parent?.type === 'ObjectPattern' && !node.computed) {
          const key = node.key.type === 'Identifier' ? node.key.name : String(node.key.value);
          if (CHANGING.has(key) || /^set[A-Z]/.test(key)) unsafe = true;
        }
        if (!node.computed) {
          visit(node.value, fn, node);
          return;
        }
        break;
      case 'MethodDefinition':
        if (!node.computed) {
          visit(node.value, fn, node);
          return;
        }
        break;
      case 'Identifier':
        // (Asking whether it exists, or whether a value is one, does nothing: `typeof Proxy`, `x instanceof Function`.)
        if (globals.has(node) && node.start >= prelude && parent?.operator !== 'typeof' && !(parent?.operator === 'instanceof' && parent.right === node)) unsafe = true;
        return;
      default:
        break;
    }
    forEachChild(node, (child) => visit(child, inner, node));
  };
  visit(ast, ast, undefined);
  if (unsafe) return undefined;

  const edits: Edit[] = [];
  for (const [fn, i] of info) {
    if (fn === ast || untraced.has(fn) || !isFunction(fn)) continue;
    let text = flags.has(fn) ? `var ${flags.get(fn)}=${W}.on;` : '';
    if (i.impure) text += HIT;
    else for (const g of i.writesInto) text += `${W}.on&&!${flags.get(g)}&&(${W}.hit=true);`;
    if (text) edits.push(...entryEdits(fn, text));
  }
  // (The rules' top level writes nothing the window could change: it runs before it, once.)
  const prepare = definition[0];
  edits.push(
    { start: prepare.body.start + 1, end: prepare.body.start + 1, text: `var __chtO=${W}.shut();try{`, kind: 1, depth: -1 },
    { start: prepare.body.end - 1, end: prepare.body.end - 1, text: `}finally{${W}.reopen(__chtO)}`, kind: 0, depth: -1 },
    { start: call.start, end: call.start, text: `${W}.open();`, kind: 1, depth: -1 },
    { start: call.end, end: call.end, text: `${W}.close();`, kind: 0, depth: -1 },
  );
  return { edits, untraced };
}

/** Thrown by the window's close when the targets run alone: what follows (the tasks) is not run. */
export const TARGETS_DONE = Symbol('the targets ran alone');

/**
 * The window at run time (the instrumented rules' WINDOW_HELPER), for one evaluation at a time: whether it is
 * open, whether an impure function ran while it was, and where in the trace's decisions it was open.
 */
export class TargetWindow {
  on = false;
  hit = false;
  private alone = false;
  private decisions: readonly unknown[] = [];
  /** Boundaries, in the trace's decisions, of the stretches the window was open: open, shut, open, shut... */
  private readonly marks: number[] = [];

  /** For an evaluation whose decisions go to `decisions`; `alone`: the targets alone (close throws TARGETS_DONE). */
  start(decisions: readonly unknown[], alone: boolean): void {
    this.decisions = decisions;
    this.alone = alone;
    this.on = false;
    this.hit = false;
    this.marks.length = 0;
  }

  open(): void {
    this.on = true;
    this.marks.push(this.decisions.length);
  }

  close(): void {
    this.on = false;
    this.marks.push(this.decisions.length);
    if (this.alone) throw TARGETS_DONE;
  }

  /** Shuts the window for code run the same way on every day (the definitions' preparation); true if it was open. */
  shut(): boolean {
    if (!this.on) return false;
    this.on = false;
    this.marks.push(this.decisions.length);
    return true;
  }

  reopen(was: boolean): void {
    if (was) this.open();
  }

  /** The window opened and closed, and nothing impure ran while it was open. */
  get clean(): boolean {
    return !this.hit && !this.on && this.marks.length >= 2;
  }

  /** The trace's decisions taken with the window open. */
  inside<T>(decisions: readonly T[]): T[] {
    const out: T[] = [];
    for (let m = 0; m + 1 < this.marks.length; m += 2) {
      for (let i = this.marks[m]!; i < this.marks[m + 1]!; i++) out.push(decisions[i]!);
    }
    return out;
  }
}
