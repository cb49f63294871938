import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { UserError } from '../../errors.js';
import { parseJsonText } from '../../project/read-json.js';
import { readAllTranslations } from '../../project/translations.js';
import { loadFixtures, type Fixtures } from '../engine/fixtures.js';
import type { ConfigSource } from '../index.js';
import type { Json } from './types.js';

/**
 * The one part of src/simulate/messages that reads files: the settings (the project compiled in memory as
 * compile-app-settings does, or a compiled app_settings.json), the project's translations, and the fixtures (read
 * exactly as the task dry-run reads them). Everything after this is pure.
 */
export interface LoadedMessagesDryRun {
  settings: Json;
  translations: Map<string, Map<string, string>>;
  fixtures: Fixtures;
  warnings: Pick<Diagnostic, 'severity' | 'message'>[];
}

export async function loadMessagesDryRun(source: ConfigSource, fixtureFiles: readonly string[], options: { cache?: boolean } = {}): Promise<LoadedMessagesDryRun> {
  const fixtures = loadFixtures(fixtureFiles);
  if (source.kind === 'project') {
    const { compileCached } = await import('../../bundle/cached-compile.js');
    const compiled = await compileCached(source.dir, { minify: false, sourcemap: false }, { enabled: options.cache === true });
    return { settings: compiled.settings, translations: readAllTranslations(compiled.project.dir), fixtures, warnings: compiled.warnings };
  }
  if (!existsSync(source.file)) throw new UserError(`App settings file not found: ${source.file}`, { code: 'CHT_E_SETTINGS_MISSING' });
  const settings = parseJsonText<Json>(source.file, readFileSync(source.file, 'utf8').replace(/^\uFEFF/, ''));
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new UserError(`${source.file} must contain a JSON object.`, { code: 'CHT_E_SETTINGS_SHAPE' });
  }
  // A compiled file carries no translations: those of a project next to it (translations/) are used when present.
  return { settings, translations: readAllTranslations(path.dirname(source.file)), fixtures, warnings: [] };
}
