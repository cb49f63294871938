import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { parseJsonText } from '../project/read-json.js';
import type { Settings } from './api.js';

/**
 * The project's compiled app_settings.json, which upload sends as it is (like cht-conf, upload does not
 * compile; `cht compile-app-settings upload-app-settings` does both).
 */
export function readLocalSettings(projectDir: string): Settings {
  const file = path.join(projectDir, 'app_settings.json');
  if (!existsSync(file)) {
    throw new UserError(`${file} does not exist: run compile-app-settings first.`, {
      code: 'CHT_E_SETTINGS_MISSING',
      hint: 'e.g. cht --local compile-app-settings upload-app-settings',
    });
  }
  const value = parseJsonText<unknown>(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file} must contain a JSON object.`, { code: 'CHT_E_SETTINGS_SHAPE' });
  }
  return value as Settings;
}

/** The text of a backup: two-space JSON and a newline, as cht-conf writes backups (and app_settings.json). */
export function settingsText(settings: Settings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
