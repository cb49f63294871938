import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HELPERS, instrument, LIBRARY_HELPER } from '../../../src/simulate/fast/trace-transform.js';
import { SymTable } from '../../../src/simulate/fast/trace-runtime.js';
import { ARITH, COMPARE, UNARY } from '../../../src/simulate/fast/trace-operators.js';
import { HELPER_FUNCTIONS, Trace, traced } from '../../../src/simulate/fast/tracer.js';

/** Helpers that only compute (no tracing): instrumented code must give what the original gives. */
const plain = [
  (k: number, a: unknown, b: unknown) => COMPARE[k]!(a, b),
  (k: number, a: unknown, b: unknown) => ARITH[k]!(a, b),
  (k: number, a: unknown) => UNARY[k]!(a),
  (x: unknown) => x,
  (x: unknown) => x,
  (x: unknown) => x,
  (old: unknown) => +(old as number),
  (o: Record<PropertyKey, unknown>, k: PropertyKey) => o[k],
];

function run(code: string): unknown {
  return vm.compileFunction(code, [...HELPERS])(...plain);
}

describe('clock-tracing instrumentation', () => {
  const programs = [
    'var a = 5, b = "5"; return [a < b, a == b, a === b, a + b, a - b, -a, +b, ~a, a ** 2, a % 3, a | 1, a >>> 1, "x" in { x: 1 }];',
    'var x = 1; x += 2; x *= 3; x -= 1; var o = { p: 2 }; o.p **= 3; o.p <<= 1; return [x, o.p];',
    'var i = 0, s = 0; for (; i < 10; i++) { s = s + i * 2 - (i % 2 ? 1 : 0); } return s;',
    'var d = new Date(2024, 0, 31); d.setDate(d.getDate() + 1); return [d - new Date(2024, 0, 1), d > 0, d + 1];',
    'var k = "b", o = { a: 1, b: 2 }; switch (k) { case "a": return 0; default: return o[k] + `${k}-${o[k]}`; }',
    'function f(){if(1<2)return-1;else return+3}return[f(),typeof-1,void-1,!-0,- -2,(1,2)<3,(1)<(2)/* < */]',
    'var o = { a: 1, b: 2 }, n = 0; switch (n++, "b") { case "b": return [o[(n, "a")], `${(n, 5)}`, o[n++, "b"]]; } return 0;',
    'var r = []; for (var x of [3, 1, 2]) r.push(x > 1 && x < 3 ? x : -x); return r.join(",") + (1 < 2 < 3) + (3 > 2 > 1);',
    // Increments and decrements of variables and properties, prefix and postfix, of numbers, strings, null.
    'var a = 5, b = "7", c = null, o = { p: 1.5 }, r = []; r.push(a++, ++a, b--, --b, c++, o.p++, --o.p, a, b, c, o.p); for (var i = 0; i < 3; i++) a--; return r.concat([a, -a++, typeof b--]);',
    'var n = 3, s = ""; while (n) { s += n-- ? (n && "a") || "b" : "c"; } do { n++; } while (!(n - 2)); for (var i = 5; i - 1;) i -= 1; return [s, n, i, !n, !!"", (0 || null) ?? 4];',
    // Member reads (characters, lengths, nested, of calls' results) next to what must stay a member: written,
    // destructured, deleted, called (with its `this`), tagged, in optional chains, iterated into.
    'var s = "2024-03-10", a = [[1, 2], [3]], o = { f: function () { return this.v; }, v: 7, g: [] }; var r = [s[9], s.length, s [ 0 ] /* ] */, a[0][1], a[1].length, "xy"[1], (s)[2], s.slice(1)[0], [s][0].length, a.length < 3, o["f"](), o.g.length];' +
      ' a[0][0] = 5; a[1].length = 0; o.g[o.g.length] = 1; o.v++; --o["v"]; [a[2], o.w] = [9, 8]; ({ x: o.y, ...o.z } = { x: 1, q: 2 }); delete o.w; for (o.k in { m: 1 }); for (a[3] of [4]);' +
      ' var t = { tag: function (q) { return this === t && q[0]; } }; var n = null; return r.concat([a, o.v, o.y, o.z, o.k, t.tag`hi`, t["tag"]`yo`, n?.[0], n?.a.length, o?.g[0], s?.length, (n?.x)?.length]);',
  ];
  it('computes exactly what the original code computes', () => {
    for (const p of programs) {
      expect(run(instrument(p)), p).toEqual(vm.compileFunction(p)());
    }
  });

  it('keeps minified keyword-adjacent code valid', () => {
    const minified = 'function g(a){if(a)return-a;else-1;return!a}return g(2)+g(0)';
    expect(run(instrument(minified))).toEqual(vm.compileFunction(minified)());
  });

  it('leaves a pure library\'s bundled module as it is, between the membrane\'s load and loaded', () => {
    // esbuild's CommonJS wrapper, as chtkit bundles `require('luxon')` (and another module, instrumented).
    const luxonBody = 'exports.next = function (a) { return a < 2 ? a + 1 : a * 2; };';
    const bundle = `var __commonJS = (cb, mod) => function () { return mod || (0, cb[Object.keys(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports; };
var require_luxon = __commonJS({ "../node_modules/luxon/build/node/luxon.js"(exports) { "use strict"; ${luxonBody} } });
var require_other = __commonJS({ "../node_modules/other/index.js"(exports) { exports.small = function (a) { return a < 2; }; } });
return [require_luxon().next(1), require_luxon().next(5), require_other().small(1)];`;
    const code = instrument(bundle);
    // (After the directives: the module stays in strict mode.)
    expect(code).toContain(`{ "use strict";if(${LIBRARY_HELPER}.load("luxon",arguments[1]))return;try{ ${luxonBody} }finally{${LIBRARY_HELPER}.loaded("luxon",arguments[1])}`);
    expect(code).toMatch(/return __chtC\(0,a\s*,\s*2,2\)/);
    const calls: string[] = [];
    const membrane = {
      load: (name: string) => { calls.push(`load ${name}`); return false; },
      loaded: (name: string, module: { exports: unknown }) => { calls.push(`loaded ${name} ${typeof module.exports}`); },
    };
    expect(vm.compileFunction(code, [...HELPERS, LIBRARY_HELPER])(...plain, membrane)).toEqual(vm.compileFunction(bundle)());
    expect(calls).toEqual(['load luxon', 'loaded luxon object']);
  });
});

