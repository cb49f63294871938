import { appendFileSync, writeFileSync } from 'node:fs';
import vm from 'node:vm';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentRules } from '../../../src/simulate/fast/trace-transform.js';
import { TracingEngine } from '../../../src/simulate/fast/trace-engine.js';
import { startTracing } from '../../../src/simulate/fast/tracer.js';
import { daysBetween, localTimestamp, withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { prepareSimulation, userForDay } from '../../../src/simulate/engine/simulation.js';
import { loadDryRun, dryRunTasks } from '../../../src/simulate/index.js';
import { cleanupTemps, fixture, tempCopy } from '../../helpers/cli.js';
import { evenMeter, withMeter } from './meter.js';

/** A bundle shaped as chtkit's (src/bundle/rules.ts): esbuild's IIFE, the definition module, the entry. */
function bundle(userCode: string): string {
  return `(() => {
  // user.js
  ${userCode}
  // ../../dist/bundle/runtime/definition.js
  function prepareDefinition(definition) {
    const context = {};
    bindFunctions(definition, context);
    context.definition = copyDefinition(definition);
  }
  function bindFunctions(obj, context) { for (const key of Object.keys(obj)) { const value = obj[key]; if (typeof value === "function") obj[key] = value.bind(context); } }
  function copyDefinition(obj) { return Object.assign({}, obj); }
  function emitTargets(definitions, c2, Utils2, Target2, emit2) { for (const d of definitions) { prepareDefinition(d); d.appliesIf(c2); } }
  function emitTasks(definitions, c2, Utils2, Task2, emit2) { for (const d of definitions) prepareDefinition(d); }

  // <tasks.rules>
  var tasks = [];
  var targets = [];
  emitTargets(targets, c, Utils, Target, emit);
  emitTasks(tasks, c, Utils, Task, emit);
  emit("_complete", { _id: true });
})();`;
}

/** The entry checks the instrumented code gives each named function of `userCode`. */
function checks(userCode: string): Record<string, string> {
  const { code, windowed } = instrumentRules(bundle(userCode));
  expect(windowed).toBe(true);
  const out: Record<string, string> = {};
  for (const m of code.matchAll(/function\*? ?(\w+)\([^)]*\) \{((?:var __chtA\d+=__chtW\.on;|__chtW\.on&&[^;]*;)*)/g)) out[m[1]!] = m[2]!;
  return out;
}

describe('the targets\' window: what could leave something behind for the tasks', () => {
  it('finds the window in chtkit\'s bundle only', () => {
    const { code, windowed } = instrumentRules(bundle(''));
    expect(windowed).toBe(true);
    expect(code).toContain('__chtW.open();emitTargets(targets, c, Utils, Target, emit);__chtW.close();');
    // The definitions' preparation runs with the window shut, and is not instrumented.
    expect(code).toContain('function prepareDefinition(definition) {var __chtO=__chtW.shut();try{');
    expect(code).toContain('const value = obj[key];');
    // cht-conf's own output, or rules without the definition module: no window.
    expect(instrumentRules(bundle('').replace('// ../../dist/bundle/runtime/definition.js', '')).windowed).toBe(false);
    expect(instrumentRules('emitTargets(targets, c, Utils, Target, emit);').windowed).toBe(false);
    expect(instrumentRules(bundle(''), false).code).not.toContain('__chtW');
  });

  it('marks every kind of write to what existed before, and leaves reads and the function\'s own variables alone', () => {
    const found = checks(`
  var cache = {}; var count = 0; var RE = /a/g;
  function reads(c) { var n = 0; let s = ''; for (const r of c.reports) { n++; s += r.form; } return c.reports.filter((r) => r.x > n).length + s.split('.').length + 'a-b'.replace(/-/g, '') + /x/g.test(s); }
  function property(o) { o.x = 1; }
  function computed(o, k) { o[k] = 1; }
  function increment(o) { o.n++; }
  function removes(o) { delete o.x; }
  function destructures(o) { [o.a] = [1]; }
  function forIn(o) { for (o.k in { a: 1 }) ; }
  function topLevel() { count = 1; }
  function global() { undeclared = 1; }
  function sorts(c) { return c.reports.sort(); }
  function pushes(a) { a.push(1); }
  function assigns(a) { return Object.assign(a, { x: 1 }); }
  function setsDate(d) { d.setDate(1); }
  function regex(s) { return RE.test(s); }
  function replaces(s, re) { return s.replace(re, ''); }
  function calls(o, k) { return o[k](); }
  function applies(f) { return f.apply(null, []); }
  function withThis(list, f, o) { return list.forEach(f, o); }
  function random() { return Math.random(); }
  function iterates(it) { return it.next(); }
  function outer() { var mine = 0; [1].forEach(function inner() { mine++; }); return mine; }
  function memo() { var state = 0; return function bump() { state = state + 1; return state; }; }
  const arrow = (x) => (y) => { x = y; };
`);
    expect(found.reads).toBe('');
    // A variable of the bundle's top level: the IIFE's activation began before any window.
    expect(found.topLevel).toMatch(/^__chtW\.on&&!__chtA\d+&&\(__chtW\.hit=true\);$/);
    for (const name of ['property', 'computed', 'increment', 'removes', 'destructures', 'forIn', 'global', 'sorts', 'pushes',
      'assigns', 'setsDate', 'regex', 'replaces', 'calls', 'applies', 'withThis', 'random', 'iterates']) {
      expect(found[name], name).toBe('__chtW.on&&(__chtW.hit=true);');
    }
    // A variable of an enclosing function: the writer checks that the function's activation began in the window.
    expect(found.outer).toMatch(/^var (__chtA\d+)=__chtW\.on;$/);
    const flag = /var (__chtA\d+)/.exec(found.outer!)![1];
    expect(found.inner).toBe(`__chtW.on&&!${flag}&&(__chtW.hit=true);`);
    expect(found.memo).toMatch(/^var __chtA\d+=__chtW\.on;$/);
    expect(found.bump).toMatch(/^__chtW\.on&&!__chtA\d+&&\(__chtW\.hit=true\);$/);
    // An arrow with an expression body has no start to hold a flag: writing its parameter counts as impure.
    const { code } = instrumentRules(bundle('const arrow = (x) => (y) => { x = y; };'));
    expect(code).toContain('(y) => {__chtW.on&&(__chtW.hit=true);');
    // An arrow's expression body writing two enclosing functions' variables: both checks, still an expression.
    const two = instrumentRules(bundle('function g1() { let a; return function g2() { let b; return () => (a = 1, b = 2); }; }')).code;
    expect(two).toMatch(/\(\) => \(\(__chtW\.on&&!__chtA\d+&&\(__chtW\.hit=true\),__chtW\.on&&!__chtA\d+&&\(__chtW\.hit=true\),a = 1, b = 2\)\)/);
    expect(() => new vm.Script(two)).not.toThrow();
  });

  it('keeps no window where a function could change things without its own code saying so', () => {
    const unsafe = [
      'var push = [].push; function f(a) { return [1].forEach(push, a); }',
      'var { assign } = Object; function f(a) { return assign(a, { x: 1 }); }',
      'var o = Object.defineProperty({}, "x", { get: Array.prototype.pop });',
      'var add = [].push.bind(state); var state = [];',
      'var make = new Function("a", "a.x = 1");',
      'function f(s) { return eval(s); }',
      'var g = function* () { yield 1; };',
      'async function f() { return 1; }',
      'function f() { setTimeout(function () {}, 0); }',
      'function f(x) { return x.constructor.constructor("return this")(); }',
      'function f(o) { return typeof o.sort; }',
      'var seen = new Map().entries(); function f() { for (const e of seen) return e; }',
      'function f(a) { return a[Symbol.iterator](); }',
      'function f() { return RegExp.$1; }',
    ];
    for (const code of unsafe) expect(instrumentRules(bundle(code)).windowed, code).toBe(false);
    // A property of that name written, called, or esbuild's own helpers: the window stays.
    const safe = [
      'function f(o) { o.set = 1; return o.sort(); }', 'var list = [3, 1].slice().sort();', 'function f(o) { return Object.keys(o); }',
      'function isFunction(x) { return typeof Function !== "undefined" && x instanceof Function; }',
    ];
    for (const code of safe) expect(instrumentRules(bundle(code)).windowed, code).toBe(true);
    const helpers = bundle('').replace('(() => {', `(() => {
  var __defProp = Object.defineProperty, __hasOwn = Object.prototype.hasOwnProperty;
  var __require = ((x) => typeof require !== "undefined" ? require : x)(function(x) {
    if (typeof require !== "undefined") return require.apply(this, arguments);
  });`);
    expect(instrumentRules(helpers).windowed).toBe(true);
  });
});

/** A temp copy of fixtures/example-app with extra code at the end of nools-extras.js, targets.js and tasks.js. */
function exampleApp(extras: string, target: string, task: string): string {
  const dir = tempCopy(fixture('example-app'));
  appendFileSync(path.join(dir, 'nools-extras.js'), `\n${extras}\n`);
  // (Both files require nools-extras as `extras` at their top, as configs do: a module's first require runs it.)
  appendFileSync(path.join(dir, 'targets.js'), `\nmodule.exports.push(${target});\n`);
  appendFileSync(path.join(dir, 'tasks.js'), `\nmodule.exports.push(${task});\n`);
  return dir;
}

const target = (appliesIf: string) => `{
  id: 'window-test', type: 'count', icon: 'icon-person', goal: -1, translation_key: 'targets.window_test',
  appliesTo: 'contacts', appliesToType: ['person'], date: 'now',
  appliesIf: function (c) { ${appliesIf} },
}`;
const task = (appliesIf: string) => `{
  name: 'window-test', icon: 'icon-person', title: 'task.window_test', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { ${appliesIf} },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'e', start: 400, end: 400, dueDate: function () { return new Date(2024, 2, 1); } }],
}`;
const request = { at: { hours: 12, minutes: 0 }, allStates: false, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-04-30' } as const;
const MARCH = 'new Date(2024, 2, 10).getTime()';

describe('the targets\' window: a change in what the targets decide, and the tasks', () => {
  const cases: [string, string, string, string][] = [
    ['a property the tasks read', 'module.exports.shared = { on: false };',
      `if (Date.now() > ${MARCH}) extras.shared.on = true; return false;`, 'return extras.shared.on;'],
    ['a module\'s closure state', 'var seen = 0; module.exports.see = function () { seen++; }; module.exports.seen = function () { return seen; };',
      `if (Date.now() > ${MARCH}) extras.see(); return true;`, 'return extras.seen() > 0;'],
    ['the reports sorted in place', '',
      `if (Date.now() > ${MARCH}) c.reports.sort(function (a, b) { return b.reported_date - a.reported_date; }); return true;`,
      'return c.reports.length > 1 && c.reports[0].reported_date > c.reports[1].reported_date;'],
    ['a task emitted from a target', '',
      `if (Date.now() < ${MARCH}) emit('task', new Task({ _id: 'from-target~window-test', date: new Date(2024, 2, 1), readyStart: 400, readyEnd: 400, actions: [], title: 't', resolved: false })); return true;`,
      'return false;'],
    ['a task emitted from a target later, in a try', '',
      `try { if (Date.now() > ${MARCH}) emit('task', new Task({ _id: 'from-target~window-test', date: new Date(2024, 2, 1), readyStart: 400, readyEnd: 400, actions: [], title: 't', resolved: false })); } catch (e) { /* none */ } return true;`,
      'return false;'],
    ['a regular expression\'s lastIndex', 'module.exports.RE = /./g;',
      `if (Date.now() > ${MARCH}) extras.RE.test('ab'); return true;`, 'return extras.RE.lastIndex > 0;'],
  ];
  for (const [name, extras, targetIf, taskIf] of cases) {
    it(`what the targets leave behind is seen: ${name}`, async () => {
      const dir = exampleApp(extras, target(targetIf), task(taskIf));
      const { optimised, naive, stats } = await withMeter(dir, request, evenMeter);
      const shown = naive.days.filter((d) => d.tasks.some((t) => t.emission._id.endsWith('~window-test'))).length;
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(naive.days.length);
      for (let i = 0; i < naive.days.length; i++) expect(optimised![i], naive.days[i]!.date).toEqual(naive.days[i]);
      expect(stats.reused).toBeGreaterThan(0);
      cleanupTemps();
    });
  }

  it('targets that decide on the clock and keep to themselves leave the tasks\' evaluations standing', async () => {
    // A counter of the targets' own callback, a clock decision that flips in March, a copy sorted.
    const targetIf = `var n = 0; c.reports.forEach(function () { n++; }); var s = c.reports.slice(); return Date.now() > ${MARCH} && n >= 0 && s.length >= 0;`;
    const dir = exampleApp('', target(targetIf), task('return true;'));
    const { optimised, naive, stats } = await withMeter(dir, request, evenMeter);
    for (let i = 0; i < naive.days.length; i++) expect(optimised![i], naive.days[i]!.date).toEqual(naive.days[i]);
    expect(stats.targetsAlone).toBeGreaterThan(0);
    cleanupTemps();
  });

  it('targets that throw on a later day: the same error as the naive timeline (and runs alone that keep failing stop)', async () => {
    // Tasks that never change, and this one target: only the targets run alone can find the error.
    const dir = tempCopy(fixture('example-app'));
    writeFileSync(path.join(dir, 'tasks.js'), `module.exports = [${task('return true;')}];`);
    writeFileSync(path.join(dir, 'targets.js'), `module.exports = [${target(`if (c.contact._id === 'p-old' && Date.now() > ${MARCH}) throw new Error('no more targets'); return true;`)}];`);
    const shortly = { ...request, to: '2024-03-20' };
    const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
    const naive = await dryRunTasks(loaded, { ...shortly, naive: true }).then(() => 'no error', (err: Error) => err.message);
    expect(naive).toContain('Error: no more targets at');
    expect(naive).toContain('on 2024-03-10, for contact p-old');
    // The timeline below the CLI's messages: the error as the rules threw it.
    const optimised = await withMeter(dir, shortly, evenMeter).then(() => 'no error', (err: Error) => err.message);
    expect(optimised).toBe('no more targets');
    // (The timeline's cost probes run the plain rules on some days, and would find it too: the engine itself
    // must stop the evaluation's days where the targets alone throw.)
    const dates = daysBetween(shortly.from, shortly.to);
    const until = await withSimulatedClock(shortly.tz, 0, (clock) => {
      const sim = prepareSimulation(loaded.config, loaded.fixtures);
      const instants = dates.map((date) => localTimestamp(date, shortly.at));
      const engine = new TracingEngine(sim, clock, instants);
      const spec = sim.containers.find((s) => s.json.includes('"_id":"p-old"'))!;
      const tracing = startTracing();
      try {
        clock.set(instants[40]!);
        const user = userForDay(sim);
        const entry = engine.evaluate(spec, 40, user, false);
        expect(entry.targets?.length).toBeGreaterThan(0);
        const found = engine.bounds(entry, 40, 0, dates.length);
        expect(dates[found.until]).toBe('2024-03-10');
        const first = engine.extend(entry, spec, user, 40, found, dates.length);
        // Runs alone that keep failing stop being tried: 65 failures, none clean, and the next is not run.
        const runs = Array.from({ length: 66 }, () => engine.extend(entry, spec, user, 40, found, dates.length).runs);
        expect(runs.slice(0, 64)).toEqual(Array(64).fill(1));
        expect(runs.slice(64)).toEqual([0, 0]);
        return first.until;
      } finally {
        tracing.stop();
      }
    });
    expect(dates[until]).toBe('2024-03-10');
    cleanupTemps();
  });
});
