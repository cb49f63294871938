// The contact timeline: a row per owner, grouped under places, a bar per window and state. Only the rows in
// view (plus a margin, plus the deep-linked contact's row) are in the DOM; the geometry is timeline-layout.ts.
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReportState } from '../../src/report/html/report-data.js';
import type { Model } from './model.js';
import { html, memo } from './html.js';
import { HEADING_H, itemAt, LANE_H, layoutTimeline, type Bar, type Item, type RowLayout } from './timeline-layout.js';
import { taskColour, taskLetter, taskInk } from './palette.js';
import { STATES, stateGlyph } from './states.js';
import { shortMonth } from './dates.js';
import { ChangesContext, windowKey } from './live-changes.js';

export interface Selection {
  window: number;
  state: ReportState;
}

interface Props {
  model: Model;
  day: string;
  pinned: string | undefined;
  task: string | undefined;
  onTask: (task: string | undefined) => void;
  onDay: (date: string) => void;
  onOpen: (sel: Selection) => void;
  selected: Selection | null;
}

const LABEL_W = 220;
const OVERSCAN_PX = 400;
const ZOOMS: [string, number][] = [['A week', 7], ['Two weeks', 14], ['A month', 31], ['A quarter', 92], ['Whole span', 0]];

export function Timeline({ model, day, pinned, task, onTask, onDay, onOpen, selected }: Props) {
  const { data } = model;
  const [state, setState] = useState<ReportState | ''>('');
  const [search, setSearch] = useState('');
  const [zoom, setZoom] = useState(0);
  const [view, setView] = useState({ top: 0, height: 600, width: 1000 });
  const scroller = useRef<HTMLDivElement>(null);

  const taskIndex = task === undefined ? -1 : data.taskNames.indexOf(task);
  const query = search.trim().toLowerCase();
  // Without filters every row is there already: the linked contact changes nothing in the layout (a 10,000-patient
  // year would lay out 40k windows again on every #contact= link).
  const filtered = taskIndex >= 0 || state !== '' || query !== '';
  const layoutPinned = filtered ? pinned : undefined;
  const layout = useMemo(() => layoutTimeline(model, { task: taskIndex, state, search: query, pinned: layoutPinned }), [model, taskIndex, state, query, layoutPinned]);
  const pinnedItem = pinned === undefined ? -1 : layout.itemOf(pinned);

  const trackW = Math.max(200, view.width - LABEL_W);
  const visibleDays = zoom === 0 ? model.dayCount : Math.min(zoom, model.dayCount);
  const px = trackW / visibleDays;
  const fullW = px * model.dayCount;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight || 600, width: el.clientWidth || 1000 });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The deep-linked contact: scroll its row into view (vertically, and to its first bar when zoomed in).
  useEffect(() => {
    const el = scroller.current;
    if (!el || pinnedItem < 0) return;
    const top = layout.offsets[pinnedItem]!;
    el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    const first = layout.layoutOf(pinnedItem).bars.reduce((m, b) => Math.min(m, b.from), Infinity);
    if (Number.isFinite(first)) el.scrollLeft = Math.max(0, first * px - 40);
    setView((v) => ({ ...v, top: el.scrollTop }));
  }, [pinned, layout, pinnedItem]);

  // Zooming keeps the selected day in view (a third in from the left), not whatever was at the old scroll.
  const selectedIndex = model.dayIndex(day);
  useEffect(() => {
    const el = scroller.current;
    if (el && selectedIndex >= 0 && zoom !== 0) el.scrollLeft = Math.max(0, selectedIndex * px - trackW / 3);
  }, [zoom]);

  let frame = 0;
  const onScroll = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const el = scroller.current;
      if (el) setView((v) => (v.top === el.scrollTop ? v : { ...v, top: el.scrollTop }));
    });
  };

  const total = layout.offsets[layout.items.length]!;
  const first = layout.items.length === 0 ? 0 : itemAt(layout.offsets, Math.max(0, view.top - OVERSCAN_PX));
  let last = first;
  while (last < layout.items.length && layout.offsets[last]! < view.top + view.height + OVERSCAN_PX) last++;
  const shown: number[] = [];
  if (pinnedItem >= 0 && pinnedItem < first) shown.push(pinnedItem);
  for (let i = first; i < last; i++) shown.push(i);
  if (pinnedItem >= last) shown.push(pinnedItem);

  const selectedDay = selectedIndex;
  const allRows = model.rowsById.size;
  const allWindows = data.windows.length;

  return html`
    <section class="timeline" id="timeline" aria-labelledby="timeline-title">
      <div class="section-head">
        <h2 id="timeline-title">Contact timeline</h2>
        <p class="muted" data-timeline-count data-rows=${layout.rowCount} data-windows=${layout.windowCount}>
          ${layout.rowCount.toLocaleString('en')} of ${allRows.toLocaleString('en')} owners, ${layout.windowCount.toLocaleString('en')} of ${allWindows.toLocaleString('en')} windows
        </p>
      </div>
      <div class="filters" role="group" aria-label="Timeline filters">
        <label>Task <select aria-label="Filter by task" value=${task ?? ''} onChange=${(ev: Event) => onTask((ev.currentTarget as HTMLSelectElement).value || undefined)}>
          <option value="">every task</option>
          ${data.taskNames.map((n, t) => html`<option value=${n}>${taskLetter(t)} · ${n}</option>`)}
        </select></label>
        ${data.header.allStates
          ? html`<label>State <select aria-label="Filter by state" value=${state} onChange=${(ev: Event) => setState((ev.currentTarget as HTMLSelectElement).value as ReportState | '')}>
              <option value="">every state</option>
              ${STATES.map((s) => html`<option value=${s}>${s}</option>`)}
            </select></label>`
          : null}
        <label>Contact <input type="search" aria-label="Search contacts" placeholder="name or id" value=${search} onInput=${(ev: Event) => setSearch((ev.currentTarget as HTMLInputElement).value)} /></label>
        <label>Zoom <select aria-label="Zoom" value=${String(zoom)} onChange=${(ev: Event) => setZoom(Number((ev.currentTarget as HTMLSelectElement).value))}>
          ${ZOOMS.map(([label, days]) => html`<option value=${String(days)}>${label}</option>`)}
        </select></label>
        ${data.header.allStates ? html`<${StateKey} />` : null}
      </div>
      <div class="tl-scroll" ref=${scroller} onScroll=${onScroll} onKeyDown=${barKeys} style=${`height:${Math.min(total + 32, Math.max(240, Math.round(window.innerHeight * 0.7), 800))}px`}>
        <div class="tl-inner" style=${`width:${LABEL_W + fullW}px`}>
          <${Axis} model=${model} px=${px} width=${fullW} onDay=${onDay} />
          <div class="tl-body" style=${`height:${total}px`}>
            ${selectedDay >= 0 && selectedDay < model.dayCount ? html`<div class="tl-today" aria-hidden="true" style=${`left:${LABEL_W + (selectedDay + 0.5) * px}px`}></div>` : null}
            ${shown.map((i) => html`<${ItemView} key=${i} model=${model} item=${layout.items[i]} top=${layout.offsets[i]} layout=${layout.layoutOf(i)} px=${px} width=${fullW} pinned=${pinned} selected=${selected} onOpen=${onOpen} />`)}
          </div>
        </div>
      </div>
      ${layout.items.length === 0 ? html`<p class="empty">No contact has a window that matches the filters.</p>` : null}
      <p class="print-only muted">The timeline prints the rows that were in view; filter it to print others.</p>
    </section>
  `;
}

