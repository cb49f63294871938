import { isChtkitError } from '../errors.js';
import type { ChtApi, Settings } from '../instance/api.js';
import type { RemoteTarget } from '../instance/target.js';

export type DevUploadResult =
  | { kind: 'uploaded' | 'up-to-date'; message: string }
  | { kind: 'drift' | 'failed'; message: string };

/**
 * `cht dev --upload`: after each good build, the settings go to the instance as upload-app-settings sends them
 * (the same plan, diff, drift check and PUT), with a backup of the instance's settings before the first upload
 * of the session. Nothing is uploaded when nothing changed; settings edited on the instance since this project
 * last uploaded stop the upload unless `force`. An unreachable instance is a message, never the end of the
 * session: the next build tries again.
 */
export class DevUploader {
  private backedUp = false;

  constructor(private readonly api: ChtApi, private readonly target: RemoteTarget, private readonly projectDir: string, private readonly force: boolean) {}

  async upload(settings: Settings): Promise<DevUploadResult> {
    const where = this.target.baseUrl.href.replace(/\/$/, '');
    try {
      const { planUpload, applyUpload, rememberUpToDate } = await import('../instance/upload.js');
      let remote: Settings | undefined;
      if (!this.backedUp) {
        const { backupSettings } = await import('../instance/backup.js');
        const backup = await backupSettings(this.api, this.projectDir);
        remote = backup.settings;
        this.backedUp = true;
      }
      const plan = await planUpload(this.api, this.target, this.projectDir, settings, remote);
      if (plan.upToDate) {
        rememberUpToDate(this.target, this.projectDir, plan);
        return { kind: 'up-to-date', message: `${where} is up to date: nothing uploaded` };
      }
      if (plan.drift.length && !this.force) {
        return { kind: 'drift', message: `not uploaded: the settings on ${where} were changed since this project last uploaded them (${plan.drift.length} change(s)); bring them into the project, or restart with --force` };
      }
      const outcome = await applyUpload(this.api, this.target, this.projectDir, plan);
      const changes = plan.diff.changes.length;
      return { kind: 'uploaded', message: `uploaded to ${where} (${changes} change(s))${outcome.readBackError ? `; reading back failed: ${outcome.readBackError}` : ''}` };
    } catch (err) {
      if (!isChtkitError(err)) throw err;
      return { kind: 'failed', message: `upload to ${where} failed: ${err.message}${err.hint ? ` (${err.hint})` : ''}; still watching` };
    }
  }
}
