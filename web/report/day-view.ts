// The day view: what the phone's Tasks tab lists on the selected day. cht-core 4.11 takes the rules engine's
// Ready tasks in `tasks_by_contact` view order and sorts a copy with `orderByDueDate`
// (webapp/src/ts/reducers/tasks.ts), so the page does exactly that: `[...list].sort(orderByDueDate)` over
// objects carrying `dueDate`, the same V8 sort as the app's.

import type { Model } from './model.js';
import { orderByDueDate, isOverdue } from '../../src/report/html/report-data.js';
import { html, memo } from './html.js';
import { swatchStyle, taskLetter } from './palette.js';
import { longDate } from './dates.js';

interface Props {
  model: Model;
  day: string;
  onDay: (date: string) => void;
  onOpen: (window: number) => void;
  selectedWindow: number | null;
}

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
}

/**
 * One task row, memoised and keyed by window: from one day to the next most Ready tasks stay Ready, so moving
 * the day re-renders only the rows that came, went or changed (a 10,000-patient day lists ~2,400). The row
 * number is a CSS counter for the same reason: a row's props do not change when rows above it do.
 */
const DayRow = memo(function DayRow({ model, w, overdue, selected, onOpen }: RowProps) {
  const { data } = model;
  const win = data.windows[w]!;
  const e = model.emission(w);
  const title = model.translate(e.title) || data.taskNames[win.task];
  const contactName = text(e.contact?.name) || (win.owner >= 0 ? data.contacts[win.owner]!.name : win.ownerId);
  const priority = text(e.priority);
  const priorityLabel = model.translate(e.priorityLabel);
  const forms = (e.actions ?? []).map((a) => text(a?.form)).filter((f) => f !== '');
  return html`
    <tr data-day-task data-id=${win.id} data-owner=${win.ownerId} class=${selected ? 'is-selected' : ''}>
      <td class="num"></td>
      <td>
        <button type="button" class="link" onClick=${() => onOpen(w)} aria-label=${`Details of ${title} for ${contactName}`}>
          <span class="swatch" style=${swatchStyle(win.task)} aria-hidden="true">${taskLetter(win.task)}</span>
          <span class="task-title">${title}</span>
        </button>
        <div class="muted small">${data.taskNames[win.task]}</div>
      </td>
      <td>${contactName}</td>
      <td><time datetime=${win.due}>${win.due}</time>${overdue ? html` <span class="badge overdue">overdue</span>` : null}</td>
      <td>${priority ? html`<span class="badge priority">${priority === 'high' ? '▲ high' : priority}</span>${priorityLabel ? html` <span class="small">${priorityLabel}</span>` : null}` : html`<span class="muted">—</span>`}</td>
      <td>${forms.length > 0 ? forms.map((f, k) => html`${k > 0 ? ', ' : ''}<code>${f}</code>`) : html`<span class="muted">—</span>`}</td>
    </tr>
  `;
});


export const DayView = memo(function DayView({ model, day, onDay, onOpen, selectedWindow }: Props) {
  const { data } = model;
  const index = model.dayIndex(day);
  const inSpan = index >= 0 && index < model.dayCount;
  const ordered = inSpan ? tasksTabOrder(model, index) : [];
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
      ${ordered.length > 0
        ? html`
          <div class="table-scroll">
            <table class="tasks-table">
              <colgroup><col class="c-num" /><col class="c-task" /><col class="c-contact" /><col class="c-due" /><col class="c-priority" /><col class="c-forms" /></colgroup>
              <thead>
                <tr><th scope="col">#</th><th scope="col">Task</th><th scope="col">Contact</th><th scope="col">Due</th><th scope="col">Priority</th><th scope="col">Forms</th></tr>
              </thead>
              <tbody>
                ${ordered.map((w) => html`<${DayRow} key=${w} model=${model} w=${w} overdue=${isOverdue(data.windows[w]!.due, day, data.header.at)} selected=${selectedWindow === w} onOpen=${onOpen} />`)}
              </tbody>
            </table>
          </div>
        `
        : null}
    </section>
  `;
});
