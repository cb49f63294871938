import { describe, expect, it } from 'vitest';
import { compileContextExpression, ContextExpressionError, contextAllows } from '../../../src/simulate/engine/context-expression.js';

const user = { _id: 'u1', role: 'chw', count: 3, parent: { _id: 'hc', type: 'health_center', contact: { name: 'Ann' } }, tags: ['a', 'b'], zero: 0, name: 'Joy' };
const evaluate = (expression: string, u: unknown = user) => compileContextExpression(expression)!({ user: u });

describe('target context expressions (the webapp\'s Angular-expression compiler)', () => {
  it('reads properties; a missing one is undefined, never an exception', () => {
    expect(evaluate("user.role === 'chw'")).toBe(true);
    expect(evaluate('user.parent.contact.name')).toBe('Ann');
    expect(evaluate('user.nope.deeper.still')).toBeUndefined();
    expect(evaluate('user.zero.deeper')).toBe(0);
    expect(evaluate('missing')).toBeUndefined();
    expect(evaluate("user.role === 'chw'", null)).toBe(false);
  });

  it('supports logic, comparison, ternaries, literals, calls on the scope', () => {
    expect(evaluate("user.role === 'chw' && user.parent.type === 'health_center'")).toBe(true);
    expect(evaluate("!user.inactive")).toBe(true);
    expect(evaluate('user.count >= 3 ? "many" : "few"')).toBe('many');
    expect(evaluate("['chw', 'nurse'].indexOf(user.role) !== -1")).toBe(true);
    expect(evaluate("user.tags.indexOf('b')")).toBe(1);
    expect(evaluate("user.name.toUpperCase() === 'JOY'")).toBe(true);
    expect(evaluate('{a: 1, b: user.count}.b')).toBe(3);
    expect(evaluate('user.count * 2 % 4')).toBe(2);
    expect(evaluate('user.missing ?? "x"')).toBe('x');
    expect(evaluate('-user.count')).toBe(-3);
    expect(evaluate('+user.missing')).toBe(0);
  });

  it('treats undefined operands of + and - specially (undefined + x is x)', () => {
    expect(evaluate('user.missing + 2')).toBe(2);
    expect(evaluate("user.missing + 'x'")).toBe('x');
    expect(evaluate('user.missing - 2')).toBe(-2);
  });

  it('evaluates both sides of && and || (no short-circuit); `?.` gives undefined', () => {
    expect(evaluate('user.parent?.type')).toBeUndefined();
    expect(evaluate("user.parent?.type === 'health_center'")).toBe(false);
    expect(evaluate('user.tags[0]')).toBe('a');
  });

  it('does not compile what the webapp cannot compile', () => {
    expect(() => compileContextExpression("user['role']")).toThrow(SyntaxError);
    expect(() => compileContextExpression('user.role = 1')).toThrow(ContextExpressionError);
    expect(() => compileContextExpression('user.role; 1')).toThrow(ContextExpressionError);
    expect(() => compileContextExpression('user.role ===')).toThrow(ContextExpressionError);
    expect(() => compileContextExpression('!true')).toThrow(SyntaxError);
  });

  it('pipes give undefined (the webapp\'s pipes are not available)', () => {
    expect(evaluate("user.role | translate")).toBeUndefined();
  });

  it('keeps a target with no context; hides one whose context is not a non-blank string', () => {
    expect(contextAllows(undefined, user)).toBe(true);
    expect(contextAllows('', user)).toBe(true);
    expect(contextAllows('   ', user)).toBe(false);
    expect(contextAllows(5, user)).toBe(false);
    expect(contextAllows("user.role === 'nurse'", user)).toBe(false);
  });
});
