// The day view: what the phone's Tasks tab lists on the selected day. cht-core 4.11 takes the rules engine's
// Ready tasks in `tasks_by_contact` view order and sorts a copy with `orderByDueDate`
// (webapp/src/ts/reducers/tasks.ts), so the page does exactly that: `[...list].sort(orderByDueDate)` over
// objects carrying `dueDate`, the same V8 sort as the app's.

import type { Model } from './model.js';
import { orderByDueDate, isOverdue } from '../../src/report/html/report-data.js';
import { html, memo } from './html.js';
import { swatchStyle, taskLetter } from './palette.js';
import { longDate } from './dates.js';
import type { Impact } from './compare.js';

interface Props {
  model: Model;
  day: string;
  onDay: (date: string) => void;
  onOpen: (window: number) => void;
  selectedWindow: number | null;
  /** The impact preview (--against): the day's tasks marked added or changed, the removed ones listed after. */
  impact?: Impact | undefined;
}

export type DayChange = 'added' | 'removed' | 'changed';

/** The selected day's Ready windows in the Tasks tab's order. */
export function tasksTabOrder(model: Model, dayIndex: number): number[] {
  const day = model.data.days[dayIndex];
  if (!day) return [];
  const list = day.ready.map((w) => ({ w, dueDate: model.data.windows[w]!.due }));
  return [...list].sort(orderByDueDate).map((x) => x.w);
}

const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

interface RowProps {
  model: Model;
  w: number;
  overdue: boolean;
  selected: boolean;
  onOpen: (window: number) => void;
  change?: DayChange | undefined;
  /** The window the details open (removed rows: the old window's index in the merged report, -1: none). */
  opens?: number | undefined;
  since?: string | undefined;
}

const CHANGE_BADGE: Record<DayChange, string> = { added: '+ added', removed: '− removed', changed: '~ changed' };

/**
 * One task row, memoised and keyed by window: from one day to the next most Ready tasks stay Ready, so moving
 * the day re-renders only the rows that came, went or changed (a 10,000-patient day lists ~2,400). The row
 * number is a CSS counter for the same reason: a row's props do not change when rows above it do.
 */
const DayRow = memo(function DayRow({ model, w, overdue, selected, onOpen, change, opens, since }: RowProps) {
  const { data } = model;
  const win = data.windows[w]!;
  const e = model.emission(w);
  const title = model.translate(e.title) || data.taskNames[win.task];
  const contactName = text(e.contact?.name) || (win.owner >= 0 ? data.contacts[win.owner]!.name : win.ownerId);
  const priority = text(e.priority);
  const priorityLabel = model.translate(e.priorityLabel);
  const forms = (e.actions ?? []).map((a) => text(a?.form)).filter((f) => f !== '');
  const target = opens ?? w;
  const label = html`<span class="swatch" style=${swatchStyle(win.task)} aria-hidden="true">${taskLetter(win.task)}</span>
          <span class="task-title">${title}</span>`;
  return html`
    <tr data-day-task data-id=${win.id} data-owner=${win.ownerId} data-change=${change} class=${`${selected ? 'is-selected' : ''}${change ? ` day-${change}` : ''}`}>
      <td class=${change === 'removed' ? 'num-removed' : 'num'}>${change === 'removed' ? '−' : ''}</td>
      <td>
        ${target >= 0
          ? html`<button type="button" class="link" onClick=${() => onOpen(target)} aria-label=${`Details of ${title} for ${contactName}${change ? ` (${change} ${since ?? ''})` : ''}`}>${label}</button>`
          : html`<span aria-label=${`${title} for ${contactName} (${change ?? ''} ${since ?? ''})`}>${label}</span>`}
        ${change ? html` <span class=${`badge change-badge change-${change}`}>${CHANGE_BADGE[change]}</span>` : null}
        <div class="muted small">${data.taskNames[win.task]}</div>
      </td>
      <td>${contactName}</td>
      <td><time datetime=${win.due}>${win.due}</time>${overdue ? html` <span class="badge overdue">overdue</span>` : null}</td>
      <td>${priority ? html`<span class="badge priority">${priority === 'high' ? '▲ high' : priority}</span>${priorityLabel ? html` <span class="small">${priorityLabel}</span>` : null}` : html`<span class="muted">—</span>`}</td>
      <td>${forms.length > 0 ? forms.map((f, k) => html`${k > 0 ? ', ' : ''}<code>${f}</code>`) : html`<span class="muted">—</span>`}</td>
    </tr>
  `;
});


