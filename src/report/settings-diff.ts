import type { ChalkInstance } from 'chalk';
import { countChanges, formatPath, type SettingsChange } from '../instance/diff.js';
import { textDiff } from './text-diff.js';

/**
 * Human and JSON renderings of a settings diff (what an upload changes) and of drift (what changed on the
 * instance since the last upload). Values are previewed, never dumped: a compiled rules string is 20 kB.
 */
const INLINE = 70;
/** Strings at least this long are shown as a text diff rather than old → new. */
const TEXT_DIFF_MIN = 120;
const JSON_VALUE_MAX = 1000;

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json.length <= INLINE) return json;
  if (typeof value === 'string') return `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`;
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (value && typeof value === 'object') {
    const n = Object.keys(value).length;
    return `{${n} key${n === 1 ? '' : 's'}}`;
  }
  return `${json.slice(0, INLINE)}…`;
}

function name(c: SettingsChange): string {
  return `${formatPath(c.path)}${c.label ? ` (${c.label})` : ''}`;
}

export function renderChanges(changes: readonly SettingsChange[], s: ChalkInstance, indent = '  '): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    if (c.kind === 'added') lines.push(`${indent}${s.green('+')} ${name(c)}: ${s.green(preview(c.after))}`);
    else if (c.kind === 'removed') lines.push(`${indent}${s.red('-')} ${name(c)}: ${s.red(preview(c.before))}`);
    else if (c.kind === 'moved') lines.push(`${indent}${s.cyan('↕')} ${name(c)}: moved from position ${c.from} to ${c.to}`);
    else if (typeof c.before === 'string' && typeof c.after === 'string' && Math.max(c.before.length, c.after.length) >= TEXT_DIFF_MIN) {
      lines.push(`${indent}${s.yellow('~')} ${name(c)}: text of ${c.before.length} → ${c.after.length} characters`);
      for (const row of textDiff(c.before, c.after)) {
        const colour = row.sign === '+' ? s.green : row.sign === '-' ? s.red : s.dim;
        lines.push(`${indent}    ${colour(`${row.sign} ${row.text}`)}`);
      }
    } else {
      lines.push(`${indent}${s.yellow('~')} ${name(c)}: ${s.red(preview(c.before))} → ${s.green(preview(c.after))}`);
    }
  }
  return lines;
}

export function summarize(changes: readonly SettingsChange[]): string {
  const n = countChanges(changes);
  const parts = [`${n.changed} changed`, `${n.added} added`, `${n.removed} removed`];
  if (n.moved) parts.push(`${n.moved} moved`);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The upload diff, for stdout. */
export function renderUploadDiff(
  changes: readonly SettingsChange[],
  instanceOnlyKeys: readonly string[],
  instance: string,
  s: ChalkInstance,
): string {
  const lines = [s.bold(`Changes to the app settings on ${instance} (instance → project):`), ...renderChanges(changes, s)];
  lines.push(summarize(changes));
  if (instanceOnlyKeys.length) {
    lines.push(s.dim(`Kept as they are (only on the instance; replace=1 leaves them): ${instanceOnlyKeys.join(', ')}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Drift: what someone changed on the instance since this project's last upload, for stderr. */
export function renderDrift(changes: readonly SettingsChange[], since: string, s: ChalkInstance): string {
  const lines = [
    `The app settings on the instance were changed since this project uploaded them (${since}),`,
    'e.g. in the admin app. Uploading overwrites these changes (last upload → now):',
    ...renderChanges(changes, s),
  ];
  return `${lines.join('\n')}\n`;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  if (json.length <= JSON_VALUE_MAX) return value;
  return { omitted: true, type: Array.isArray(value) ? 'array' : typeof value, ...(typeof value === 'string' ? { length: value.length } : {}) };
}

/** `--json`: a summary and one entry per change; long values are replaced by their type and length. */
export function changesJson(changes: readonly SettingsChange[]) {
  return {
    summary: countChanges(changes),
    changes: changes.map((c) => ({
      kind: c.kind,
      path: formatPath(c.path),
      ...(c.label ? { item: c.label } : {}),
      ...(c.kind === 'removed' || c.kind === 'changed' ? { before: jsonValue(c.before) } : {}),
      ...(c.kind === 'added' || c.kind === 'changed' ? { after: jsonValue(c.after) } : {}),
      ...(c.kind === 'moved' ? { from: c.from, to: c.to } : {}),
    })),
  };
}
