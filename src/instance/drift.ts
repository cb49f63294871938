import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { Settings } from './api.js';
import { diffValues, projectOnto, type SettingsChange } from './diff.js';
import type { RemoteTarget } from './target.js';

/**
 * The drift check: remember, per instance, what the instance held right after this project's last upload,
 * and before the next upload compare the instance's current settings with it. A difference means someone
 * edited the settings since (the admin app, another project, a colleague), and an upload would overwrite it.
 *
 * The record stores the settings as read back *after* the upload, not as sent, so what the instance adds by
 * itself (cht-core merges its default permissions into every saved settings doc) is never taken for drift.
 * It lives next to the backups (`backups/` is where cht-conf projects already keep instance data, and it is
 * usually git-ignored), one small file per instance.
 */
export interface UploadRecord {
  format: 1;
  /** The instance root, without credentials. */
  instance: string;
  uploadedAt: string;
  /** sha256 of the exact body of the last PUT from this project. */
  uploadedSha256: string;
  /** The instance's settings for the uploaded keys, read back after that upload. */
  settings: Settings;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `backups/last-upload.<host>-<port><path>.json` */
export function recordFile(projectDir: string, target: RemoteTarget): string {
  const u = target.baseUrl;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const id = `${u.hostname}-${port}${u.pathname === '/' ? '' : u.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_');
  return path.join(projectDir, 'backups', `last-upload.${id}.json`);
}

export function readRecord(projectDir: string, target: RemoteTarget): UploadRecord | undefined {
  const file = recordFile(projectDir, target);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<UploadRecord>;
    const valid =
      record.format === 1 && typeof record.uploadedSha256 === 'string' && record.settings !== null && typeof record.settings === 'object';
    return valid ? (record as UploadRecord) : undefined;
  } catch {
    // A record we cannot read is no record: the drift check is skipped, never a reason to fail a deploy.
    return undefined;
  }
}

export function writeRecord(projectDir: string, target: RemoteTarget, uploadedBody: string, instanceSettings: Settings): string {
  const file = recordFile(projectDir, target);
  const record: UploadRecord = {
    format: 1,
    instance: target.baseUrl.href.replace(/\/$/, ''),
    uploadedAt: new Date().toISOString(),
    uploadedSha256: sha256(uploadedBody),
    settings: instanceSettings,
  };
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** What changed on the instance since the record was written, for the keys the project owns. */
export function driftSince(record: UploadRecord, remote: Settings): Promise<SettingsChange[]> {
  return diffValues(record.settings, projectOnto(remote, Object.keys(record.settings)));
}
