/**
 * Source positions of JS-authored config: the rewrite must not change what the code does, and must find the
 * line of a field written inline, in a helper function, through object spread, array spread or Object.assign.
 */
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigModules } from '../../src/bundle/load-config.js';
import { instrumentSource } from '../../src/schema/instrument.js';
import { LocationRecorder, type SourcePos } from '../../src/schema/js-locations.js';
import { loadWithPositions } from '../../src/schema/load.js';
import { cleanupTemps, fixture, tempCopy } from '../helpers/cli.js';

afterAll(cleanupTemps);

/** Runs CommonJS source and returns its module.exports; with `recorder`, the instrumented source. */
function run(source: string, recorder?: LocationRecorder): unknown {
  const module = { exports: {} as unknown };
  let code = source;
  if (recorder) {
    const index = recorder.addFile('/project/tasks.js', source);
    code = instrumentSource(source, index, '__pos')!;
    expect(code, 'acorn parsed the sample').toBeDefined();
  }
  vm.runInNewContext(code, { module, __pos: recorder?.runtime(), Object, JSON });
  return module.exports;
}

const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
const line = (pos: SourcePos | undefined) => pos?.line;

const SAMPLE = `
const base = {
  icon: 'base-icon',
  events: [{ id: 'e1', days: 1, start: 0, end: 1 }],
};
const common = [{ form: 'shared' }];
function make(name) {
  return {
    ...base,
    name: name,
    actions: [...common, { form: name }],
  };
}
module.exports = [
  make('from-helper'),
  { ...make('overridden'), icon: 'own-icon' },
  Object.assign({}, base, { name: 'assigned' }),
  {
    name: 'inline',
    events: [, { days: 2 }],
  },
];
`;

describe('instrumented config code', () => {
  it('computes the same values as the original', () => {
    const plain = run(SAMPLE);
    const recorded = run(SAMPLE, new LocationRecorder());
    expect(JSON.stringify(recorded)).toBe(JSON.stringify(plain));
  });

  it('keeps tricky syntax working: methods, getters, super, __proto__, computed keys, concise arrows, holes', () => {
    const source = `
const proto = { greet() { return 'proto'; } };
const key = 'dynamic';
const obj = {
  __proto__: proto,
  greet() { return 'own+' + super.greet(); },
  get twice() { return this.value * 2; },
  value: 21,
  [key]: true,
  ['lit' + 'eral']: 1,
  'quoted-key': 2,
  7: 'seven',
};
const make = (n) => ({ n, list: [n, ...[n + 1, n + 2]] });
const sparse = [1, , 3];
const copied = { ...obj, extra: { ...{ nested: [...'ab'] } } };
module.exports = {
  greet: obj.greet(), twice: obj.twice, dynamic: obj.dynamic, literal: obj.literal, quoted: obj['quoted-key'],
  seven: obj[7], made: make(1), sparse: sparse.length + String(1 in sparse), copied: JSON.stringify(copied),
  assigned: Object.assign({ a: 1 }, { b: 2 }, null, { a: 3 }),
};`;
    expect(run(source, new LocationRecorder())).toEqual(run(source));
  });

  it('finds keys and elements written inline, in a helper, through spreads and Object.assign', () => {
    const recorder = new LocationRecorder();
    const tasks = run(SAMPLE, recorder) as Record<string, unknown>[];
    const at = (text: string) => lineOf(SAMPLE, text);

    expect(line(recorder.elementPosition(tasks, 0))).toBe(at("make('from-helper')"));
    expect(line(recorder.keyPosition(tasks[0], 'name')?.key)).toBe(at('name: name'));
    expect(line(recorder.keyPosition(tasks[0], 'icon')?.key)).toBe(at("icon: 'base-icon'"));
    expect(line(recorder.ownPosition(tasks[0]))).toBe(at('return {'));

    // A key written after the spread wins, as in JavaScript; the others still come from the helper.
    expect(line(recorder.keyPosition(tasks[1], 'icon')?.key)).toBe(at("icon: 'own-icon'"));
    expect(line(recorder.keyPosition(tasks[1], 'name')?.key)).toBe(at('name: name'));

    // Object.assign: the last source that has the key gives its position.
    expect(line(recorder.keyPosition(tasks[2], 'name')?.key)).toBe(at("name: 'assigned'"));
    expect(line(recorder.keyPosition(tasks[2], 'events')?.key)).toBe(at('events: [{ id'));

    // Array spread: element 1 of actions is the helper's own literal, element 0 comes from `common`.
    const actions = tasks[0]!.actions as unknown[];
    expect(line(recorder.elementPosition(actions, 0))).toBe(at("[{ form: 'shared' }]"));
    expect(line(recorder.elementPosition(actions, 1))).toBe(at('actions: [...common'));

    // A hole: the array's own position; the value's position for values.
    const inline = tasks[3]!;
    expect(line(recorder.elementPosition(inline.events, 1))).toBe(at('events: [, { days: 2 }]'));
    expect(recorder.keyPosition(inline, 'name')?.value.column).toBe(SAMPLE.split('\n')[at("name: 'inline'") - 1]!.indexOf("'inline'") + 1);
  });

  it('leaves a file that acorn cannot parse to esbuild (which reports the syntax error)', () => {
    expect(instrumentSource('module.exports = [ { name: ', 0, '__pos')).toBeUndefined();
  });
});

describe('the validation loader', () => {
  it('loads the example app with positions and the same values as the plain loader', async () => {
    const dir = tempCopy(fixture('example-app'));
    const modules = { tasksFile: `${dir}/tasks.js`, targetsFile: `${dir}/targets.js` };
    const plain = await loadConfigModules(dir, modules);
    const positioned = await loadWithPositions(dir, modules, undefined);
    expect(positioned).toBeDefined();
    const shape = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'function' ? `fn:${x.name}` : x));
    expect(shape(positioned!.tasks)).toBe(shape(plain.tasks));
    expect(shape(positioned!.targets)).toBe(shape(plain.targets));
    const tasks = positioned!.tasks as Record<string, unknown>[];
    // anc-home-visit's events come from a helper map over ANC_SCHEDULE_WEEKS (tasks.js line 18).
    const event = (tasks[0]!.events as unknown[])[2];
    const start = positioned!.locations.keyPosition(event, 'start');
    expect(positioned!.locations.files[start!.key.file]).toMatch(/tasks\.js$/);
    expect(start!.key.line).toBe(20);
    expect(Object.keys(globalThis).filter((k) => k.startsWith('__chtkitPositions'))).toEqual([]);
  });
});
