import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSettings, formatPath } from '../../src/instance/diff.js';
import { needsNoolsWrapper, settingsForCore, wrapInNools } from '../../src/instance/legacy-rules.js';
import { changesJson, renderUploadDiff } from '../../src/report/settings-diff.js';
import { plain } from '../../src/report/colour.js';
import { textDiff } from '../../src/report/text-diff.js';
import { ROOT } from '../helpers/cli.js';

describe('nools wrapper for cores before 4.2 (cht-conf test matrix)', () => {
  it('applies below 4.2.0-dev only, and not for unparseable versions', () => {
    for (const v of ['4.1.99', '3.99.0-rc2', '4.1.0', '3.17.1', '4.0.0.6922454971']) expect(needsNoolsWrapper(v), v).toBe(true);
    for (const v of ['4.2.0', '4.2.0-dev.1234', '4.3.1', '5.0.0', 'master', undefined]) expect(needsNoolsWrapper(v), String(v)).toBe(false);
  });

  it('produces the same text as cht-conf 6.6.1 (nools-utils.addBoilerplateToCode)', () => {
    const confUtils = createRequire(path.join(ROOT, 'package.json'))('cht-conf/src/lib/nools-utils.js') as { addBoilerplateToCode(c: string): string };
    const code = 'var a = 1; emit("_complete", { _id: true });';
    expect(wrapInNools(code)).toBe(confUtils.addBoilerplateToCode(code));
  });

  it('wraps declarative rules only, drops isDeclarative, keeps key order', () => {
    const settings = { a: 1, tasks: { rules: 'R', isDeclarative: true, schedules: [], targets: {} }, z: 2 };
    const legacy = settingsForCore(settings, '4.1.0');
    expect(legacy.wrapped).toBe(true);
    expect(Object.keys(legacy.settings)).toEqual(['a', 'tasks', 'z']);
    expect(Object.keys(legacy.settings.tasks)).toEqual(['rules', 'schedules', 'targets']);
    expect(settings.tasks.isDeclarative).toBe(true); // input untouched
    expect(settingsForCore(settings, '4.2.0').wrapped).toBe(false);
    expect(settingsForCore({ tasks: { rules: 'nools' } }, '4.1.0').wrapped).toBe(false);
  });
});

describe('settings diff', () => {
  it('matches array items by id/name, so an insertion is one added item', async () => {
    const before = { tasks: { targets: { items: [{ id: 'a', goal: 1 }, { id: 'b', goal: 2 }] } }, locale: 'en' };
    const after = { tasks: { targets: { items: [{ id: 'new', goal: 0 }, { id: 'a', goal: 1 }, { id: 'b', goal: 3 }] } }, locale: 'en' };
    const diff = await diffSettings(before, after);
    const rows = diff.changes.map((c) => `${c.kind} ${formatPath(c.path)}${c.label ? ` ${c.label}` : ''}`);
    expect(rows).toEqual(['added tasks.targets.items[0] id=new', 'changed tasks.targets.items[2].goal']);
    expect((await diffSettings(before, structuredClone(before))).changes).toEqual([]);
  });

  it('ignores key order but reports array order; restricts to the uploaded keys', async () => {
    expect((await diffSettings({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).changes).toEqual([]);
    const moved = await diffSettings({ s: [{ name: 'p' }, { name: 'q' }] }, { s: [{ name: 'q' }, { name: 'p' }] });
    expect(moved.changes.map((c) => c.kind)).toEqual(['moved']);
    const kept = await diffSettings({ a: 1, only_remote: true }, { a: 1 });
    expect(kept).toEqual({ changes: [], instanceOnlyKeys: ['only_remote'] });
  });

  it('renders long strings as a text diff and keeps JSON output small', async () => {
    const rules = readFileSync(path.join(ROOT, 'fixtures', 'example-app', 'app_settings.json'), 'utf8');
    const before = { tasks: { rules }, n: 1 };
    const after = { tasks: { rules: rules.replace('"locale"', '"language"') }, n: 2 };
    const diff = await diffSettings(before, after);
    const text = renderUploadDiff(diff.changes, diff.instanceOnlyKeys, 'http://h', plain);
    expect(text).toContain('~ n: 1 → 2');
    expect(text).toMatch(/~ tasks\.rules: text of \d+ → \d+ characters/);
    expect(text).toContain('-   "locale": "en",');
    expect(text).toContain('+   "language": "en",');
    const json = changesJson(diff.changes);
    expect(json.changes[0]).toMatchObject({ kind: 'changed', path: 'tasks.rules', before: { omitted: true, type: 'string' } });
  });

  it('cuts minified code into statements for the text diff', () => {
    const rows = textDiff('function a(){x=1;y=2;z=3}', 'function a(){x=1;y=5;z=3}');
    expect(rows).toEqual([
      { sign: ' ', text: 'x=1;' },
      { sign: '-', text: 'y=2;' },
      { sign: '+', text: 'y=5;' },
      { sign: ' ', text: 'z=3}' },
    ]);
  });
});
