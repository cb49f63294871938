// `cht dev`'s page: the report, following the builds of the server it came from (src/report/html/live.ts). On each
// build event it reads /build.json and hands the new report to the same App, so the selected day, contact,
// filters, zoom and scroll stay. A failed build shows its diagnostics over the last good report, dimmed.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { LiveBuild, LiveBuildEvent, LiveEndpoints } from '../../src/report/html/live.js';
import type { ReportData } from '../../src/report/html/report-data.js';
import { App } from './app.js';
import { html } from './html.js';
import { ChangesContext, windowKey, type WindowChange, type WindowChanges } from './live-changes.js';

export function LiveApp({ endpoints, initial }: { endpoints: LiveEndpoints; initial: ReportData }) {
  const [build, setBuild] = useState<LiveBuild | null>(null);
  const [report, setReport] = useState<{ data: ReportData; build: number | null }>({ data: initial, build: null });
  const [connected, setConnected] = useState(true);

  useEffect(() => {
    let newest = 0;
    let loading = false;
    let wanted = 0;
    // One read at a time; events that arrive meanwhile are folded into one more read of the newest build.
    const load = async () => {
      if (loading) return;
      loading = true;
      try {
        while (wanted > newest) {
          const target = wanted;
          const res = await fetch(endpoints.build, { cache: 'no-store' });
          const b = (await res.json()) as LiveBuild | null;
          // (Marks for measuring save -> page updated: event, build read; the render follows.)
          performance.mark(`live:read:${b?.id ?? 0}`);
          if (b && b.id > newest) {
            newest = b.id;
            setBuild(b);
            if (b.data) setReport((prev) => (prev.build === b.dataBuild ? prev : { data: b.data!, build: b.dataBuild }));
          } else if (!b || b.id >= target) break;
        }
      } finally {
        loading = false;
      }
    };
    const events = new EventSource(endpoints.events);
    events.addEventListener('build', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as LiveBuildEvent;
      performance.mark(`live:event:${ev.id}`);
      wanted = Math.max(wanted, ev.id);
      void load();
    });
    events.addEventListener('open', () => setConnected(true));
    events.addEventListener('error', () => setConnected(events.readyState === EventSource.OPEN));
    return () => events.close();
  }, []);

  const changed = useMemo((): WindowChanges => {
    const map = new Map<string, WindowChange>();
    // Marks only the changes of the build that made the report on screen.
    if (build?.changes && build.dataBuild === report.build) {
      for (const w of build.changes.appeared) map.set(windowKey(w, w.owner), 'appeared');
      for (const m of build.changes.moved) map.set(windowKey(m.after, m.after.owner), 'moved');
    }
    return { marks: map, moves: new Map(), since: 'in the last build' };
  }, [build, report]);

  const failed = build?.status === 'error';
  return html`
    <${BuildBar} build=${build} connected=${connected} />
    ${failed ? html`<${Diagnostics} build=${build!} />` : null}
    <div class=${failed ? 'live-report is-stale' : 'live-report'} aria-busy=${failed ? 'true' : 'false'}>
      <${ChangesContext.Provider} value=${changed}>
        <${App} data=${report.data} />
      <//>
    </div>
  `;
}

function BuildBar({ build, connected }: { build: LiveBuild | null; connected: boolean }) {
  if (!build) return html`<div class="live-bar" data-build data-build-id="0" data-status="pending" role="status">Waiting for the first build…</div>`;
  const c = build.changes;
  const what = build.changed.length ? ` after ${build.changed.slice(0, 3).join(', ')}${build.changed.length > 3 ? ` and ${build.changed.length - 3} more` : ''}` : '';
  const errors = build.diagnostics.filter((d) => d.severity === 'error').length;
  return html`
    <div class=${`live-bar status-${build.status}`} data-build data-build-id=${String(build.id)} data-status=${build.status} role="status" aria-live="polite">
      <strong>${build.status === 'ok' ? '✓' : '✗'} Build ${build.id}</strong>
      ${build.status === 'ok' ? ` in ${build.ms} ms${what}` : ` failed${what}: ${errors} error${errors === 1 ? '' : 's'} — showing build ${build.dataBuild ?? '(none yet)'}, the last good one`}
      ${connected ? null : html` <span class="live-off">· disconnected from cht dev: is it still running?</span>`}
      ${c && build.status === 'ok' ? html`<${ChangeSummary} changes=${c} />` : null}
    </div>
  `;
}

function ChangeSummary({ changes }: { changes: NonNullable<LiveBuild['changes']> }) {
  const total = changes.appeared.length + changes.disappeared.length + changes.moved.length;
  if (total === 0) return html`<span class="muted"> · no change in tasks</span>`;
  const rows = [
    ...changes.appeared.map((w) => ['appeared', w.task, w.owner, `${w.start} … ${w.end}`] as const),
    ...changes.disappeared.map((w) => ['disappeared', w.task, w.owner, `${w.start} … ${w.end}`] as const),
    ...changes.moved.map((m) => ['moved', m.after.task, m.after.owner, `${m.before.start} … ${m.before.end} → ${m.after.start} … ${m.after.end}`] as const),
  ];
  return html`
    <details class="live-changes" data-changes data-appeared=${String(changes.appeared.length)} data-disappeared=${String(changes.disappeared.length)} data-moved=${String(changes.moved.length)}>
      <summary>task windows: ${[
        changes.appeared.length ? `${changes.appeared.length} appeared` : '',
        changes.disappeared.length ? `${changes.disappeared.length} disappeared` : '',
        changes.moved.length ? `${changes.moved.length} moved` : '',
      ].filter(Boolean).join(', ')}</summary>
      <table>
        <thead><tr><th>Change</th><th>Task</th><th>Contact</th><th>Window</th></tr></thead>
        <tbody>${rows.slice(0, 200).map(([kind, task, owner, span]) => html`<tr class=${`change-${kind}`}><td>${kind}</td><td>${task}</td><td>${owner}</td><td>${span}</td></tr>`)}</tbody>
      </table>
      ${rows.length > 200 ? html`<p class="muted small">${rows.length - 200} more not listed.</p>` : null}
    </details>
  `;
}

function Diagnostics({ build }: { build: LiveBuild }) {
  return html`
    <section class="live-diagnostics" aria-label="Build problems" role="alert">
      <h2>The build failed: the report below is the last good one</h2>
      ${build.diagnostics.map((d) => html`
        <div class=${`diagnostic severity-${d.severity}`} data-diagnostic data-file=${d.file ?? ''} data-line=${d.line === undefined ? '' : String(d.line)} data-severity=${d.severity} data-code=${d.code}>
          <pre>${d.text}</pre>
        </div>`)}
    </section>
  `;
}