/** Windows of a model in the Tasks tab's order (view order, then orderByDueDate). */
function orderOf(model: Model, windows: readonly number[]): number[] {
  const list = [...windows].sort((a, b) => a - b).map((w) => ({ w, dueDate: model.data.windows[w]!.due }));
  return [...list].sort(orderByDueDate).map((x) => x.w);
}

export const DayView = memo(function DayView({ model, day, onDay, onOpen, selectedWindow, impact }: Props) {
  const { data } = model;
  const index = model.dayIndex(day);
  const inSpan = index >= 0 && index < model.dayCount;
  const ordered = inSpan ? tasksTabOrder(model, index) : [];
  const changes = impact && inSpan ? impact.comparison.days[index] : undefined;
  const marks = new Map<number, DayChange>();
  for (const w of changes?.added ?? []) marks.set(w, 'added');
  for (const w of changes?.changed ?? []) marks.set(w, 'changed');
  // The old side's Ready tasks of the day that the new side no longer has, in the old Tasks tab's order.
  const removed = impact && changes ? orderOf(impact.old, changes.removed) : [];
  const move = (delta: number) => {
    const i = Math.min(model.dayCount - 1, Math.max(0, index + delta));
    onDay(data.days[i]!.date);
  };

  return html`
    <section class="day-view" id="day-view" aria-labelledby="day-title">
      <div class="section-head">
        <h2 id="day-title">Tasks tab on ${longDate(day)}</h2>
        <div class="day-nav">
          <button type="button" onClick=${() => move(-1)} disabled=${index <= 0} aria-label="Previous day">◀</button>
          <input type="date" aria-label="Day" value=${day} min=${data.header.from} max=${data.header.to}
            onChange=${(ev: Event) => {
              const v = (ev.currentTarget as HTMLInputElement).value;
              if (v) onDay(v);
            }} />
          <button type="button" onClick=${() => move(1)} disabled=${index >= model.dayCount - 1} aria-label="Next day">▶</button>
        </div>
      </div>
      <p data-day-summary data-date=${day} data-ready=${ordered.length} class="day-summary">
        ${inSpan
          ? html`<strong>${ordered.length.toLocaleString('en')}</strong> Ready ${ordered.length === 1 ? 'task' : 'tasks'}, as the Tasks tab orders them (by due date; view order among equal ones).`
          : html`${day} is outside the span ${data.header.from} … ${data.header.to}.`}
      </p>
      ${changes && impact
        ? html`<p data-day-impact data-added=${changes.added.length} data-removed=${changes.removed.length} data-changed=${changes.changed.length} class="day-summary">
            Against <code>${impact.label}</code>: ${changes.added.length} added, ${changes.removed.length} removed (struck through, below), ${changes.changed.length} changed.
          </p>`
        : null}
      ${ordered.length > 0 || removed.length > 0
        ? html`
          <div class="table-scroll">
            <table class="tasks-table">
              <colgroup><col class="c-num" /><col class="c-task" /><col class="c-contact" /><col class="c-due" /><col class="c-priority" /><col class="c-forms" /></colgroup>
              <thead>
                <tr><th scope="col">#</th><th scope="col">Task</th><th scope="col">Contact</th><th scope="col">Due</th><th scope="col">Priority</th><th scope="col">Forms</th></tr>
              </thead>
              <tbody>
                ${ordered.map((w) => html`<${DayRow} key=${w} model=${model} w=${w} overdue=${isOverdue(data.windows[w]!.due, day, data.header.at)} selected=${selectedWindow === w} onOpen=${onOpen} change=${marks.get(w)} since=${impact?.changes.since} />`)}
              </tbody>
              ${impact && removed.length > 0
                ? html`<tbody class="removed-rows">
                    <tr class="removed-head"><th scope="rowgroup" colspan="6">No longer on the Tasks tab this day — Ready here with <code>${impact.label}</code></th></tr>
                    ${removed.map((w) => html`<${DayRow} key=${`old-${w}`} model=${impact.old} w=${w} overdue=${isOverdue(impact.old.data.windows[w]!.due, day, data.header.at)} selected=${false} onOpen=${onOpen} change="removed" opens=${impact.mergedOfOld.get(w) ?? -1} since=${impact.changes.since} />`)}
                  </tbody>`
                : null}
            </table>
          </div>
        `
        : null}
    </section>
  `;
});
