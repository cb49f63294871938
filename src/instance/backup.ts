import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ChtApi, Settings } from './api.js';
import { settingsText } from './local-settings.js';

export interface BackupResult {
  file: string;
  settings: Settings;
}

/** `<project>/backups/app_settings.json.<ms>.bak`, cht-conf's name; never overwrites an earlier backup. */
export function backupFileFor(projectDir: string, now = Date.now()): string {
  const dir = path.join(projectDir, 'backups');
  let ms = now;
  while (existsSync(path.join(dir, `app_settings.json.${ms}.bak`))) ms++;
  return path.join(dir, `app_settings.json.${ms}.bak`);
}

/**
 * cht-conf's backup-app-settings: read the instance's settings and write them to a backup file. The write is
 * atomic, so a backup file is always complete; if reading fails, no file is created.
 */
export async function backupSettings(api: ChtApi, projectDir: string): Promise<BackupResult> {
  const settings = await api.getSettings();
  const file = backupFileFor(projectDir);
  writeFileAtomic(file, settingsText(settings));
  return { file, settings };
}
