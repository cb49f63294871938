// The overview: Ready tasks per day, stacked by task name. Hand-drawn SVG rather than a chart library: it is one
// path per task (a few hundred rects each) and one highlighted column; uPlot and friends would add 40+ kB to
// every report for axes we draw in a dozen lines, and canvas charts would leave nothing for a screen reader or a
// test to read. Hover shows a day's counts; click, Enter or the arrow keys select the day for the day view.
import { useMemo, useState } from 'preact/hooks';
import type { Model } from './model.js';
import { html, memo } from './html.js';
import { swatchStyle, taskColour, taskLetter } from './palette.js';
import { longDate, shortMonth } from './dates.js';

interface Props {
  model: Model;
  day: string;
  onDay: (date: string) => void;
  /** The impact preview: task names from this index on are only the old side's (drawn on the timeline, never Ready now). */
  oldOnlyFrom?: number | undefined;
}

const BAR = 0.86; // of a day's width: a hairline gap between days when they are wide enough to see it

export const Overview = memo(function Overview({ model, day, onDay, oldOnlyFrom }: Props) {
  const { data, dayCount, readyByTask, maxReady } = model;
  const tasks = data.taskNames.length;
  const [hover, setHover] = useState<number | null>(null);

  const paths = useMemo(() => {
    const out: string[] = new Array(tasks).fill('');
    for (let d = 0; d < dayCount; d++) {
      let y = 0;
      for (let t = 0; t < tasks; t++) {
        const c = readyByTask[d * tasks + t]!;
        if (c === 0) continue;
        out[t] += `M${d} ${maxReady - y - c}h${BAR}v${c}h-${BAR}z`;
        y += c;
      }
    }
    return out;
  }, [model]);

  const totals = useMemo(() => {
    const sums = new Array<number>(tasks).fill(0);
    for (let d = 0; d < dayCount; d++) for (let t = 0; t < tasks; t++) sums[t]! += readyByTask[d * tasks + t]!;
    return sums;
  }, [model]);

  const months = useMemo(() => {
    const ticks: { index: number; label: string }[] = [];
    data.days.forEach((d, i) => {
      if (i === 0 || d.date.endsWith('-01')) ticks.push({ index: i, label: shortMonth(d.date) });
    });
    // Too many month labels overlap: keep about twelve.
    const step = Math.max(1, Math.ceil(ticks.length / 12));
    return ticks.filter((_, i) => i % step === 0);
  }, [model]);

  const selected = model.dayIndex(day);
  const shown = hover ?? (selected >= 0 && selected < dayCount ? selected : null);
  const dayAt = (ev: MouseEvent) => {
    const rect = (ev.currentTarget as Element).getBoundingClientRect();
    const i = Math.floor(((ev.clientX - rect.left) / rect.width) * dayCount);
    return Math.min(dayCount - 1, Math.max(0, i));
  };
  const step = (delta: number) => {
    const i = Math.min(dayCount - 1, Math.max(0, selected + delta));
    onDay(data.days[i]!.date);
  };
  const onKey = (ev: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -7, PageDown: 7, Home: -dayCount, End: dayCount };
    const delta = moves[ev.key];
    if (delta === undefined) return;
    ev.preventDefault();
    step(delta);
  };

  const counts = (d: number) => {
    const total = data.days[d]!.ready.length;
    const byTask = data.taskNames.map((name, t) => ({ name, t, c: readyByTask[d * tasks + t]! })).filter((x) => x.c > 0);
    return { total, byTask };
  };
  const info = hover === null ? null : counts(hover);

  return html`
    <section class="overview" aria-labelledby="overview-title">
      <h2 id="overview-title">Ready tasks per day</h2>
      ${maxReady === 0
        ? html`<p class="empty">No task is Ready on any day of the span.</p>`
        : dayCount === 1
        ? html`<p class="muted">A one-day report: the day view below lists its ${data.days[0]!.ready.length} Ready tasks.</p>`
        : html`
          <div class="chart-wrap">
            <div class="chart-y" aria-hidden="true"><span>${maxReady}</span><span>0</span></div>
            <div class="chart-area">
              <svg class="chart" viewBox=${`0 0 ${dayCount} ${maxReady}`} preserveAspectRatio="none"
                role="slider" tabindex="0" aria-label="Day (Ready tasks per day; arrow keys change the day)"
                aria-valuemin="1" aria-valuemax=${dayCount} aria-valuenow=${selected + 1}
                aria-valuetext=${selected >= 0 && selected < dayCount ? `${day}: ${data.days[selected]!.ready.length} Ready tasks` : day}
                onMouseMove=${(ev: MouseEvent) => setHover(dayAt(ev))} onMouseLeave=${() => setHover(null)}
                onClick=${(ev: MouseEvent) => onDay(data.days[dayAt(ev)]!.date)} onKeyDown=${onKey}>
                ${selected >= 0 && selected < dayCount ? html`<rect class="chart-selected" x=${selected} y="0" width="1" height=${maxReady} />` : null}
                ${hover !== null ? html`<rect class="chart-hover" x=${hover} y="0" width="1" height=${maxReady} />` : null}
                ${paths.map((d, t) => (d ? html`<path d=${d} fill=${taskColour(t)}><title>${data.taskNames[t]}</title></path>` : null))}
              </svg>
              <div class="chart-x" aria-hidden="true">
                ${months.map((m) => html`<span style=${`left:${(m.index / dayCount) * 100}%`}>${m.label}</span>`)}
              </div>
              ${info && hover !== null
                ? html`<div class="chart-tip" style=${`left:${Math.min(75, (hover / dayCount) * 100)}%`}>
                    <strong>${longDate(data.days[hover]!.date)}</strong>: ${info.total} Ready
                    ${info.byTask.length > 0 ? html`<ul>${info.byTask.map((x) => html`<li><span class="swatch" style=${swatchStyle(x.t)}>${taskLetter(x.t)}</span> ${x.name}: ${x.c}</li>`)}</ul>` : null}
                  </div>`
                : null}
            </div>
          </div>
          <p class="chart-status muted small">${shown !== null ? `${longDate(data.days[shown]!.date)}: ${data.days[shown]!.ready.length} Ready — ${hover !== null ? 'click to open this day' : 'the day view shows this day; hover or use the arrow keys to pick another'}` : ''}</p>
        `}
      <ul class="legend" aria-label="Task names">
        ${data.taskNames.map(
          (name, t) => html`<li><span class="swatch" style=${swatchStyle(t)} aria-hidden="true">${taskLetter(t)}</span> <span class="legend-name">${name}</span> <span class="muted">${oldOnlyFrom !== undefined && t >= oldOnlyFrom ? 'only with the old rules' : `${totals[t]!.toLocaleString('en')} Ready task-days`}</span></li>`,
        )}
      </ul>
    </section>
  `;
});
