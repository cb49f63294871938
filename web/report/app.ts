// The page: header, overview, day view, contact timeline, targets, and the details panel. The selected day,
// the deep-linked contact and the task filter live in the URL hash (hash.ts), so any view can be shared as a
// link; the rest (state filter, search, zoom, the open bar) is view state.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { ReportData } from '../../src/report/html/report-data.js';
import { buildModel } from './model.js';
import { html } from './html.js';
import { formatHash, parseHash, type HashState } from './hash.js';
import { Header } from './header.js';
import { Overview } from './overview.js';
import { DayView } from './day-view.js';
import { Timeline, type Selection } from './timeline.js';
import { Details } from './details.js';
import { Targets } from './targets.js';
import { isDate } from './dates.js';
import type { ReportAgainst } from '../../src/report/html/against.js';
import { buildImpact } from './compare.js';
import { ImpactSummary } from './impact-summary.js';
import { ChangesContext } from './live-changes.js';
import { compareTargets } from '../../src/impact/targets-diff.js';

/** The hash as the page reads it: a day outside the span or not a date falls back to the first Ready day. */
function resolve(state: HashState, firstReadyDay: string, from: string, to: string): { day: string; contact?: string; task?: string } {
  const day = state.day !== undefined && isDate(state.day) && state.day >= from && state.day <= to ? state.day : firstReadyDay;
  return { day, contact: state.contact, task: state.task };
}

// Keyboard readers can skip the day view's rows (2,400 at 10,000 patients) to reach the timeline.
const JUMPS: [string, string][] = [['overview-title', 'Overview'], ['day-title', 'Day view'], ['timeline-title', 'Contact timeline'], ['targets-title', 'Targets']];

function focusSection(headingId: string) {
  const heading = document.getElementById(headingId);
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
  heading.scrollIntoView({ block: 'start' });
}

function scrollToSection(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView({ block: 'start' }));
}

/**
 * `against`: the impact preview (--against=OLD): the page shows the new side's report, with the old side's
 * removed windows drawn in the timeline, the day's changes in the day view and both sides' targets.
 */
export function App({ data, against }: { data: ReportData; against?: ReportAgainst | undefined }) {
  const impact = useMemo(() => (against ? buildImpact(against, data) : undefined), [data, against]);
  const model = useMemo(() => buildModel(impact ? impact.merged : data), [data, impact]);
  const targetChanges = useMemo(() => (impact ? compareTargets(targetValues(impact.old.data), targetValues(data)) : []), [data, impact]);
  const { from, to } = data.header;
  const [nav, setNav] = useState(() => resolve(parseHash(location.hash), model.firstReadyDay, from, to));
  const [selected, setSelected] = useState<Selection | null>(null);

  // A new report (cht dev's next build): the open details follow their window if it is still there, by identity
  // (indexes change from one report to the next), else they close.
  const [shown, setShown] = useState(data);
  if (shown !== data) {
    setShown(data);
    // The page opened before cht dev's first build finished (an empty report): the day comes from the real one.
    if (shown.days.length === 0) setNav(resolve(parseHash(location.hash), model.firstReadyDay, from, to));
    if (selected) {
      const was = shown.windows[selected.window];
      const now = was ? data.windows.findIndex((w) => w.id === was.id && w.ownerId === was.ownerId && w.start === was.start && w.end === was.end && w.due === was.due) : -1;
      setSelected(now === -1 ? null : { ...selected, window: now });
    }
  }

  // Links opened from outside (a pasted URL, back/forward) move the view; our own updates use replaceState,
  // which fires no hashchange.
  useEffect(() => {
    const onHash = () => {
      const next = resolve(parseHash(location.hash), model.firstReadyDay, from, to);
      setNav(next);
      jumpTo(parseHash(location.hash));
    };
    window.addEventListener('hashchange', onHash);
    jumpTo(parseHash(location.hash));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Escape closes the details wherever the focus is (the panel sits over the page's right side).
  useEffect(() => {
    if (!selected) return;
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') setSelected(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected !== null]);

  const update = useCallback((patch: Partial<typeof nav>) => {
    setNav((prev) => {
      const next = { ...prev, ...patch };
      const hash = formatHash({ day: next.day, contact: next.contact, task: next.task });
      history.replaceState(null, '', hash || location.pathname + location.search);
      return next;
    });
  }, []);
  // Stable handlers: the memoised parts (the day view's rows) re-render only when their data changes.
  const onDay = useCallback((day: string) => update({ day }), []);
  const onTask = useCallback((task: string | undefined) => update({ task }), []);
  const onOpenDayTask = useCallback((w: number) => setSelected({ window: w, state: 'Ready' }), []);
  const onOpenBar = useCallback((sel: Selection) => setSelected(sel), []);

  const page = html`
    <${Header} header=${data.header} against=${impact?.label} />
    ${impact ? html`<${ImpactSummary} impact=${impact} targets=${targetChanges} />` : null}
    <nav class="jump" aria-label="Parts of the report">
      ${JUMPS.map(([id, label]) => html`<button type="button" class="link" onClick=${() => focusSection(id)}>${label}</button>`)}
    </nav>
    <main class=${selected ? 'has-details' : ''}>
      <${Overview} model=${model} day=${nav.day} onDay=${onDay} oldOnlyFrom=${impact ? data.taskNames.length : undefined} />
      <${DayView} model=${model} day=${nav.day} onDay=${onDay} onOpen=${onOpenDayTask} selectedWindow=${selected?.window ?? null} impact=${impact} />
      <${Timeline} model=${model} day=${nav.day} pinned=${nav.contact} task=${nav.task} onTask=${onTask} onDay=${onDay} onOpen=${onOpenBar} selected=${selected} />
      <${Targets} model=${model} against=${impact?.old.data.targets} label=${impact?.label} />
    </main>
    ${selected
      ? html`<${Details} model=${model} window=${selected.window} state=${selected.state} day=${nav.day}
          onClose=${() => setSelected(null)}
          onContact=${(contact: string) => {
            update({ contact });
            scrollToSection('timeline');
          }} />`
      : null}
    <footer class="report-footer muted small">chtkit ${data.header.chtkit} · one self-contained file: nothing is fetched · the DOM contract is in chtkit's README</footer>
  `;
  return impact ? html`<${ChangesContext.Provider} value=${impact.changes}>${page}<//>` : page;
}

/** A report's targets in the shape the targets' comparison reads. */
function targetValues(d: ReportData) {
  return d.targets.map((m) => ({ month: m.month, interval: m.interval, targets: m.targets.map((t) => ({ id: t.id, value: { pass: t.pass, total: t.total, ...(t.percent !== undefined ? { percent: t.percent } : {}) } })) }));
}

/** A deep link opens its view: the contact's (or task's) timeline, else the day view. */
function jumpTo(state: HashState) {
  if (state.contact !== undefined || state.task !== undefined) scrollToSection('timeline');
  else if (state.day !== undefined) scrollToSection('day-view');
}
