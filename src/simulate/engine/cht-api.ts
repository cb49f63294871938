/* eslint-disable @typescript-eslint/no-explicit-any -- the cht API is called by user code with anything */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Permissions as configured in app settings: permission name → roles that have it. */
export type PermissionSettings = Record<string, unknown>;

const ADMIN_ROLE = '_admin';

/**
 * cht-datasource's permission check (cht-core 4.11.0 shared-libs/cht-datasource/src/auth.js): `!`-prefixed permissions are denials, `_admin` has
 * everything not denied, and missing or ill-typed arguments give false.
 */
export function hasPermissions(permissions: unknown, roles: unknown, settings: unknown): boolean {
  const list = typeof permissions === 'string' && permissions ? [permissions] : permissions;
  if (!validArguments(list, roles, settings)) return false;
  const { allowed, denied } = split(list as string[]);
  if (isAdmin(roles)) return denied.length === 0;
  const userRoles = roles as string[];
  const config = settings as Record<string, unknown>;
  return checkAll(denied, userRoles, config, false) && checkAll(allowed, userRoles, config, true);
}

/** True when the user has every permission of at least one group. */
export function hasAnyPermission(groups: unknown, roles: unknown, settings: unknown): boolean {
  if (!validArguments(groups, roles, settings)) return false;
  const list = groups as unknown[];
  if (!list.every((g) => Array.isArray(g))) return false;
  const split_ = (list as string[][]).map(split);
  if (isAdmin(roles)) return !split_.every((g) => g.denied.length);
  const userRoles = roles as string[];
  const config = settings as Record<string, unknown>;
  return split_.some((g) => checkAll(g.allowed, userRoles, config, true) && checkAll(g.denied, userRoles, config, false));
}

function validArguments(permissions: unknown, roles: unknown, settings: unknown): boolean {
  if (!Array.isArray(permissions) || !permissions.length) return false;
  if (!Array.isArray(roles)) return false;
  return !!settings && Object.keys(settings as object).length > 0;
}

function isAdmin(roles: unknown): boolean {
  return Array.isArray(roles) && roles.includes(ADMIN_ROLE);
}

function split(permissions: string[]): { allowed: string[]; denied: string[] } {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const p of permissions) {
    if (p.indexOf('!') === 0) denied.push(p.substring(1));
    else allowed.push(p);
  }
  return { allowed, denied };
}

/** Every permission: configured roles intersect the user's (expected true) or not (expected false). */
function checkAll(permissions: string[], roles: string[], settings: Record<string, unknown>, expected: boolean): boolean {
  return permissions.every((permission) => {
    const configured = settings[permission] as unknown;
    if (!configured) return !expected;
    return expected === roles.some((role) => (configured as { includes: (r: string) => boolean }).includes(role));
  });
}

/** Extension libraries (`extension-libs/<name>`), loaded as the webapp loads them: `new Function('module', source)`. */
export function loadExtensionLibs(dir: string | undefined): Record<string, unknown> {
  const libs: Record<string, unknown> = {};
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) return libs;
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const module = { exports: null as unknown };
    new Function('module', readFileSync(file, 'utf8'))(module);
    libs[name] = module.exports;
  }
  return libs;
}

export interface ChtApiInputs {
  /** The session's roles (--roles, or the fixture's userRoles). */
  roles: string[];
  permissions: PermissionSettings | undefined;
  extensionLibs: Record<string, unknown>;
}

/**
 * The `cht` object the 4.x webapp hands to the rules engine: `hasPermissions(permissions, user?, chtSettings?)`
 * takes roles from `user.roles` (else the session) and permissions from `chtSettings.permissions` (else the
 * app settings). The async datasource getters are left out: they return Promises, unusable in rules.
 */
export function createChtApi(inputs: ChtApiInputs): any {
  const rolesOf = (user: any) => (user && user.roles) || inputs.roles;
  const permissionsOf = (chtSettings: any) => (chtSettings && chtSettings.permissions) || inputs.permissions;
  return {
    v1: {
      hasPermissions: (permissions: unknown, user?: unknown, chtSettings?: unknown) =>
        hasPermissions(permissions, rolesOf(user), permissionsOf(chtSettings)),
      hasAnyPermission: (groups: unknown, user?: unknown, chtSettings?: unknown) =>
        hasAnyPermission(groups, rolesOf(user), permissionsOf(chtSettings)),
      getExtensionLib: (id: string) => inputs.extensionLibs[id],
      analytics: { getTargetDocs: () => [] },
    },
  };
}
