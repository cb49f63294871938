/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import { InstanceError } from '../errors.js';
import type { InstanceHttp } from './http.js';

/**
 * The CHT endpoints a settings deploy uses, with cht-conf's paths (cht-conf 6.6.1 src/lib/api.js): database and `_rewrite`
 * routes under /medic, the rest under /api.
 */
export type Settings = Record<string, any>;

export interface PutResult {
  success: boolean;
  /** Absent before core 3.9. */
  updated?: boolean;
  error?: string;
}

export interface DeprecatedTransition {
  name: string;
  deprecationMessage?: string;
}

function parseJson(text: string, what: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InstanceError(`${origin} answered ${what} with something that is not JSON: this does not look like a CHT instance.`, {
      code: 'CHT_E_NOT_CHT',
      hint: 'Point the URL at the CHT API root (e.g. https://cht.example.org or http://localhost:5988).',
    });
  }
}

export class ChtApi {
  constructor(readonly http: InstanceHttp) {}

  private get origin(): string {
    return this.http.target.baseUrl.origin;
  }

  /** cht-conf's availability check: `GET /medic/`. It must look like CouchDB database info, or this is not CHT. */
  async available(): Promise<void> {
    const res = await this.http.request('GET', this.http.url('/', true), { purpose: 'check that the instance is available' });
    const info = parseJson(res.text, 'GET /medic/', this.origin) as { db_name?: unknown } | null;
    if (!info || typeof info !== 'object' || typeof info.db_name !== 'string') {
      throw new InstanceError(`${this.origin} answered GET /medic/, but not with CHT's database info: this does not look like a CHT instance.`, {
        code: 'CHT_E_NOT_CHT',
        hint: 'Point the URL at the CHT API root (e.g. https://cht.example.org or http://localhost:5988).',
      });
    }
  }

  /**
   * The core version: `GET /api/deploy-info` (core 3.5+), falling back to the medic-client design doc like
   * cht-conf when that endpoint does not exist. Undefined when neither says.
   */
  async coreVersion(): Promise<string | undefined> {
    const purpose = "read the instance's CHT version";
    const res = await this.http.request('GET', this.http.url('/api/deploy-info'), { purpose, allow: [404] });
    if (res.status !== 404) {
      const info = parseJson(res.text, 'GET /api/deploy-info', this.origin) as { version?: unknown } | null;
      return typeof info?.version === 'string' ? info.version : undefined;
    }
    const ddoc = await this.http.request('GET', this.http.url('/_design/medic-client', true), { purpose, allow: [404] });
    if (ddoc.status === 404) return undefined;
    const doc = parseJson(ddoc.text, 'GET /medic/_design/medic-client', this.origin) as { deploy_info?: { version?: unknown } } | null;
    return typeof doc?.deploy_info?.version === 'string' ? doc.deploy_info.version : undefined;
  }

  /** The settings as cht-conf's backup reads them: `{settings, meta, schema}` from the deprecated v0 route. */
  async getSettings(): Promise<Settings> {
    const url = this.http.url('/_design/medic/_rewrite/app_settings/medic', true);
    const res = await this.http.request('GET', url, { purpose: 'read the app settings' });
    const body = parseJson(res.text, 'GET app_settings', this.origin) as { settings?: unknown } | null;
    const settings = body?.settings;
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
      throw new InstanceError(`${this.origin} answered GET app_settings without a settings object.`, {
        code: 'CHT_E_NOT_CHT',
        hint: 'Check that the URL is the CHT API root.',
      });
    }
    return settings as Settings;
  }

  /** Deprecated transitions the instance knows; a 404 (older core) means none. */
  async deprecatedTransitions(): Promise<DeprecatedTransition[]> {
    const url = this.http.url('/api/v1/settings/deprecated-transitions');
    const res = await this.http.request('GET', url, { purpose: 'check for deprecated transitions', allow: [404] });
    if (res.status === 404) return [];
    const list = parseJson(res.text, 'GET deprecated-transitions', this.origin);
    return Array.isArray(list) ? (list.filter((t) => t && typeof t.name === 'string') as DeprecatedTransition[]) : [];
  }

  /** `PUT …/update_settings/medic?replace=1` with cht-conf's exact body: compact JSON in file key order. */
  async putSettings(body: string): Promise<PutResult> {
    const url = this.http.url('/_design/medic/_rewrite/update_settings/medic?replace=1', true);
    const res = await this.http.request('PUT', url, { purpose: 'upload the app settings', body });
    const json = parseJson(res.text, 'the settings upload', this.origin) as Partial<PutResult> | null;
    return {
      success: json?.success === true,
      ...(json && 'updated' in json ? { updated: json.updated === true } : {}),
      ...(typeof json?.error === 'string' ? { error: json.error } : {}),
    };
  }
}
