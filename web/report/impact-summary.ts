// The impact preview's summary, under the report's header: what the page compares against (the label of
// --against) and what changed — Ready task-days added, removed and changed (the counts `dry-run-tasks --against
// --json` gives), task windows added, removed and moved on the timeline, contacts affected, target values that
// differ — with a per-task table.
import type { MonthComparison } from '../../src/impact/targets-diff.js';
import type { Impact } from './compare.js';
import { html } from './html.js';

const num = (n: number) => n.toLocaleString('en');

export function ImpactSummary({ impact, targets }: { impact: Impact; targets: readonly MonthComparison[] }) {
  const { counts, byTask, windows, contactsAffected } = impact.comparison;
  const targetChanges = targets.reduce((n, m) => n + m.targets.filter((t) => t.changed).length, 0);
  const total = counts.added + counts.removed + counts.changed;
  const tasks = Object.entries(byTask);
  return html`
    <section class="impact-summary" aria-labelledby="impact-title" data-impact-summary data-against=${impact.label}
      data-added=${counts.added} data-removed=${counts.removed} data-changed=${counts.changed}
      data-windows-added=${windows.appeared.length} data-windows-removed=${windows.disappeared.length} data-windows-moved=${windows.moved.length}
      data-contacts-affected=${contactsAffected} data-targets-changed=${targetChanges}>
      <h2 id="impact-title">Impact against <code>${impact.label}</code></h2>
      <p>
        ${total === 0
          ? html`<strong>No change in Ready tasks</strong> over the span.`
          : html`Ready task-days: <strong class="impact-added">${num(counts.added)} added</strong>, <strong class="impact-removed">${num(counts.removed)} removed</strong>, <strong class="impact-changed">${num(counts.changed)} changed</strong>, for ${num(contactsAffected)} ${contactsAffected === 1 ? 'contact' : 'contacts'}.`}
        ${' '}Task windows: ${num(windows.appeared.length)} added, ${num(windows.disappeared.length)} removed, ${num(windows.moved.length)} moved.
        ${' '}Targets: ${targetChanges === 0 ? 'no value changed' : `${num(targetChanges)} month × target ${targetChanges === 1 ? 'value' : 'values'} changed`}.
      </p>
      <p class="muted small">The page shows the rules now; <span class="legend added">added</span>, <span class="legend removed">removed</span> (drawn from <code>${impact.label}</code>) and <span class="legend moved">moved</span> windows are marked on the timeline, and the day view lists the day's changes.</p>
      ${tasks.length > 0
        ? html`<details>
            <summary>Per task</summary>
            <table class="impact-table">
              <thead><tr><th scope="col">Task</th><th scope="col">Added</th><th scope="col">Removed</th><th scope="col">Changed</th></tr></thead>
              <tbody>${tasks.map(([name, c]) => html`<tr data-impact-task=${name}><th scope="row">${name}</th><td>${num(c.added)}</td><td>${num(c.removed)}</td><td>${num(c.changed)}</td></tr>`)}</tbody>
            </table>
          </details>`
        : null}
    </section>
  `;
}
