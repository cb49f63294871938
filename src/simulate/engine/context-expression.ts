/**
 * Target `context` expressions, evaluated as the CHT 4.x webapp does before it hands the targets to the rules
 * engine: the expression is parsed as an Angular (17) binding expression and compiled to JavaScript by the
 * webapp's ParseProvider, then called with `{ user }` (the user's hydrated contact). The webapp keeps a target
 * only when the result is truthy.
 *
 * The compilation scheme is reproduced here because its quirks decide the result:
 * - a property read is `receiver && receiver.name`, so a missing property gives undefined (or the falsy receiver),
 *   never an exception;
 * - every operand is evaluated eagerly, in statements, before the operator (no short-circuit of `&&`/`||`);
 * - `?.` reads, `!`-assertions and keyed reads with string keys are not understood by the compiler
 *   (safe reads give undefined; `a['b']` does not compile);
 * - `a + b` / `a - b` treat undefined operands specially; pipes (`| name`) give undefined here (the webapp's
 *   pipes are not available).
 */

import { lex, Parser, type Node } from './context-parser.js';

export { ContextExpressionError } from './context-parser.js';

/** The webapp's code generation scheme: every sub-expression becomes a numbered variable and a statement. */
class Compiler {
  private readonly declarations: string[] = [];
  private readonly stmts: string[] = [];
  private current: string[] = this.stmts;
  private vIdx = 0;
  readonly pipes: string[] = [];

  private createVar(): string {
    const v = `v${this.vIdx++}`;
    this.declarations.push(v);
    return v;
  }

  private build(ast: Node | undefined, into?: string[]): unknown {
    this.current = into ?? this.stmts;
    if (!ast) return undefined;
    switch (ast.k) {
      case 'implicit':
        return 'ctx';
      case 'lit':
        return literal(ast.value);
      case 'array': {
        const stmts = this.current;
        const items = ast.items.map((item) => this.build(item));
        const v = this.createVar();
        stmts.push(`${v}=[${items.join(',')}]`);
        return v;
      }
      case 'map': {
        const stmts = this.current;
        const values = ast.values.map((value) => this.build(value));
        const v = this.createVar();
        stmts.push(`${v}={${ast.keys.map((k, i) => `${k.key}:${String(values[i])}`).join(',')}}`);
        return v;
      }
      case 'prop': {
        // The compiler has no case for safe reads: they produce no variable, which reads as `undefined`.
        if (ast.safe) return undefined;
        const stmts = this.current;
        const r = this.build(ast.receiver);
        const v = this.createVar();
        stmts.push(`${v}=${String(r)}&&${String(r)}.${ast.name}`);
        return v;
      }
      case 'keyed': {
        if (ast.safe) return undefined;
        const stmts = this.current;
        const key = this.build(ast.key);
        const object = this.build(ast.receiver);
        const v = this.createVar();
        stmts.push(`${v}=${String(object)}["${String(key)}"]`);
        return v;
      }
      case 'call': {
        if (ast.safe) return undefined;
        const stmts = this.current;
        const args = ast.args.map((arg) => this.build(arg));
        // The compiler reads `receiver.name` and `receiver.receiver` whatever the callee node is.
        const callee = ast.receiver;
        const name = callee.k === 'prop' ? callee.name : undefined;
        const receiver = this.build(callee.k === 'prop' || callee.k === 'keyed' || callee.k === 'call' ? callee.receiver : undefined);
        const v = this.createVar();
        const fn = `${String(receiver)}.${String(name)}`;
        stmts.push(`${v}=${String(receiver)}&&${fn}&&${fn}(${args.join(',')})`);
        return v;
      }
      case 'not': {
        const stmts = this.current;
        const r = this.build(ast.expr);
        stmts.push(`${String(r)}=!${String(r)}`);
        return r;
      }
      case 'unary': {
        if (ast.expr.k === 'lit') {
          const value = literal(ast.expr.value);
          if (ast.op === '-') return typeof value === 'string' ? `-${value}` : (value as number) * -1;
          return value;
        }
        // Angular's Unary is a Binary: `-x` is `0 - x`, `+x` is `x - 0`.
        const zero: Node = { k: 'lit', value: 0 };
        return this.build(ast.op === '-'
          ? { k: 'binary', op: '-', left: zero, right: ast.expr }
          : { k: 'binary', op: '-', left: ast.expr, right: zero }, this.current);
      }
      case 'binary': {
        const stmts = this.current;
        const l = this.build(ast.left);
        const r = this.build(ast.right);
        const v = this.createVar();
        if (ast.op === '+' || ast.op === '-') {
          stmts.push(`${v}=${ast.op === '+' ? '_plus' : '_minus'}(${String(l)},${String(r)})`);
        } else stmts.push(`${v}=${String(l)}${ast.op}${String(r)}`);
        return v;
      }
      case 'cond': {
        const stmts = this.current;
        const condition = this.build(ast.cond);
        const v = this.createVar();
        const yesStmts: string[] = [];
        const noStmts: string[] = [];
        const yes = this.build(ast.yes, yesStmts);
        const no = this.build(ast.no, noStmts);
        stmts.push(
          [`if(${String(condition)}){`, yesStmts.join(';'), `${v}=${String(yes)};`, '}else{', noStmts.join(';'), `${v}=${String(no)};`, '}'].join(' '),
        );
        return v;
      }
      case 'pipe': {
        const stmts = this.current;
        const t = this.createVar();
        const argStmts: string[] = [];
        const exp = this.build(ast.exp);
        const args = ast.args.map((arg) => this.build(arg, argStmts));
        const p = `_p${this.pipes.length}`;
        this.pipes.push(p);
        stmts.push(`${argStmts.length ? `${argStmts.join(';')};` : ''}${t}=${p}.transform(${[exp, ...args].join(',')})`);
        return t;
      }
      case 'nonNull':
        return undefined;
    }
  }

