// Targets by month: one column per reporting month, one row per target, each cell the value
// `dry-run-targets --month=YYYY-MM --json` gives (count, or pass/total and percent) against the goal. Every
// cell is in the DOM from the start (the contract's [data-target]); the table is small (targets x months).
import type { ReportTarget, ReportTargetMonth } from '../../src/report/html/report-data.js';
import type { Model } from './model.js';
import { html, memo } from './html.js';
import { shortMonth } from './dates.js';
import { compareTargets, type TargetChange } from '../../src/impact/targets-diff.js';

/** Whether a value meets its goal; null when the target has none (cht-core's goal -1, or no goal at all). */
export function meetsGoal(t: ReportTarget): boolean | null {
  if (!(t.goal >= 0)) return null;
  if (t.type === 'percent') return (t.percent ?? (t.total > 0 ? Math.round((t.pass * 100) / t.total) : 0)) >= t.goal;
  return t.pass >= t.goal;
}

function Cell({ t, month }: { t: ReportTarget | undefined; month: ReportTargetMonth }) {
  if (!t) return html`<td class="muted" title="Not given this month">—</td>`;
  const met = meetsGoal(t);
  const value = t.type === 'percent' ? html`<strong>${t.percent ?? 0}%</strong> <span class="small">${t.pass}/${t.total}</span>` : html`<strong>${t.pass}</strong>`;
  const goal = t.goal >= 0 ? `${t.goal}${t.type === 'percent' ? '%' : ''}` : null;
  return html`<td data-target data-id=${t.id} data-month=${month.month} data-pass=${t.pass} data-total=${t.total}
      class=${met === null ? '' : met ? 'goal-met' : 'goal-missed'} title=${`Evaluated on ${month.evaluatedOn} (${month.interval.start} … ${month.interval.end})`}>
      ${value}
      ${goal !== null ? html`<div class="small">${met ? '✓ meets' : '✗ below'} goal ${goal}</div>` : null}
    </td>`;
}

const values = (months: readonly ReportTargetMonth[]) =>
  months.map((m) => ({ month: m.month, interval: m.interval, targets: m.targets.map((t) => ({ id: t.id, value: { pass: t.pass, total: t.total, ...(t.percent !== undefined ? { percent: t.percent } : {}) } })) }));

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0');
const valueText = (t: ReportTarget['type'], v: TargetChange['before']) =>
  v === null ? '—' : t === 'percent' ? `${v.percent ?? 0}% (${v.pass}/${v.total})` : String(v.pass);

/** The impact preview's cell: the old value, the new one, and the difference (`dry-run-targets --against`'s numbers). */
function CompareCell({ t, c, type, month, label }: { t: ReportTarget | undefined; c: TargetChange | undefined; type: ReportTarget['type']; month: ReportTargetMonth; label: string }) {
  if (!c) return html`<td class="muted" title="Not given this month on either side">—</td>`;
  const change = c.before === null ? 'added' : c.after === null ? 'removed' : c.changed ? 'changed' : undefined;
  const delta = c.delta === null ? (change === 'added' ? 'new target' : 'target gone') : type === 'percent' && c.delta.percent !== undefined ? `${signed(c.delta.percent)} pts (${signed(c.delta.pass)}/${signed(c.delta.total)})` : type === 'percent' ? `${signed(c.delta.pass)}/${signed(c.delta.total)}` : signed(c.delta.pass);
  const attrs = {
    'data-id': c.id,
    'data-month': month.month,
    'data-change': change,
    'data-before-pass': c.before?.pass,
    'data-before-total': c.before?.total,
    'data-delta-pass': c.delta?.pass,
    'data-delta-total': c.delta?.total,
  };
  const body = html`
      <div class="target-pair"><span class="was" title=${`with ${label}`}>${valueText(type, c.before)}</span> → <strong>${valueText(type, c.after)}</strong></div>
      <div class=${`small delta${change ? ' is-changed' : ''}`}>${change ? delta : 'no change'}</div>`;
  // [data-target] is the new side's value (the report's contract); a target only the old side has is [data-target-before].
  return t
    ? html`<td data-target ...${attrs} data-pass=${t.pass} data-total=${t.total} class=${change ? 'target-changed' : ''} title=${`Evaluated on ${month.evaluatedOn}; before: with ${label}`}>${body}</td>`
    : html`<td data-target-before ...${attrs} class="target-changed" title=${`Only with ${label}`}>${body}</td>`;
}

export const Targets = memo(function Targets({ model, against, label }: { model: Model; against?: readonly ReportTargetMonth[] | undefined; label?: string }) {
  const { targets } = model.data;
  const compared = against ? compareTargets(values(against), values(targets)) : undefined;
  const rowsAgainst = against ?? [];
  // Rows: every target id seen in any month, in order of first appearance.
  const rows: { id: string; title: string; type: ReportTarget['type'] }[] = [];
  const seen = new Set<string>();
  for (const m of [...targets, ...rowsAgainst]) {
    for (const t of m.targets) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      rows.push({ id: t.id, title: model.translate(t.title) || t.id, type: t.type });
    }
  }
  return html`
    <section class="targets" id="targets" aria-labelledby="targets-title">
      <h2 id="targets-title">Targets by month</h2>
      ${rows.length === 0
        ? html`<p class="empty">No targets${targets.length === 0 ? ' (no reporting month in the span)' : ''}.</p>`
        : html`
          ${compared ? html`<p data-targets-against>Each cell: the value with <code>${label}</code> → the value now, and the difference (<code>dry-run-targets --against</code>'s numbers).</p>` : null}
          <p class="muted small">Each month as <code>dry-run-targets --month=YYYY-MM</code> gives it: evaluated on the reporting interval's last day, also for a month the span ends inside.</p>
          <div class="table-scroll">
            <table class="targets-table">
              <thead><tr><th scope="col">Target</th>${targets.map((m) => html`<th scope="col" title=${`${m.interval.start} … ${m.interval.end}`}>${shortMonth(`${m.month}-01`)}</th>`)}</tr></thead>
              <tbody>
                ${rows.map(
                  (r) => html`<tr>
                    <th scope="row">${r.title}<div class="muted small"><code>${r.id}</code> · ${r.type}</div></th>
                    ${targets.map((m, i) => (compared
                      ? html`<${CompareCell} t=${m.targets.find((t) => t.id === r.id)} c=${compared[i]!.targets.find((t) => t.id === r.id)} type=${r.type} month=${m} label=${label ?? ''} />`
                      : html`<${Cell} t=${m.targets.find((t) => t.id === r.id)} month=${m} />`))}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
        `}
    </section>
  `;
});
