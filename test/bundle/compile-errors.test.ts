import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runMain, tempCopy } from '../helpers/cli.js';

afterAll(cleanupTemps);

const SENTINEL = '{ "sentinel": "the previous compile output" }\n';

interface Case {
  name: string;
  /** Breaks a fresh copy of the example app. */
  mutate: (dir: string) => void;
  expect: string[];
  /** Cases that remove base_settings.json cannot keep a sentinel app_settings.json (it would become the input). */
  noSentinel?: boolean;
}

const write = (dir: string, file: string, text: string) => writeFileSync(path.join(dir, file), text);
const remove = (dir: string, file: string) => rmSync(path.join(dir, file), { force: true });
const edit = (dir: string, file: string, from: string | RegExp, to: string) => {
  const p = path.join(dir, file);
  const text = readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  writeFileSync(p, next);
};

const cases: Case[] = [
  {
    name: 'no settings at all',
    mutate: (d) => {
      rmSync(path.join(d, 'app_settings'), { recursive: true });
      remove(d, 'app_settings.json');
    },
    expect: ['No app settings found', 'base_settings.json'],
    noSentinel: true,
  },
  {
    name: 'both task-schedules.json and tasks.json',
    mutate: (d) => write(d, 'tasks.json', '[]'),
    expect: ['task-schedules.json', 'tasks.json', 'Remove tasks.json'],
  },
  {
    name: 'no contact summary',
    mutate: (d) => remove(d, 'contact-summary.templated.js'),
    expect: ['No contact summary found', 'contact-summary.templated.js', 'contact-summary.js'],
  },
  {
    name: 'two contact summaries',
    mutate: (d) => write(d, 'contact-summary.js', 'module.exports = {};'),
    expect: ['Found a contact summary at both', 'Keep only one'],
  },
  {
    name: 'legacy and declarative rules',
    mutate: (d) => write(d, 'rules.nools.js', 'define Contact { contact: null }'),
    expect: ['Both legacy and declarative rules found'],
  },
  {
    name: 'targets.js missing',
    mutate: (d) => remove(d, 'targets.js'),
    expect: ['Missing required declarative configuration file(s): targets.js'],
  },
  {
    name: 'targets.json and targets.js',
    mutate: (d) => write(d, 'targets.json', '{"enabled":true,"items":[]}'),
    expect: ['Targets are defined at both', 'targets.json', 'targets.js'],
  },
  {
    name: 'purge.js and purging.js',
    mutate: (d) => write(d, 'purging.js', 'function (userCtx, contact, reports) { return []; }'),
    expect: ['Purge is defined at both', 'purging.js is deprecated'],
  },
  {
    name: 'purge fn not a function',
    mutate: (d) => write(d, 'purge.js', 'module.exports = { fn: "return []" };'),
    expect: ['Error parsing purge', 'fn export of purge.js must be a function'],
  },
  {
    name: 'invalid JSON in base_settings.json',
    mutate: (d) => edit(d, 'app_settings/base_settings.json', '"locale": "en",', '"locale": "en"'),
    expect: ['base_settings.json is not valid JSON', 'a comma was expected', 'base_settings.json:3:3', '"locale_outgoing"'],
  },
  {
    name: 'syntax error in tasks.js',
    mutate: (d) => edit(d, 'tasks.js', "name: 'pnc-visit',", "name: 'pnc-visit'"),
    expect: ['Could not build', 'tasks.js:110:5', 'Expected "}" but found "icon"', "icon: 'icon-pnc',", '│'],
  },
  {
    name: 'syntax error in the contact summary',
    mutate: (d) => edit(d, 'contact-summary.templated.js', 'const context = {', 'const context = {{'),
    expect: ['contact-summary.templated.js:', 'Could not build the contact summary'],
  },
  {
    name: 'unresolved local require',
    mutate: (d) => edit(d, 'targets.js', "require('./nools-extras')", "require('./nools-extra')"),
    expect: ['targets.js:1:24', 'Could not resolve "./nools-extra"', 'Check the path'],
  },
  {
    name: 'unresolved npm package',
    mutate: (d) => edit(d, 'nools-extras.js', '// Helpers shared', "require('left-pad-that-does-not-exist');\n// Helpers shared"),
    expect: ['nools-extras.js:1:', 'Could not resolve "left-pad-that-does-not-exist"', 'npm install left-pad-that-does-not-exist'],
  },
  {
    name: 'a Node.js built-in in phone code',
    mutate: (d) => edit(d, 'nools-extras.js', '// Helpers shared', "const fs = require('fs');\n// Helpers shared"),
    expect: ['nools-extras.js:1:20', 'Could not resolve "fs"', 'Node.js built-in'],
  },
  {
    name: 'targets.js not exporting an array',
    mutate: (d) => write(d, 'targets.js', `${readFileSync(path.join(d, 'targets.js'), 'utf8')}\nmodule.exports = { targets: module.exports };\n`),
    expect: ['targets.js must export an array'],
  },
  {
    name: 'max_task_notifications not an integer',
    mutate: (d) => edit(d, 'app_settings/base_settings.json', '"max_task_notifications": 8', '"max_task_notifications": "8"'),
    expect: ['max_task_notifications should be a non-negative integer'],
  },
  {
    name: 'an exception at load time in tasks.js',
    mutate: (d) => edit(d, 'tasks.js', 'module.exports = [', "const broken = undefined;\nbroken.read();\nmodule.exports = ["),
    expect: ['TypeError', 'tasks.js:33:8', 'broken.read();', 'thrown while loading', 'at tasks.js:33:8'],
  },
];

describe('compile-app-settings: file-level errors', () => {
  for (const c of cases) {
    it(`${c.name}: exit 1, a clear message, old app_settings.json untouched`, async () => {
      const dir = tempCopy(fixture('example-app'));
      const output = path.join(dir, 'app_settings.json');
      if (!c.noSentinel) writeFileSync(output, SENTINEL);
      c.mutate(dir);
      const r = await runMain([`--source=${dir}`, 'compile-app-settings']);
      expect(r.code, r.stderr).toBe(1);
      for (const s of c.expect) expect(r.stderr).toContain(s);
      expect(r.stderr).not.toMatch(/at .*[\\/](src|dist)[\\/](cli|bundle|project|report|schema)[\\/]/); // no chtkit stack trace
      expect(r.stdout).toBe('');
      if (c.noSentinel) expect(existsSync(output)).toBe(false);
      else expect(readFileSync(output, 'utf8')).toBe(SENTINEL);
    });
  }

  it('a project directory that does not exist', async () => {
    const r = await runMain(['--source=/nonexistent/project', 'compile-app-settings']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Project directory not found: /nonexistent/project');
  });

  it('warnings are shown and not fatal; --strict makes them fatal and writes nothing', async () => {
    const dir = tempCopy(fixture('example-app'));
    renameSync(path.join(dir, 'task-schedules.json'), path.join(dir, 'tasks.json'));
    const output = path.join(dir, 'app_settings.json');
    writeFileSync(output, SENTINEL);
    const strict = await runMain([`--source=${dir}`, '--strict', 'compile-app-settings']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('tasks.json is deprecated');
    expect(strict.stderr).toContain('with --strict: nothing was written');
    expect(readFileSync(output, 'utf8')).toBe(SENTINEL);
    const lenient = await runMain([`--source=${dir}`, 'compile-app-settings']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('tasks.json is deprecated');
    expect(JSON.parse(readFileSync(output, 'utf8')).tasks.schedules[0].name).toBe('anc-reminders');
  });
});