  compile(ast: Node): (ctx: unknown) => unknown {
    const v0 = this.createVar();
    this.stmts.push(`${v0}=Object.assign({}, locals || {})`, `ctx=Object.setPrototypeOf(${v0}, ctx || {})`);
    const result = this.build(ast);
    this.stmts.push(`return ${String(result)};`);
    const body = `"use strict";\nvar ${this.declarations.join(',')};\n${this.stmts.join(';')}`;
    const args = ['_plus', '_minus', '_isDef', 'getPPVal', '_ppc', ...this.pipes, 'ctx', 'locals'];
    const fn = new Function(...args, body) as (...a: unknown[]) => unknown;
    const nullPipe = { transform: () => undefined };
    const pipes = this.pipes.map(() => nullPipe);
    return (ctx) => fn(plus, minus, isDef, undefined, undefined, ...pipes, ctx, undefined);
  }
}

function literal(value: string | number | boolean | null | undefined): unknown {
  return typeof value === 'string' ? `"${value}"` : value;
}

function plus(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (a as number) + (b as number);
}

function minus(a: unknown, b: unknown): number {
  return ((a === undefined ? 0 : a) as number) - ((b === undefined ? 0 : b) as number);
}

function isDef(v: unknown): boolean {
  return v !== undefined;
}

const cache = new Map<string, ((ctx: unknown) => unknown) | undefined>();

/**
 * Compiles a context expression the webapp's way. Not a string or blank → undefined (the webapp's no-op,
 * which is falsy). Throws ContextExpressionError (syntax) or SyntaxError (the generated code does not compile).
 */
export function compileContextExpression(expression: unknown): ((ctx: unknown) => unknown) | undefined {
  if (typeof expression !== 'string' || !expression.trim()) return undefined;
  const text = expression.trim();
  if (cache.has(text)) return cache.get(text);
  const ast = new Parser(lex(text)).parseBinding();
  const fn = new Compiler().compile(ast);
  cache.set(text, fn);
  return fn;
}

/** Whether the webapp keeps a target with this `context` for this user. */
export function contextAllows(expression: unknown, user: unknown): boolean {
  if (!expression) return true;
  const fn = compileContextExpression(expression);
  return fn ? !!fn({ user }) : false;
}
