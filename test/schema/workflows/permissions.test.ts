import { describe, expect, it } from 'vitest';
import { permissionHistory, permissionNames } from '../../../src/schema/workflows/permission-names.js';
import { checkAccess } from '../../../src/schema/workflows/permissions.js';
import { workflowContext } from './context.js';

const ROLES = { chw: { name: 'usertype.chw', offline: true }, supervisor: { name: 'usertype.supervisor' } };
const run = (settings: Record<string, unknown>, core?: string) => checkAccess(workflowContext(settings, core ? { core } : {}));
const codes = (settings: Record<string, unknown>, core?: string) => run(settings, core).map((p) => p.code);

describe('permission names by version (config/default at each tag)', () => {
  it('has 4.11’s 50 names, and the changes of 4.12, 4.17, 5.1 and 5.2', () => {
    expect(permissionNames(4, 0).size).toBe(46);
    expect(permissionNames(4, 11).size).toBe(50);
    expect(permissionNames(4, 11).has('can_view_old_action_bar')).toBe(true);
    expect(permissionNames(4, 12).has('can_view_old_action_bar')).toBe(false);
    expect(permissionNames(4, 12).has('can_view_old_navigation')).toBe(true);
    expect(permissionNames(4, 16).has('can_skip_password_change')).toBe(false);
    expect(permissionNames(4, 17).has('can_skip_password_change')).toBe(true);
    expect(permissionNames(5, 2).has('can_track_task_interactions')).toBe(true);
    expect(permissionNames(5, 1).has('can_track_task_interactions')).toBe(false);
    // Read by 5.2's api (person controller) though config/default does not list it.
    expect(permissionNames(5, 2).has('can_update_people')).toBe(true);
    expect(permissionNames(5, 1).has('can_update_people')).toBe(false);
  });
  it('says when a name was added or removed relative to the target', () => {
    expect(permissionHistory('can_get_task_notifications', 4, 11)).toBe('added in cht-core 5.1');
    expect(permissionHistory('can_view_old_action_bar', 4, 0)).toBe('added in cht-core 4.2');
    expect(permissionHistory('can_view_old_action_bar', 5, 0)).toBe('removed in cht-core 4.12');
    expect(permissionHistory('can_export_forms', 4, 11)).toMatch(/2\.x\/3\.x/);
    expect(permissionHistory('can_edit', 4, 11)).toBeUndefined();
  });
});

