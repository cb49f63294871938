/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import { describeCoreVersion } from './core-version.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { BUILT_IN_ROLES, permissionHistory, permissionNames } from './permission-names.js';

/*
 * `roles`, `permissions` and `replication_depth` (cht-core 4.11.0
 * shared-libs/user-management/src/roles.js, api/src/services/authorization.js, api/src/services/settings.js).
 */

/** Strings that say "no" but are truthy, so cht-core reads them as `offline: true`. */
const FALSE_WORDS = /^(false|no|off|0|online)$/i;

function checkRoles(roles: unknown, out: WorkflowProblem[]): void {
  if (roles === undefined) return;
  if (!isObject(roles)) {
    out.push({
      code: 'permissions/roles-not-object',
      severity: 'error',
      path: ['roles'],
      target: 'value',
      message: `roles is ${Array.isArray(roles) ? 'an array' : quote(roles)}: cht-core reads it as an object keyed by role name, so no role is defined and every user counts as an offline user with unknown roles.`,
      hint: 'Write roles as { "chw": { "name": "usertype.chw", "offline": true }, … }.',
    });
    return;
  }
  for (const [name, role] of Object.entries(roles)) {
    if (!isObject(role)) continue;
    const offline = role.offline;
    if (offline === undefined || typeof offline === 'boolean') continue;
    const readsFalse = typeof offline === 'string' && FALSE_WORDS.test(offline.trim());
    out.push({
      code: readsFalse ? 'permissions/offline-string' : 'permissions/offline-not-boolean',
      severity: readsFalse ? 'error' : 'warning',
      path: ['roles', name, 'offline'],
      target: 'value',
      message: readsFalse
        ? `roles.${name}.offline is the string ${quote(offline)}, which is truthy: cht-core makes every user with role '${name}' an offline user (full replication, a place required).`
        : `roles.${name}.offline is ${quote(offline)}, not true or false: cht-core treats any truthy value as offline and any falsy one as online.`,
      hint: readsFalse ? 'Write "offline": false (no quotes), or leave it out for an online role.' : 'Write "offline": true or false.',
    });
  }
}

function roleProblem(roles: Record<string, any> | undefined, path: (string | number)[], role: unknown, where: string): WorkflowProblem | undefined {
  if (typeof role !== 'string') {
    return {
      code: 'permissions/role-not-string',
      severity: 'warning',
      path,
      target: 'value',
      message: `${where} lists ${quote(role)}, which is not a role name: it matches no user.`,
      hint: 'List role names as strings.',
    };
  }
  if (!roles || role in roles || BUILT_IN_ROLES.has(role)) return undefined;
  const suggestion = didYouMean(role, Object.keys(roles));
  return {
    code: 'permissions/unknown-role',
    severity: 'warning',
    path,
    target: 'value',
    message: `${where} names the role '${role}', which roles does not define: users cannot be given it in the admin app, so it probably grants nothing.`,
    hint: suggestion ? `Did you mean '${suggestion}'? Use a key of roles.` : `Define '${role}' under roles, or use one of: ${Object.keys(roles).join(', ') || '(none defined)'}.`,
    ...(suggestion ? { suggestion } : {}),
  };
}

