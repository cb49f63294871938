import { parse } from 'acorn';
import { analyze } from 'eslint-scope';
import { describe, expect, it } from 'vitest';
import { cleanIdentifiers } from '../../../src/simulate/fast/trace-clean.js';
import { instrument } from '../../../src/simulate/fast/trace-transform.js';

/** Names of the clean identifier references in `code` (each name once). */
function cleanNames(code: string): string[] {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, ranges: true });
  return [...new Set([...cleanIdentifiers(ast, analyze(ast as never, { ecmaVersion: 2022, sourceType: 'script' }))].map((id: { name: string }) => id.name))].sort();
}

describe('statically clean operands (never clock-derived)', () => {
  it('finds loop counters and bounds', () => {
    expect(cleanNames('function f(a) { for (let i = 0, n = a.length; i < n; i++) g(a[i]); var j = 0; while (j < 3) j += 1; }')).toEqual(['i', 'j', 'n']);
    expect(cleanNames('function f(a) { let k; k = 5; k--; return a[k]; }')).toEqual(['k']);
  });

  it('leaves anything that may hold another value', () => {
    const dirty = [
      'function f(i) { return a[i]; }',
      'function f() { var i = now(); return a[i]; }',
      'function f() { var i = 0; i = i + step; return a[i]; }',
      'function f() { var i = 0; i += step; return a[i]; }',
      'function f() { for (var i in o) g(o[i]); }',
      'function f() { var i = 0; [i] = [now()]; return i; }',
      'function f() { var { i } = o; return i; }',
      'function f() { var i = 0; function i() {} return i; }',
      'var i = 0; function f() { return a[i]; }',
      'function f() { var i = 0; eval("i = now()"); return a[i]; }',
      'function f() { var i = 0; with (o) { i = 1; } return a[i]; }',
    ];
    for (const code of dirty) expect(cleanNames(code), code).toEqual([]);
  });

  it('keeps clean operands out of the helpers', () => {
    const out = instrument('function f(a, k) { for (let i = 0; i < a.length; i++) { if (a[i] > 1 && a[k] < -2 && typeof k === "number") return -1; } return k - 1; }');
    // (Member reads go through __chtM, for strings the clock made; a length is clean all the same.)
    expect(out).toContain("i < (typeof a === 'string' ? __chtM(a, 'length') : a.length)");
    expect(out).toContain('typeof k === "number"');
    expect(out).toContain('__chtM(a,__chtK((k)))');
    expect(out).toContain("__chtC(1,(typeof a === 'string' ? __chtM(a, i) : a[i]) , 1,2)");
    expect(out).toContain('return -1');
    expect(out).toContain('__chtA(1,k , 1,2)');
  });
});
