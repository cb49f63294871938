/**
 * The permission names each cht-core version reads: the keys of cht-core's own `config/default` permissions
 * (api fills every missing one from it, and no other name is read). Checked against cht-core's
 * config/default/app_settings.json at every tag 4.0.0 … 5.2.0: 4.0 and 4.1 have the same 46 names,
 * then each version below adds or removes the names listed. Also checked against the `can_*` names the code of
 * each tag mentions (api, sentinel, shared-libs, webapp, admin): the only one read and not in config/default is
 * can_update_people from 5.2, added here.
 */

const BASE_4_0 = [
  'can_access_gateway_api', 'can_aggregate_targets', 'can_bulk_delete_reports', 'can_configure', 'can_create_people',
  'can_create_places', 'can_create_records', 'can_create_users', 'can_delete_contacts', 'can_delete_messages',
  'can_delete_reports', 'can_delete_users', 'can_edit', 'can_edit_profile', 'can_edit_verification', 'can_export_all',
  'can_export_contacts', 'can_export_dhis', 'can_export_feedback', 'can_export_messages', 'can_log_out_on_android',
  'can_update_places', 'can_update_reports', 'can_update_users', 'can_upgrade', 'can_verify_reports', 'can_view_analytics',
  'can_view_analytics_tab', 'can_view_call_action', 'can_view_contacts', 'can_view_contacts_tab',
  'can_view_last_visited_date', 'can_view_message_action', 'can_view_messages', 'can_view_messages_tab',
  'can_view_old_filter_and_search', 'can_view_outgoing_messages', 'can_view_reports', 'can_view_reports_tab',
  'can_view_tasks', 'can_view_tasks_group', 'can_view_tasks_tab', 'can_view_uhc_stats',
  'can_view_unallocated_data_records', 'can_view_users', 'can_write_wealth_quintiles',
] as const;

interface Change {
  major: number;
  minor: number;
  added: readonly string[];
  removed: readonly string[];
}

/** In version order. */
const CHANGES: readonly Change[] = [
  { major: 4, minor: 2, added: ['can_view_old_action_bar'], removed: [] },
  { major: 4, minor: 3, added: ['can_default_facility_filter'], removed: [] },
  { major: 4, minor: 7, added: ['can_export_devices_details'], removed: [] },
  { major: 4, minor: 9, added: ['can_have_multiple_places'], removed: [] },
  { major: 4, minor: 12, added: ['can_view_old_navigation'], removed: ['can_view_old_action_bar', 'can_view_old_filter_and_search'] },
  { major: 4, minor: 17, added: ['can_skip_password_change'], removed: [] },
  { major: 5, minor: 1, added: ['can_get_task_notifications'], removed: [] },
  // can_update_people is not in 5.2's config/default, but 5.2's api reads it (api/src/controllers/person.js, with can_edit).
  { major: 5, minor: 2, added: ['can_track_task_interactions', 'can_update_people'], removed: [] },
];

/** Names of cht-core 2.x/3.x that no 4.x or 5.x code reads (cht-core's config/standard still lists some). */
const RETIRED = ['can_export_forms', 'can_view_data_records', 'can_update_messages', 'can_update_people', 'can_access_directly'];

const before = (c: Change, major: number, minor: number): boolean => c.major < major || (c.major === major && c.minor <= minor);

/** The permission names cht-core `major.minor` reads. */
export function permissionNames(major: number, minor: number): Set<string> {
  const names = new Set<string>(BASE_4_0);
  for (const c of CHANGES) {
    if (!before(c, major, minor)) break;
    c.added.forEach((n) => names.add(n));
    c.removed.forEach((n) => names.delete(n));
  }
  return names;
}

/**
 * Why `major.minor` does not read `name` when another version does: `added in cht-core 5.1` (target too old),
 * `removed in cht-core 4.12` (target too new), or a retired 2.x/3.x name.
 */
export function permissionHistory(name: string, major: number, minor: number): string | undefined {
  let removed: Change | undefined;
  for (const c of CHANGES) {
    const applies = before(c, major, minor);
    if (!applies && c.added.includes(name)) return `added in cht-core ${c.major}.${c.minor}`;
    if (applies && c.removed.includes(name)) removed = c;
  }
  if (removed) return `removed in cht-core ${removed.major}.${removed.minor}`;
  return RETIRED.includes(name) ? 'a cht-core 2.x/3.x name that no 4.x or 5.x code reads' : undefined;
}

/**
 * Roles a user can have without `roles` defining them: CouchDB's `_admin` (has every permission), `admin` (the
 * role api gives the user it creates for a server admin at first login: `createAdmin` in
 * shared-libs/user-management/src/users.js, 4.11.0), `mm-online` (api adds it to online users), and the roles
 * cht-core still derives from the deprecated user `type` (shared-libs/user-management/src/libs/types-and-roles.js).
 */
export const BUILT_IN_ROLES: ReadonlySet<string> = new Set([
  '_admin', 'admin', 'mm-online',
  'national-manager', 'district-manager', 'facility-manager', 'data-entry', 'analytics', 'gateway',
  'kujua_user', 'data_entry', 'national_admin', 'district_admin', 'kujua_analytics', 'kujua_gateway',
]);