function StateKey() {
  return html`<span class="state-key" aria-label="State key">${STATES.map((s) => html`<span class=${`key-bar state-${s}`} style="--c:#777;--ink:#fff">${stateGlyph(s) || '■'} ${s}</span>`)}</span>`;
}

function Axis({ model, px, width, onDay }: { model: Model; px: number; width: number; onDay: (d: string) => void }) {
  const ticks = useMemo(() => {
    const out: { i: number; label: string; month: boolean }[] = [];
    model.data.days.forEach((d, i) => {
      const month = d.date.endsWith('-01') || i === 0;
      if (month || (px >= 14 && (new Date(`${d.date}T00:00:00Z`).getUTCDay() === 1 || px >= 40))) out.push({ i, label: month ? shortMonth(d.date) : d.date.slice(8), month });
    });
    return out;
  }, [model, px]);
  const click = (ev: MouseEvent) => {
    const x = ev.clientX - (ev.currentTarget as Element).getBoundingClientRect().left;
    const i = Math.min(model.dayCount - 1, Math.max(0, Math.floor(x / px)));
    onDay(model.data.days[i]!.date);
  };
  return html`
    <div class="tl-axis" aria-hidden="true">
      <div class="tl-label tl-corner">Owner</div>
      <div class="tl-axis-track" style=${`width:${width}px`} onClick=${click} title="Click a day to open it">
        ${ticks.map((t) => html`<span class=${t.month ? 'tick month' : 'tick'} style=${`left:${t.i * px}px`}>${t.label}</span>`)}
      </div>
    </div>
  `;
}

interface ItemProps {
  model: Model;
  item: Item;
  top: number;
  layout: RowLayout;
  px: number;
  width: number;
  pinned: string | undefined;
  selected: Selection | null;
  onOpen: (sel: Selection) => void;
}

