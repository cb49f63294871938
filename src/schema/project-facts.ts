import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folders that hold no code of the project's own (dependencies, forms, settings, build output, backups). */
const NOT_CODE = new Set(['node_modules', 'forms', 'translations', 'resources', 'app_settings', 'backups', 'csv', 'dist', 'build', 'test', 'tests']);
const CODE_FILE = /\.(?:js|cjs|mjs|ts)$/;
const PERMISSION_STRING = /(['"`])(can_[a-z0-9_]+)\1/g;

/**
 * The permission-like names (`can_…`) written as strings in the project's own JavaScript (its folders up to four
 * deep, without dependencies, forms, tests and the like; at most 400 files): the custom permissions its code
 * checks, e.g. `cht.v1.hasPermissions('can_view_medical_history')` in a contact summary card.
 */
export function permissionsInCode(projectDir: string): Set<string> {
  const found = new Set<string>();
  let budget = 400;
  const visit = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (budget <= 0) return;
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 4 && !NOT_CODE.has(entry.name)) visit(full, depth + 1);
      } else if (entry.isFile() && CODE_FILE.test(entry.name)) {
        budget--;
        let text: string;
        try {
          text = readFileSync(full, 'utf8');
        } catch {
          continue;
        }
        for (const m of text.matchAll(PERMISSION_STRING)) found.add(m[2]!);
      }
    }
  };
  visit(projectDir, 0);
  return found;
}

/** The CHT's contact types when app_settings has no `contact_types` (and the ones every hierarchy starts from). */
export const DEFAULT_CONTACT_TYPES = ['district_hospital', 'health_center', 'clinic', 'person'] as const;

/** What the project defines that tasks and targets refer to by name. */
export interface ProjectFacts {
  /** Codes of forms that produce reports: forms/app/*.xml|xlsx (file name and XML id) and app_settings JSON forms. */
  reportForms: Set<string>;
  /** Contact forms (forms/contact/*): they create or edit contacts, never reports. */
  contactForms: Set<string>;
  contactTypes: Set<string>;
  /** False when the project has no forms at all (e.g. they live in another repository): form checks are skipped. */
  hasForms: boolean;
}

function formFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(xml|xlsx)$/i.test(f));
}

/** The id of an XForm's primary instance (`<instance><pregnancy id="pregnancy">`), which reports carry as `form`. */
function xformId(file: string): string | undefined {
  if (!file.endsWith('.xml')) return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    return /<instance>\s*<[\w:.-]+\s[^>]*?\bid="([^"]+)"/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

export function projectFacts(projectDir: string, settings: Record<string, unknown> | undefined): ProjectFacts {
  const reportForms = new Set<string>();
  const contactForms = new Set<string>();
  const appDir = path.join(projectDir, 'forms', 'app');
  for (const f of formFiles(appDir)) {
    reportForms.add(f.replace(/\.(xml|xlsx)$/i, ''));
    const id = xformId(path.join(appDir, f));
    if (id) reportForms.add(id);
  }
  const contactDir = path.join(projectDir, 'forms', 'contact');
  for (const f of formFiles(contactDir)) {
    const base = f.replace(/\.(xml|xlsx)$/i, '');
    contactForms.add(base);
    // `person-create.xml` is uploaded as the form `contact:person:create`.
    const m = /^(.+)-(create|edit)$/.exec(base);
    if (m) contactForms.add(`contact:${m[1]}:${m[2]}`);
    const id = xformId(path.join(contactDir, f));
    if (id) contactForms.add(id);
  }
  const jsonForms = settings?.forms;
  if (jsonForms && typeof jsonForms === 'object' && !Array.isArray(jsonForms)) {
    for (const [key, form] of Object.entries(jsonForms as Record<string, unknown>)) {
      reportForms.add(key);
      const code = (form as { meta?: { code?: unknown } } | null)?.meta?.code;
      if (typeof code === 'string') reportForms.add(code);
    }
  }
  const contactTypes = new Set<string>(DEFAULT_CONTACT_TYPES);
  const configured = settings?.contact_types;
  if (Array.isArray(configured)) {
    for (const t of configured) if (t && typeof t === 'object' && typeof t.id === 'string') contactTypes.add(t.id);
  }
  return { reportForms, contactForms, contactTypes, hasForms: reportForms.size + contactForms.size > 0 };
}
