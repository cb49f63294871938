/* eslint-disable @typescript-eslint/no-explicit-any -- compiled settings and emissions are untyped JSON */
/**
 * chtkit against cht-conf 6.6.1: both compile the same projects; the settings must match key for key (code
 * strings aside) and both compiled `tasks.rules` / `contact_summary` must produce deep-equal results when run
 * the way cht-core runs them, at several dates and in two time zones.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, runCht, runChtConf, tempCopy } from '../helpers/cli.js';
import { containersOf, lineageOf, runContactSummary, runRules } from '../helpers/rules.js';
import { at, exampleAppDocs, freeformLuxonDocs, inheritDocs, legacyDocs } from './fixture-docs.js';

interface Project {
  name: string;
  /** Directory (under a copy of fixtures/) of the project to compile. */
  dir: (root: string) => string;
  docs: () => any[];
  /** Where both tools read from: a copy of this fixture folder. */
  source: string;
}

const PROJECTS: Project[] = [
  { name: 'example-app', source: fixture('example-app'), dir: (root) => root, docs: exampleAppDocs },
  { name: 'freeform-luxon', source: fixture('projects'), dir: (root) => path.join(root, 'freeform-luxon'), docs: freeformLuxonDocs },
  { name: 'inherit-child', source: fixture('projects'), dir: (root) => path.join(root, 'inherit-child'), docs: inheritDocs },
  { name: 'legacy-settings', source: fixture('projects'), dir: (root) => path.join(root, 'legacy-settings'), docs: legacyDocs },
];

const DATES = [at(0, 3), at(2, 10), at(9, 20), at(45), at(170, 12), at(400)];
const ZONES = ['Africa/Nairobi', 'America/New_York'];

const CODE_KEYS = new Set(['tasks.rules', 'contact_summary']);
function withoutCode(value: any, at = ''): any {
  if (typeof value === 'string' && CODE_KEYS.has(at)) return '<code>';
  if (Array.isArray(value)) return value.map((v, i) => withoutCode(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutCode(v, at ? `${at}.${k}` : k)]));
  }
  return value;
}

const compiled = new Map<string, { chtkit: any; chtconf: any }>();

beforeAll(async () => {
  await Promise.all(
    PROJECTS.map(async (p) => {
      const mine = p.dir(tempCopy(p.source));
      const theirs = p.dir(tempCopy(p.source));
      const [a, b] = await Promise.all([
        runCht([`--source=${mine}`, 'compile-app-settings']),
        runChtConf([`--source=${theirs}`, 'compile-app-settings']),
      ]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stdout).toBe(0);
      compiled.set(p.name, {
        chtkit: JSON.parse(readFileSync(path.join(mine, 'app_settings.json'), 'utf8')),
        chtconf: JSON.parse(readFileSync(path.join(theirs, 'app_settings.json'), 'utf8')),
      });
    }),
  );
});

afterAll(cleanupTemps);

describe.each(PROJECTS)('$name: chtkit vs cht-conf 6.6.1', (project) => {
  it('writes the same settings, key for key and in the same order (code strings aside)', () => {
    const { chtkit, chtconf } = compiled.get(project.name)!;
    expect(JSON.stringify(withoutCode(chtkit), null, 1)).toBe(JSON.stringify(withoutCode(chtconf), null, 1));
    expect(typeof chtkit.tasks.rules).toBe('string');
    expect(chtkit.contact_summary).toMatch(/^var ContactSummary = \{\}; [\s\S]* return ContactSummary;$/);
  });

  for (const zone of ZONES) {
    it(`tasks.rules emit deep-equal tasks and targets at ${DATES.length} dates in ${zone}`, () => {
      const { chtkit, chtconf } = compiled.get(project.name)!;
      if (!chtkit.tasks.isDeclarative) return;
      const previous = process.env.TZ;
      process.env.TZ = zone;
      try {
        const containers = containersOf(project.docs());
        let emitted = 0;
        for (const now of DATES) {
          const options = { schedules: chtkit.tasks.schedules, now, user: { _id: 'chw-1', role: 'chw' } };
          const ours = runRules(chtkit.tasks.rules, containers, options);
          const theirs = runRules(chtconf.tasks.rules, containers, options);
          expect(ours).toStrictEqual(theirs);
          emitted += ours.tasks.length + ours.targets.length;
        }
        expect(emitted).toBeGreaterThan(0);
      } finally {
        process.env.TZ = previous;
      }
    });
  }

  it('contact_summary gives deep-equal fields, cards and context for every contact', () => {
    const { chtkit, chtconf } = compiled.get(project.name)!;
    const docs = project.docs();
    const contacts = containersOf(docs).filter((c) => c.contact && c.contact.type);
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) {
      for (const now of [DATES[0]!, DATES[3]!]) {
        const input = { contact: c.contact, reports: c.reports, lineage: lineageOf(c.contact, docs), now };
        const ours = runContactSummary(chtkit.contact_summary, input);
        const theirs = runContactSummary(chtconf.contact_summary, input);
        expect(ours).toStrictEqual(theirs);
        expect(Object.keys(ours).sort()).toEqual(['cards', 'context', 'fields']);
      }
    }
  });
});