function checkPermissions(ctx: WorkflowContext, roles: Record<string, any> | undefined, out: WorkflowProblem[]): void {
  const permissions = ctx.settings.permissions;
  if (permissions === undefined) return;
  if (!isObject(permissions)) {
    out.push({
      code: 'permissions/not-object',
      severity: 'error',
      path: ['permissions'],
      target: 'value',
      message: `permissions is ${Array.isArray(permissions) ? 'an array' : quote(permissions)}: cht-core looks each permission up by name in an object, so it finds none and nobody but admins has any permission.`,
      hint: 'Write permissions as { "can_view_reports": ["chw", …], … }.',
    });
    return;
  }
  const known = permissionNames(ctx.core.major, ctx.core.minor);
  for (const [name, value] of Object.entries(permissions)) {
    // (A custom permission the project's own code checks with cht.v1.hasPermissions grants what it says.)
    if (!known.has(name) && !ctx.permissionsInCode?.has(name)) {
      const history = permissionHistory(name, ctx.core.major, ctx.core.minor);
      // A name of another version is not a typo: suggesting a look-alike would mislead.
      const suggestion = history ? undefined : didYouMean(name, known);
      // api fills a permission the project leaves out with cht-core's default roles (api/src/services/settings.js).
      const filled = suggestion !== undefined && !(suggestion in permissions);
      out.push({
        code: 'permissions/unknown-permission',
        severity: 'warning',
        path: ['permissions', name],
        target: 'key',
        message: `'${name}' is not a permission cht-core ${ctx.core.label} reads${history ? ` (${history})` : ''}: it grants nothing${filled ? `, and '${suggestion}', left out, gets cht-core's default roles` : ''}.`,
        hint: `${suggestion ? `Did you mean '${suggestion}'? ` : ''}Permission names follow ${describeCoreVersion(ctx.core)}.`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
    if (typeof value === 'string') {
      out.push({
        code: 'permissions/string-roles',
        severity: 'error',
        path: ['permissions', name],
        target: 'value',
        message: `permissions.${name} is the string ${quote(value)}, not an array: api checks it letter by letter and never grants it (the app's substring test may show it granted).`,
        hint: `Write ${JSON.stringify([value])}.`,
        suggestion: JSON.stringify([value]),
      });
      continue;
    }
    if (!Array.isArray(value)) {
      out.push({
        code: 'permissions/roles-not-array',
        severity: 'error',
        path: ['permissions', name],
        target: 'value',
        message: `permissions.${name} is ${quote(value)}, not an array of roles: cht-core grants it to nobody${value === true ? ' (true does not mean everyone)' : ''}.`,
        hint: 'List the roles that have it, e.g. ["chw", "chw_supervisor"]; [] grants it to nobody but admins.',
      });
      continue;
    }
    value.forEach((role, i) => {
      const p = roleProblem(roles, ['permissions', name, i], role, `permissions.${name}`);
      if (p) out.push(p);
    });
  }
}

function checkReplicationDepth(ctx: WorkflowContext, roles: Record<string, any> | undefined, out: WorkflowProblem[]): void {
  const depth = ctx.settings.replication_depth;
  if (depth === undefined || depth === null) return;
  if (!Array.isArray(depth)) {
    out.push({
      code: 'permissions/replication-depth-not-array',
      severity: 'error',
      path: ['replication_depth'],
      target: 'value',
      message: `replication_depth is ${quote(depth)}, not an array: api calls replication_depth.find() for every user with roles, which throws, so their replication fails.`,
      hint: 'Write replication_depth as [{ "role": "chw", "depth": 1 }, …].',
    });
    return;
  }
  depth.forEach((entry, i) => {
    if (!isObject(entry)) {
      // api reads `.role` of each entry (Array.find): null or undefined throws, anything else matches no role.
      const throws = entry === null || entry === undefined;
      out.push({
        code: 'permissions/replication-depth-entry',
        severity: throws ? 'error' : 'warning',
        path: ['replication_depth', i],
        target: 'value',
        message: throws
          ? `replication_depth[${i}] is ${quote(entry)}: api reads .role of each entry and throws, so users with roles cannot replicate.`
          : `replication_depth[${i}] is ${quote(entry)}, not an object: it names no role, so it is ignored.`,
        hint: 'Write { "role": "chw", "depth": 1 }.',
      });
      return;
    }
    const p = roleProblem(roles, ['replication_depth', i, 'role'], entry.role, `replication_depth[${i}].role`);
    if (p) out.push(p.code === 'permissions/unknown-role' ? { ...p, code: 'permissions/replication-depth-role', message: p.message.replace('it probably grants nothing', 'this depth applies to nobody') } : p);
    if (Number.isNaN(parseInt(String(entry.depth), 10))) {
      out.push({
        code: 'permissions/replication-depth-depth',
        severity: 'warning',
        path: ['replication_depth', i, 'depth'],
        target: entry.depth === undefined ? 'missing' : 'value',
        message: `replication_depth[${i}].depth is ${entry.depth === undefined ? 'missing' : quote(entry.depth)}: api parses it as an integer, finds none and ignores this entry (the role replicates its whole hierarchy).`,
        hint: 'Give the number of levels below the user\'s place to replicate, e.g. "depth": 1.',
      });
    }
  });
}

/** `roles`, `permissions` and `replication_depth`. */
export const checkAccess: SectionCheck = (ctx) => {
  const out: WorkflowProblem[] = [];
  const roles = ctx.settings.roles;
  checkRoles(roles, out);
  // Role names can only be checked when the project sends its roles: otherwise the instance keeps its own.
  const defined = isObject(roles) ? roles : undefined;
  checkPermissions(ctx, defined, out);
  checkReplicationDepth(ctx, defined, out);
  return out;
};
