import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dot-properties';
import { UserError } from '../errors.js';

/**
 * A project's translations for one language: `translations/messages-<lang>.properties` (cht-conf's
 * upload-custom-translations reads the same files), key -> text. No file: empty (translations are optional).
 * Parsed with dot-properties (Java .properties: `=`/`:` separators, continuation lines, \uXXXX escapes).
 */
export function readTranslations(projectDir: string, lang = 'en'): Map<string, string> {
  const file = path.join(projectDir, 'translations', `messages-${lang}.properties`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new UserError(`${file}: cannot be read (${(err as Error).message}).`, { code: 'CHT_E_TRANSLATIONS' });
  }
  const parsed = parse(text) as Record<string, string>;
  return new Map(Object.entries(parsed));
}

/**
 * Every language of a project's translations: `translations/messages-<locale>.properties`, locale -> key -> text.
 * No translations folder: empty.
 */
export function readAllTranslations(projectDir: string): Map<string, Map<string, string>> {
  let names: string[];
  try {
    names = readdirSync(path.join(projectDir, 'translations'));
  } catch {
    return new Map();
  }
  const out = new Map<string, Map<string, string>>();
  for (const name of names.sort()) {
    const m = /^messages-(.+)\.properties$/.exec(name);
    if (m) out.set(m[1]!, readTranslations(projectDir, m[1]));
  }
  return out;
}

/**
 * The texts a report shows in place of translation keys (task titles, priority labels, target titles): the
 * project's translations in the app's default language (the `locale` setting, which a user's phone starts in)
 * when the project has them, else in English. Empty without translations: the keys are shown as they are.
 */
export function displayTexts(projectDir: string, locale: string | undefined): Map<string, string> {
  const wanted = locale && existsSync(path.join(projectDir, 'translations', `messages-${locale}.properties`)) ? locale : 'en';
  return readTranslations(projectDir, wanted);
}
