/* eslint-disable @typescript-eslint/no-explicit-any -- operands are anything the rules compute */
import { ARITH_OPS, COMPARE_OPS, UNARY_OPS } from './trace-transform.js';

/*
 * The operators as JavaScript computes them, for the helpers the instrumented rules call (tracer.ts) and for the
 * replays of recorded expressions (trace-runtime.ts, trace-validity.ts): both must give exactly what the code
 * would. Indexed as trace-transform.ts numbers the operators.
 */

export const COMPARE: ((a: any, b: any) => boolean)[] = [
  (a, b) => a < b, (a, b) => a > b, (a, b) => a <= b, (a, b) => a >= b,
  (a, b) => a == b, (a, b) => a != b, (a, b) => a === b, (a, b) => a !== b, (a, b) => a in b,
];
export const ARITH: ((a: any, b: any) => any)[] = [
  (a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a % b, (a, b) => a ** b,
  (a, b) => a | b, (a, b) => a & b, (a, b) => a ^ b, (a, b) => a << b, (a, b) => a >> b, (a, b) => a >>> b,
];
export const UNARY: ((a: any) => any)[] = [(a) => -a, (a) => +a, (a) => ~a];

if (COMPARE.length !== COMPARE_OPS.length || ARITH.length !== ARITH_OPS.length || UNARY.length !== UNARY_OPS.length) {
  throw new Error('trace operator tables out of sync');
}

function isObject(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

/**
 * An object as an operator converts it (ECMAScript ToPrimitive: Symbol.toPrimitive, else valueOf and toString
 * in the hint's order), one function per hint so that replays call the same one.
 */
export const TO_PRIMITIVE: Record<'number' | 'default', (v: any) => unknown> = {
  number: (v) => toPrimitive(v, 'number'),
  default: (v) => toPrimitive(v, 'default'),
};

/** ECMAScript ToPrimitive (the `string` hint tries toString first). */
export function toPrimitive(v: any, hint: 'number' | 'default' | 'string'): unknown {
  if (!isObject(v)) return v;
  const exotic = (v as any)[Symbol.toPrimitive];
  if (exotic !== undefined && exotic !== null) {
    const r = exotic.call(v, hint);
    if (isObject(r)) throw new TypeError('Cannot convert object to primitive value');
    return r;
  }
  for (const name of hint === 'string' ? ['toString', 'valueOf'] : ['valueOf', 'toString']) {
    const method = (v as any)[name];
    if (typeof method === 'function') {
      const r = method.call(v);
      if (!isObject(r)) return r;
    }
  }
  throw new TypeError('Cannot convert object to primitive value');
}

export function truthyOf(v: unknown): string {
  return `${typeof v}:${v ? 'true' : 'false'}`;
}
