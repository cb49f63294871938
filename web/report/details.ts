// Details of one window: the emission as the rules gave it, and why it shows or not on the selected day —
// the run covering that day with the dry-run's reason (the same reasons as --explain), or, outside every run,
// that it was not emitted (or, without --all-states, not Ready) that day.
import type { ReportState } from '../../src/report/html/report-data.js';
import type { Model } from './model.js';
import { html } from './html.js';
import { swatchStyle, taskLetter } from './palette.js';
import { stateGlyph, stateWords } from './states.js';
import { longDate } from './dates.js';
import { useContext } from 'preact/hooks';
import { ChangesContext, windowKey } from './live-changes.js';

interface Props {
  model: Model;
  window: number;
  state: ReportState;
  day: string;
  onClose: () => void;
  onContact: (id: string) => void;
}

const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

export function whyOnDay(model: Model, window: number, day: string): { state: ReportState | null; text: string } {
  const { data } = model;
  const win = data.windows[window]!;
  const i = model.dayIndex(day);
  const run = win.runs.find(([a, b]) => a <= i && i <= b);
  if (run) {
    const reason = run[3] >= 0 ? data.strings[run[3]] : undefined;
    const base = run[2] === 'Ready' ? `Ready on ${day}: on the Tasks tab (window ${win.start} … ${win.end}, due ${win.due}).` : `${run[2]} on ${day}.`;
    return { state: run[2], text: reason ? `${base} ${reason}` : base };
  }
  if (i < 0 || i >= model.dayCount) return { state: null, text: `${day} is outside the span ${data.header.from} … ${data.header.to}.` };
  return data.header.allStates
    ? { state: null, text: `Not emitted on ${day}: the rules gave no task with this _id and these dates that day.` }
    : { state: null, text: `Not Ready on ${day}. This report was made without --all-states, so only the days a task is Ready are known; run dry-run-tasks with --all-states (or --explain=${data.taskNames[win.task]}) to see why.` };
}

export function Details({ model, window, state, day, onClose, onContact }: Props) {
  const { data } = model;
  const win = data.windows[window]!;
  const e = model.emission(window);
  const title = model.translate(e.title) || data.taskNames[win.task]!;
  const why = whyOnDay(model, window, day);
  const actions = Array.isArray(e.actions) ? e.actions : [];
  // The impact preview draws the old side's removed windows too: say that what follows is the old side's.
  const changes = useContext(ChangesContext);
  const change = changes.marks.get(windowKey(win, win.ownerId));
  const was = change === 'moved' ? changes.moves.get(windowKey(win, win.ownerId)) : undefined;
  return html`
    <aside class="details" role="region" aria-labelledby="details-title" aria-live="polite" data-details data-id=${win.id} data-state=${state}>
      <div class="details-head">
        <h2 id="details-title"><span class="swatch" style=${swatchStyle(win.task)} aria-hidden="true">${taskLetter(win.task)}</span> ${title}</h2>
        <button type="button" class="close" onClick=${onClose} aria-label="Close details">✕</button>
      </div>
      ${change === 'removed'
        ? html`<p class="why change-note" data-details-change="removed"><strong>Removed ${changes.since}:</strong> only the old rules gave this window; what follows is what they gave.</p>`
        : change === 'moved' && was
          ? html`<p class="why change-note" data-details-change="moved"><strong>Moved ${changes.since}:</strong> was ${was.start} … ${was.end}, due ${was.due}.</p>`
          : change === 'added'
            ? html`<p class="why change-note" data-details-change="added"><strong>Added ${changes.since}:</strong> the old rules did not give this window.</p>`
            : null}
      <p class="why" data-why data-why-state=${why.state ?? ''}><strong>${longDate(day)}:</strong> ${why.text}</p>
      <dl class="kv">
        <dt>Task</dt><dd>${data.taskNames[win.task]}</dd>
        <dt>Bar</dt><dd>${stateGlyph(state)} ${stateWords(state)}</dd>
        <dt>_id</dt><dd><code>${win.id}</code></dd>
        <dt>Owner</dt><dd>${win.ownerId !== '' ? html`<button type="button" class="link" onClick=${() => onContact(win.ownerId)}>${win.owner >= 0 ? `${data.contacts[win.owner]!.name} ` : ''}(${win.ownerId})</button>` : '—'}</dd>
        <dt>Requester</dt><dd>${win.requester === null ? html`<span class="muted">none (contact-less)</span>` : html`<code>${win.requester}</code>`}</dd>
        <dt>Contact label</dt><dd>${text(e.contact?.name) || html`<span class="muted">—</span>`}</dd>
        <dt>Window</dt><dd>${win.start} … ${win.end}, due ${win.due}</dd>
        <dt>Icon</dt><dd>${text(e.icon) || html`<span class="muted">—</span>`}</dd>
        <dt>Priority</dt><dd>${e.priority !== undefined ? `${text(e.priority)}${e.priorityLabel !== undefined ? ` — ${model.translate(e.priorityLabel)}` : ''}` : html`<span class="muted">—</span>`}</dd>
        <dt>Resolved</dt><dd>${e.resolved === true ? 'yes' : e.resolved === false ? 'no' : html`<span class="muted">—</span>`}</dd>
      </dl>
      <h3>Actions</h3>
      ${actions.length === 0
        ? html`<p class="muted">none</p>`
        : html`<ol class="actions">${actions.map(
            (a) => html`<li><strong>${model.translate(a?.label) || 'Action'}</strong> ${text(a?.type)} <code>${text(a?.form)}</code>
              ${a?.content !== undefined ? html`<pre class="content">${JSON.stringify(a.content, null, 2)}</pre>` : null}</li>`,
          )}</ol>`}
      <h3>Days in each state</h3>
      <ul class="runs">
        ${win.runs.map(([a, b, s, r]) => html`<li><span class=${`key-bar state-${s}`} style=${`--c:var(--fg-soft);--ink:var(--bg)`}>${stateGlyph(s) || '■'} ${s}</span> ${data.days[a]?.date}${b > a ? ` … ${data.days[b]?.date}` : ''}${r >= 0 ? html` <span class="muted small">${data.strings[r]}</span>` : null}</li>`)}
      </ul>
    </aside>
  `;
}