describe('permissions', () => {
  it('a custom permission the project\'s own code checks (cht.v1.hasPermissions) is not unknown', () => {
    const settings = { roles: ROLES, permissions: { can_view_medical_history: ['chw'], can_create_chw: ['supervisor'] } };
    const ps = checkAccess(workflowContext(settings, { permissionsInCode: ['can_view_medical_history'] }));
    expect(ps.map((p) => `${p.code} ${p.path.join('.')}`)).toEqual(['permissions/unknown-permission permissions.can_create_chw']);
  });

  it('accepts arrays of defined and built-in roles', () => {
    expect(run({ roles: ROLES, permissions: { can_edit: ['chw', 'supervisor', '_admin', 'gateway'], can_view_reports: [] } })).toEqual([]);
    // `admin`: the role api gives a server admin's user (as IntelliSOFT's CHT Accelerator config grants it analytics).
    expect(run({ roles: ROLES, permissions: { can_view_analytics: ['supervisor', 'admin'] } })).toEqual([]);
  });

  it('errors on a string value (api iterates it letter by letter)', () => {
    const [p, ...rest] = run({ roles: ROLES, permissions: { can_access_gateway_api: 'chw' } });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'permissions/string-roles', severity: 'error', path: ['permissions', 'can_access_gateway_api'], target: 'value', suggestion: '["chw"]' });
    expect(p!.message).toContain("is the string 'chw', not an array");
  });

  it('errors on other non-array values', () => {
    expect(run({ permissions: { can_edit: true } })[0]).toMatchObject({ code: 'permissions/roles-not-array', severity: 'error' });
    expect(run({ permissions: ['can_edit'] })[0]).toMatchObject({ code: 'permissions/not-object', severity: 'error', path: ['permissions'] });
  });

  it('warns on a role roles does not define, with did-you-mean', () => {
    const [p] = run({ roles: ROLES, permissions: { can_edit: ['chw', 'supervsor'] } });
    expect(p).toMatchObject({ code: 'permissions/unknown-role', severity: 'warning', path: ['permissions', 'can_edit', 1], suggestion: 'supervisor' });
  });

  it('warns on a role list entry that is not a string', () => {
    expect(run({ roles: ROLES, permissions: { can_edit: ['chw', 3] } })[0]).toMatchObject({ code: 'permissions/role-not-string', path: ['permissions', 'can_edit', 1] });
  });

  it('does not check role names when the project sends no roles (the instance keeps its own)', () => {
    expect(run({ permissions: { can_edit: ['anyone'] } })).toEqual([]);
  });

  it('warns on a misspelt permission with the target version’s names, saying the real one gets default roles', () => {
    const [p] = run({ roles: ROLES, permissions: { can_view_report: ['chw'] } }, '4.11');
    expect(p).toMatchObject({ code: 'permissions/unknown-permission', severity: 'warning', target: 'key', suggestion: 'can_view_reports' });
    expect(p!.message).toContain("'can_view_reports', left out, gets cht-core's default roles");
    expect(p!.hint).toContain('cht-core 4.11 (from --core-version)');
  });

  it('follows the target version: 5.2 names warned for 4.11, accepted for 5.2; 4.11 names warned for 4.12', () => {
    const settings = { roles: ROLES, permissions: { can_get_task_notifications: ['chw'], can_view_old_filter_and_search: ['chw'] } };
    expect(codes(settings, '5.2')).toEqual(['permissions/unknown-permission']);
    expect(run(settings, '5.2')[0]!.message).toContain('removed in cht-core 4.12');
    expect(run(settings, '4.11').map((p) => p.message)).toEqual([expect.stringContaining('added in cht-core 5.1')]);
    // Without --core-version: the newest known, and the hint says so.
    expect(run(settings)[0]!.hint).toContain("chtkit's newest known version");
  });
});

describe('roles', () => {
  it('errors on offline: "false" (truthy: the role becomes offline)', () => {
    const [p] = run({ roles: { supervisor: { name: 'x', offline: 'false' } } });
    expect(p).toMatchObject({ code: 'permissions/offline-string', severity: 'error', path: ['roles', 'supervisor', 'offline'] });
  });
  it('warns on other non-boolean offline values, accepts booleans', () => {
    expect(codes({ roles: { a: { offline: 1 } } })).toEqual(['permissions/offline-not-boolean']);
    expect(codes({ roles: { a: { offline: false }, b: { offline: true }, c: {} } })).toEqual([]);
  });
  it('errors on roles that are not an object', () => {
    expect(codes({ roles: ['chw'] })).toEqual(['permissions/roles-not-object']);
  });
});

describe('replication_depth', () => {
  it('accepts defined roles with numeric depths', () => {
    expect(run({ roles: ROLES, replication_depth: [{ role: 'chw', depth: 2, report_depth: 1 }, { role: 'supervisor', depth: '3' }] })).toEqual([]);
  });
  it('warns on an undefined role and an unparseable depth', () => {
    const problems = run({ roles: ROLES, replication_depth: [{ role: 'non-existant-role', depth: 1 }, { role: 'chw', depth: 'two' }] });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['permissions/replication-depth-role', ['replication_depth', 0, 'role']],
      ['permissions/replication-depth-depth', ['replication_depth', 1, 'depth']],
    ]);
    expect(problems[0]!.message).toContain('this depth applies to nobody');
  });
  it('errors when it is not an array (api calls find() on it)', () => {
    expect(codes({ replication_depth: { chw: 1 } })).toEqual(['permissions/replication-depth-not-array']);
  });
});