// Memoised: scrolling re-renders the list, but a row that stays in view keeps its props and is not redrawn.
const ItemView = memo(function ItemView({ model, item, top, layout, px, width, pinned, selected, onOpen }: ItemProps) {
  if (item.kind === 'heading') {
    return html`<div class="tl-heading" style=${`top:${top}px;height:${HEADING_H}px`}><div class="tl-label" style=${`padding-left:${8 + item.depth * 14}px`}>${item.label}</div></div>`;
  }
  const { row } = item;
  const height = Math.max(1, layout.lanes) * LANE_H + 6;
  const isPinned = pinned === row.id;
  return html`
    <div class=${`tl-row${isPinned ? ' is-pinned' : ''}`} data-contact-row data-contact-id=${row.id} style=${`top:${top}px;height:${height}px`}>
      <div class="tl-label" style=${`padding-left:${8 + row.depth * 14}px`} title=${row.id}>
        <span class="tl-name">${row.label}</span> <span class="muted small">${row.windows.length}</span>
      </div>
      <div class="tl-track" style=${`width:${width}px`}>
        ${layout.frames.map((f) => html`<div class="tl-frame" aria-hidden="true" style=${`left:${f.from * px}px;width:${(f.to - f.from + 1) * px}px;top:${3 + f.lane * LANE_H}px`}>
          ${f.due >= f.from && f.due <= f.to ? html`<span class="tl-due" style=${`left:${(f.due - f.from + 0.5) * px}px`}></span>` : null}
        </div>`)}
        ${layout.bars.map((b) => html`<${BarView} model=${model} bar=${b} px=${px} rowLabel=${row.label} selected=${selected !== null && selected.window === b.window && selected.state === b.state} onOpen=${onOpen} />`)}
      </div>
    </div>
  `;
});

function BarView({ model, bar, px, rowLabel, selected, onOpen }: { model: Model; bar: Bar; px: number; rowLabel: string; selected: boolean; onOpen: (s: Selection) => void }) {
  const win = model.data.windows[bar.window]!;
  const name = model.data.taskNames[win.task]!;
  const changes = useContext(ChangesContext);
  const key = windowKey(win, win.ownerId);
  const change = changes.marks.get(key);
  const was = change === 'moved' ? changes.moves.get(key) : undefined;
  const from = model.data.days[bar.from]!.date;
  const to = model.data.days[bar.to]!.date;
  const label = `${name} for ${rowLabel}: ${bar.state} ${from === to ? `on ${from}` : `${from} to ${to}`}; window ${win.start} to ${win.end}, due ${win.due}`;
  const changeText = change ? ` (${change} ${changes.since}${was ? `; was ${was.start} to ${was.end}, due ${was.due}` : ''})` : '';
  const w = (bar.to - bar.from + 1) * px;
  const top = 4 + bar.lane * LANE_H;
  return html`${was ? html`<${WasOutline} model=${model} was=${was} px=${px} top=${top} />` : null}<button type="button" class=${`tl-bar state-${bar.state}${bar.matches ? '' : ' is-dim'}${selected ? ' is-selected' : ''}${change ? ` is-changed change-${change}` : ''}`}
    data-task-window data-change=${change} data-id=${win.id} data-owner=${win.ownerId} data-start=${win.start} data-end=${win.end} data-due=${win.due} data-state=${bar.state}
    data-was-start=${was?.start} data-was-end=${was?.end} data-was-due=${was?.due}
    style=${`left:${bar.from * px}px;width:${Math.max(4, w)}px;top:${top}px;--c:${taskColour(win.task)};--ink:${taskInk(win.task)}`}
    aria-label=${label + changeText} aria-pressed=${selected ? 'true' : 'false'} title=${label + changeText}
    onClick=${() => onOpen({ window: bar.window, state: bar.state })}>${w >= 14 ? `${taskLetter(win.task)}${stateGlyph(bar.state)}` : ''}</button>`;
}

/** Where a moved window was (its old start..end, clipped to the span): a dashed outline behind the bar. */
function WasOutline({ model, was, px, top }: { model: Model; was: { start: string; end: string }; px: number; top: number }) {
  const last = model.dayCount - 1;
  const a = Math.max(0, model.dayIndex(was.start));
  const b = Math.min(last, model.dayIndex(was.end));
  if (b < a) return null;
  return html`<div class="tl-was" aria-hidden="true" title=${`was ${was.start} … ${was.end}`} style=${`left:${a * px}px;width:${(b - a + 1) * px}px;top:${top}px`}></div>`;
}

/** Arrow keys between bars: left/right within a row, up/down to the nearest bar of the row above/below. */
function barKeys(ev: KeyboardEvent) {
  const target = ev.target as HTMLElement;
  if (!target.matches('[data-task-window]')) return;
  const row = target.closest('[data-contact-row]');
  if (!row) return;
  const x = (el: Element) => el.getBoundingClientRect().left;
  let next: Element | undefined;
  if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
    const bars = [...row.querySelectorAll('[data-task-window]')].sort((a, b) => x(a) - x(b));
    const i = bars.indexOf(target);
    next = bars[i + (ev.key === 'ArrowLeft' ? -1 : 1)];
  } else if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
    const rows = [...row.parentElement!.querySelectorAll('[data-contact-row]')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const other = rows[rows.indexOf(row) + (ev.key === 'ArrowUp' ? -1 : 1)];
    if (other) {
      const mine = x(target);
      next = [...other.querySelectorAll('[data-task-window]')].sort((a, b) => Math.abs(x(a) - mine) - Math.abs(x(b) - mine))[0];
    }
  } else return;
  ev.preventDefault();
  if (next instanceof HTMLElement) next.focus();
}
