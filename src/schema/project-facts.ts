import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folders that hold no code of the project's own (dependencies, forms, settings, build output, backups). */
const NOT_CODE = new Set(['node_modules', 'forms', 'translations', 'resources', 'app_settings', 'backups', 'csv', 'dist', 'build', 'test', 'tests']);
const CODE_FILE = /\.(?:js|cjs|mjs|ts)$/;
const PERMISSION_STRING = /(['"`])(can_[a-z0-9_]+)\1/g;
/** `form: 'name'` in an object literal: the form code of a report the code builds. */
const FORM_PROPERTY = /\bform\s*:\s*(['"`])([\w.:-]+)\1/g;

/** What the project's own JavaScript names that its settings may refer to. */
export interface NamesInCode {
  /**
   * The permission-like names (`can_…`) written as strings: the custom permissions its code checks, e.g.
   * `cht.v1.hasPermissions('can_view_medical_history')` in a contact summary card.
   */
  permissions: Set<string>;
  /**
   * The form codes of reports its scripts create (`form: 'trigger_muting'` in a file that builds `data_record`
   * docs, as an integration pushing into CouchDB does): sentinel runs transitions on them like any report, with
   * no XForm or SMS form in the project (utils.isValidSubmission takes every `content_type: 'xml'` report).
   */
  reportForms: Set<string>;
}

/**
 * Names the project's own JavaScript writes as strings (its folders up to four deep, without dependencies,
 * forms, tests and the like; at most 400 files), so a name the settings share with it is not called unknown.
 */
export function namesInCode(projectDir: string): NamesInCode {
  const found: NamesInCode = { permissions: new Set(), reportForms: new Set() };
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
        for (const m of text.matchAll(PERMISSION_STRING)) found.permissions.add(m[2]!);
        // (Only where reports are built: a task's `actions: [{ form: … }]` opens a form, it makes no report.)
        if (text.includes('data_record')) for (const m of text.matchAll(FORM_PROPERTY)) found.reportForms.add(m[2]!);
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
  /**
   * Contact types a contact form creates besides its own (the type it sets as `<contact_type>` on a sibling or a
   * repeat, such as a household's head made with the household), with the form's file name.
   */
  typesMadeByForms: Map<string, string>;
  /** False when the project has no forms at all (e.g. they live in another repository): form checks are skipped. */
  hasForms: boolean;
}

function formFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(xml|xlsx)$/i.test(f));
}

function xformText(file: string): string | undefined {
  if (!file.endsWith('.xml')) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The id of an XForm's primary instance (`<instance><pregnancy id="pregnancy">`), which reports carry as `form`. */
function xformId(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /<instance>\s*<[\w:.-]+\s[^>]*?\bid="([^"]+)"/.exec(text)?.[1];
}

/**
 * The contact types a contact form's instance sets (`<contact_type>household_contact</contact_type>`): cht-core's
 * ContactSaveService saves each sibling group (`contact`, ...) and repeat as a contact of the type and contact_type
 * the form gives it (a person by default).
 */
function contactTypesSet(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(/<contact_type>\s*([\w-]+)\s*<\/contact_type>/g)].map((m) => m[1]!);
}

export function projectFacts(projectDir: string, settings: Record<string, unknown> | undefined): ProjectFacts {
  const reportForms = new Set<string>();
  const contactForms = new Set<string>();
  const appDir = path.join(projectDir, 'forms', 'app');
  for (const f of formFiles(appDir)) {
    reportForms.add(f.replace(/\.(xml|xlsx)$/i, ''));
    const id = xformId(xformText(path.join(appDir, f)));
    if (id) reportForms.add(id);
  }
  const contactDir = path.join(projectDir, 'forms', 'contact');
  const typesMadeByForms = new Map<string, string>();
  for (const f of formFiles(contactDir)) {
    const base = f.replace(/\.(xml|xlsx)$/i, '');
    contactForms.add(base);
    // `person-create.xml` is uploaded as the form `contact:person:create`.
    const m = /^(.+)-(create|edit)$/.exec(base);
    if (m) contactForms.add(`contact:${m[1]}:${m[2]}`);
    const text = xformText(path.join(contactDir, f));
    const id = xformId(text);
    if (id) contactForms.add(id);
    // (Not the type a form is named after: `household-create.xml` setting `household` creates the household
    // itself, and only if contact_types names the form.)
    for (const type of contactTypesSet(text)) if (type !== m?.[1] && !typesMadeByForms.has(type)) typesMadeByForms.set(type, f);
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
  return { reportForms, contactForms, contactTypes, typesMadeByForms, hasForms: reportForms.size + contactForms.size > 0 };
}
