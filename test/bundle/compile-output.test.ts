import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGET_SETTINGS_KEYS } from '../../src/bundle/app-settings.js';
import { cleanupTemps, fixture, runMain, tempCopy } from '../helpers/cli.js';

afterAll(cleanupTemps);

async function compile(dir: string, ...flags: string[]) {
  const r = await runMain([`--source=${dir}`, ...flags, 'compile-app-settings']);
  expect(r.code, r.stderr).toBe(0);
  const text = readFileSync(path.join(dir, 'app_settings.json'), 'utf8');
  return { text, settings: JSON.parse(text), stderr: r.stderr };
}

describe('compile-app-settings output', () => {
  it('has cht-conf\'s shape and key order, two-space JSON and a final newline', async () => {
    const dir = tempCopy(fixture('example-app'));
    const { text, settings } = await compile(dir);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(`${JSON.stringify(settings, null, 2)}\n`);
    const keys = Object.keys(settings);
    // base_settings keys keep their order; forms/schedules appended; then contact_summary, tasks, purge.
    expect(keys.slice(-5)).toEqual(['forms', 'schedules', 'contact_summary', 'tasks', 'purge']);
    expect(keys).not.toContain('max_task_notifications');
    expect(Object.keys(settings.tasks)).toEqual(['rules', 'isDeclarative', 'schedules', 'targets', 'max_task_notifications']);
    expect(settings.tasks.isDeclarative).toBe(true);
    expect(settings.tasks.max_task_notifications).toBe(8);
    expect(settings.tasks.schedules[0].name).toBe('anc-reminders');
    expect(settings.tasks.targets.enabled).toBe(true);
    expect(settings.tasks.targets.items).toHaveLength(8);
    for (const item of settings.tasks.targets.items) {
      const order = Object.keys(item).map((k) => TARGET_SETTINGS_KEYS.indexOf(k as never));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
    const anc = settings.tasks.targets.items.find((i: { id: string }) => i.id === 'pregnancies-with-4-anc');
    expect(anc).toEqual({ id: 'pregnancies-with-4-anc', type: 'percent', goal: 80, translation_key: 'targets.anc_4_visits.title', icon: 'icon-anc', context: "user.role === 'chw'" });
    const deaths = settings.tasks.targets.items.find((i: { id: string }) => i.id === 'deaths-this-month');
    expect(deaths.dhis).toEqual({ dataElement: 'CHW_DEATHS' });
    expect(settings.purge.run_every_days).toBe(7);
    expect(settings.purge.fn).toMatch(/^function \(userCtx, contact, reports\) \{/);
    expect(settings.forms.CHILD.meta.code).toBe('CHILD');
    expect(settings.schedules[0].name).toBe('immunization');
  });

  it('is minified by default and readable with --debug', async () => {
    const dir = tempCopy(fixture('example-app'));
    const minified = (await compile(dir)).settings;
    const readable = (await compile(dir, '--debug')).settings;
    expect(minified.tasks.rules.split('\n').length).toBeLessThan(5);
    expect(readable.tasks.rules.split('\n').length).toBeGreaterThan(200);
    expect(readable.tasks.rules).toContain("name: 'anc-home-visit'".replace(/'/g, '"'));
    expect(readable.contact_summary.length).toBeGreaterThan(minified.contact_summary.length);
    expect(minified.tasks.rules).toMatch(/^\(\(\)=>\{/);
    expect(minified.tasks.rules).toMatch(/emit\("_complete",\{_id:!0\}\);\}\)\(\);$/);
  });

  it('lowers modern syntax for the phones\' WebView (no ?. or ?? in the output)', async () => {
    const root = tempCopy(fixture('projects'));
    const dir = path.join(root, 'freeform-luxon');
    expect(readFileSync(path.join(dir, 'extras.js'), 'utf8')).toContain('?.');
    const { settings } = await compile(dir, '--debug');
    const code = `${settings.tasks.rules}\n${settings.contact_summary}`;
    expect(code).not.toMatch(/\?\.[a-zA-Z_[(]/);
    expect(code).not.toMatch(/\?\?/);
  });

  it('is the same whatever tsconfig.json sits in or above the project (a strict one never makes the rules strict)', async () => {
    const dir = tempCopy(fixture('example-app'));
    const plain = (await compile(dir, '--no-cache')).text;
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, alwaysStrict: true } }));
    writeFileSync(path.join(path.dirname(dir), 'tsconfig.json'), JSON.stringify({ compilerOptions: { alwaysStrict: true } }));
    expect((await compile(dir, '--no-cache')).text).toBe(plain);
  });

  it('bundles npm packages the project requires (moment, luxon)', async () => {
    const example = (await compile(tempCopy(fixture('example-app')), '--debug')).settings;
    expect(example.contact_summary).toContain('node_modules/moment/moment.js');
    const root = tempCopy(fixture('projects'));
    const luxon = (await compile(path.join(root, 'freeform-luxon'), '--debug')).settings;
    expect(luxon.tasks.rules).toContain('node_modules/luxon/');
  });

  it('keeps no temporary files next to the output and compiles projects concurrently without collisions', async () => {
    const a = tempCopy(fixture('example-app'));
    const root = tempCopy(fixture('projects'));
    const b = path.join(root, 'freeform-luxon');
    const [ra, rb] = await Promise.all([compile(a), compile(b)]);
    expect(ra.settings.tasks.rules).toContain('anc-home-visit');
    expect(rb.settings.tasks.rules).toContain('fever-follow-up');
    expect(rb.settings.tasks.rules).not.toContain('anc-home-visit');
    expect(readdirSync(a).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