describe('member reads on a string the clock made, with the tracer\'s helpers', () => {
  // Today as the phone's locale writes it ("1/7/2024" on 2024-01-07: 8 characters, 9 from the 10th), as
  // `new Date().toLocaleDateString('en-US')` gives it. (Strings under 8 characters are pinned where they arise.)
  const table = new SymTable();
  const today = table.dateGet('toLocaleDateString', table.date(table.now), [table.constant('en-US')]);
  const at = (day: number) => new Date(2024, 0, day, 12).getTime();
  const runTraced = (code: string) => {
    const t = new Trace(table);
    const value = new Date(at(7)).toLocaleDateString('en-US');
    t.register(value, [today]);
    const result = traced(t, () => vm.compileFunction(instrument(code), [...HELPERS, 's'])(...HELPER_FUNCTIONS, value));
    return { t, result };
  };

  it('records its length as a decision, not as a value of its own', () => {
    const { t, result } = runTraced('return s.length > 8;');
    expect(result).toBe(false);
    // (One for each of the string's candidates: the clock's, and the value itself, whose length never changes.)
    expect(t.predicates.every((p) => p.result === 8)).toBe(true);
    expect(t.predicates.map((p) => [table.replay(p.a, at(9)), table.replay(p.a, at(10))])).toContainEqual([8, 9]);
    expect(t.symsOf(8)).toBeUndefined();
  });

  it('follows a character read by index', () => {
    const { t, result } = runTraced('return s[2] + s[3];');
    expect(result).toBe('7/');
    // (A one-character string is pinned: the evaluation holds while it comes out the same.)
    const pinned = t.predicates.map((p) => table.replay(p.a, at(10)));
    expect(pinned).toEqual(expect.arrayContaining(['1', '0']));
  });
});

describe('the tracer\'s helpers, with a trace active or none', () => {
  it('run an object\'s valueOf once for a postfix step, as the operator does', () => {
    const code = 'var n = 0, o = { valueOf: function () { n++; return 5; } }, x = o, y = x++, p = { q: o }, z = p.q--; return [n, y, x, z, p.q];';
    expect(vm.compileFunction(instrument(code), [...HELPERS])(...HELPER_FUNCTIONS)).toEqual(vm.compileFunction(code)());
    expect(vm.compileFunction(code)()).toEqual([2, 5, 6, 5, 4]);
    // And with a trace active (the helpers then convert such an object themselves).
    const t = new Trace(new SymTable());
    expect(traced(t, () => vm.compileFunction(instrument(code), [...HELPERS])(...HELPER_FUNCTIONS))).toEqual([2, 5, 6, 5, 4]);
  });

  it('never take a step\'s old value from an earlier conversion of the same object', () => {
    // Untraced, `d - 1` converts the Date itself; traced, a Date is left to the tracing (not converted by the
    // helper), and the step must read its value as it is now.
    const d = new Date(1000);
    expect(vm.compileFunction(instrument('return d - 1;'), [...HELPERS, 'd'])(...HELPER_FUNCTIONS, d)).toBe(999);
    d.setTime(5000);
    const step = vm.compileFunction(instrument('var x = d; var old = x++; return [old, x];'), [...HELPERS, 'd']);
    expect(traced(new Trace(new SymTable()), () => step(...HELPER_FUNCTIONS, d))).toEqual([5000, 5001]);
  });
});
