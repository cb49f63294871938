import { InstanceError } from '../errors.js';
import type { ChtApi, PutResult, Settings } from './api.js';
import { diffSettings, projectOnto, type SettingsChange, type SettingsDiff } from './diff.js';
import { driftSince, readRecord, sha256, writeRecord, type UploadRecord } from './drift.js';
import { settingsForCore } from './legacy-rules.js';
import type { RemoteTarget } from './target.js';

/**
 * upload-app-settings in two steps, so the CLI can show the diff and ask about drift in between:
 * `planUpload` only reads (deploy-info, the current settings, deprecated transitions), `applyUpload` PUTs.
 * Requests keep cht-conf's order (cht-conf 6.6.1 src/fn/upload-app-settings.js): GET /medic/ (in the connection check), GET /api/deploy-info,
 * GET …/deprecated-transitions, PUT …/update_settings/medic?replace=1; chtkit adds a GET of the current
 * settings before the PUT (the diff) and one after it (the drift record).
 */
export interface DeprecationWarning {
  name: string;
  message: string;
}

export interface UploadPlan {
  /** Exactly what the PUT sends: compact JSON in the file's key order. */
  body: string;
  settings: Settings;
  coreVersion: string | undefined;
  /** Rules wrapped in nools boilerplate for a core below 4.2. */
  wrapped: boolean;
  remote: Settings;
  diff: SettingsDiff;
  record: UploadRecord | undefined;
  /** Changes made on the instance since this project's last upload there ([] without a record). */
  drift: SettingsChange[];
  /** Nothing to upload: the instance already holds these settings. */
  upToDate: boolean;
  deprecations: DeprecationWarning[];
  /** Set when the deprecated-transitions check failed (a warning; cht-conf continues too). */
  deprecationCheckError: string | undefined;
}

export interface UploadOutcome {
  /** The instance's `updated` flag (absent before core 3.9). */
  updated: boolean | undefined;
  recordFile: string | undefined;
  /** The upload worked, but reading the settings back for the drift record did not. */
  readBackError: string | undefined;
}

function configuredDeprecations(settings: Settings, list: Array<{ name: string; deprecationMessage?: string }>): DeprecationWarning[] {
  const transitions = settings.transitions as Record<string, unknown> | undefined;
  return list
    .filter((t) => {
      const setting = transitions?.[t.name] as { disable?: unknown } | boolean | undefined;
      return !!setting && !(typeof setting === 'object' && setting.disable);
    })
    .map((t) => ({ name: t.name, message: t.deprecationMessage || `${t.name} transition is deprecated.` }));
}

export async function planUpload(
  api: ChtApi,
  target: RemoteTarget,
  projectDir: string,
  local: Settings,
  remoteAlreadyRead?: Settings,
): Promise<UploadPlan> {
  // Like cht-conf: the version matters only for declarative rules (the nools wrapper below 4.2).
  const coreVersion = local.tasks?.isDeclarative ? await api.coreVersion() : undefined;
  const { settings, wrapped } = settingsForCore(local, coreVersion);
  const body = JSON.stringify(settings);
  const remote = remoteAlreadyRead ?? (await api.getSettings());
  const diff = await diffSettings(remote, settings);
  const record = readRecord(projectDir, target);
  const drift = record ? await driftSince(record, remote) : [];
  const upToDate = diff.changes.length === 0 || (record?.uploadedSha256 === sha256(body) && drift.length === 0);

  let deprecations: DeprecationWarning[] = [];
  let deprecationCheckError: string | undefined;
  const transitions = settings.transitions;
  if (transitions && typeof transitions === 'object' && Object.keys(transitions).length) {
    try {
      deprecations = configuredDeprecations(settings, await api.deprecatedTransitions());
    } catch (err) {
      if (!(err instanceof InstanceError)) throw err;
      deprecationCheckError = err.message;
    }
  }
  return { body, settings, coreVersion, wrapped, remote, diff, record, drift, upToDate, deprecations, deprecationCheckError };
}

/** When nothing is uploaded, still remember the instance's state, so the next run can check for drift. */
export function rememberUpToDate(target: RemoteTarget, projectDir: string, plan: UploadPlan): string | undefined {
  if (plan.diff.changes.length !== 0 || plan.record?.uploadedSha256 === sha256(plan.body)) return undefined;
  return writeRecord(projectDir, target, plan.body, projectOnto(plan.remote, Object.keys(plan.settings)));
}

export async function applyUpload(api: ChtApi, target: RemoteTarget, projectDir: string, plan: UploadPlan): Promise<UploadOutcome> {
  const result: PutResult = await api.putSettings(plan.body);
  // cht-core answers 200 even when the update fails (cht-core#3674): success:false is a failed upload.
  if (!result.success) {
    throw new InstanceError(`The instance did not accept the settings: ${result.error ?? 'it answered success: false without a reason'}.`, {
      code: 'CHT_E_UPLOAD_REJECTED',
      hint: "Nothing was changed on the instance. Check the instance's API logs for the cause.",
    });
  }
  let recordFile: string | undefined;
  let readBackError: string | undefined;
  try {
    const after = await api.getSettings();
    recordFile = writeRecord(projectDir, target, plan.body, projectOnto(after, Object.keys(plan.settings)));
  } catch (err) {
    if (!(err instanceof InstanceError)) throw err;
    readBackError = err.message;
  }
  return { updated: result.updated, recordFile, readBackError };
}
