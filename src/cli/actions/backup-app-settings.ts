import path from 'node:path';
import { UserError } from '../../errors.js';
import type { ActionDefinition } from '../action.js';
import { addJsonResult, connection, instanceOptions } from '../instance-options.js';

export const backupAppSettings: ActionDefinition = {
  name: 'backup-app-settings',
  summary: "save the instance's app settings to backups/app_settings.json.<ms>.bak",
  area: 'Deploy',
  description:
    `Saves the instance's current app settings to backups/app_settings.json.<ms>.bak in the project, before an upload. Needs exactly one of --local, --url or --instance (or CHT_URL).`,
  examples: [
    'cht --local backup-app-settings',
    'cht --url=https://admin:pass@cht.example.org backup-app-settings upload-app-settings',
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color'],
  options: instanceOptions,
  requiresInstance: true,
  async preflight(ctx) {
    const { target } = await connection(ctx);
    if (target.kind === 'archive') {
      // cht-conf fails the same way, but only when the action runs; here nothing runs first.
      throw new UserError('backup-app-settings is not supported in --archive mode: there is no instance to read from.', {
        code: 'CHT_E_ARCHIVE_BACKUP',
        hint: 'Drop backup-app-settings from the actions, or use --local/--url/--instance.',
      });
    }
  },
  async run(ctx) {
    const { target, api } = await connection(ctx);
    if (!api) return;
    const { backupSettings } = await import('../../instance/backup.js');
    const result = await backupSettings(api, ctx.projectDir);
    // upload-app-settings later in this run diffs against the same snapshot instead of fetching it again.
    ctx.state.set('instance.remoteSettings', result.settings);
    ctx.reporter.success(`Backed up the app settings to ${path.relative(ctx.cwd, result.file) || result.file}`);
    addJsonResult(ctx, 'backup', { file: result.file }, target);
  },
};
