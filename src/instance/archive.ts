import path from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { Settings } from './api.js';

/**
 * `--archive --destination=DIR`: instead of uploading, write `DIR/settings.doc.json`, the file cht-core's own
 * build ships as its default settings (scripts/build/build-config.sh runs cht-conf this way). Its content is
 * the compact JSON an upload would send; archive mode assumes the newest core, so rules are never wrapped.
 */
export function archiveSettings(destination: string, settings: Settings): { file: string; bytes: number } {
  const file = path.join(destination, 'settings.doc.json');
  const body = JSON.stringify(settings);
  writeFileAtomic(file, body);
  return { file, bytes: Buffer.byteLength(body) };
}
