// The report's header: what was dry-run, on what, for whom, over which days — the facts a reader needs before
// trusting a single bar.
import type { ReportHeader } from '../../src/report/html/report-data.js';
import { html } from './html.js';

const num = (n: number) => n.toLocaleString('en');

/** `against`: the impact preview's old side, named in the title (the facts below are the new side's run). */
export function Header({ header, against }: { header: ReportHeader; against?: string | undefined }) {
  const user = header.user.id === null ? 'none (no user doc: every contact is visible)' : `${header.user.name ? `${header.user.name} ` : ''}(${header.user.id})`;
  const span = header.from === header.to ? header.from : `${header.from} … ${header.to}`;
  return html`
    <header class="report-header">
      <h1>${against === undefined ? 'Dry-run' : 'Impact preview'}: <span class="project">${header.project}</span></h1>
      <p class="subtitle">Tasks and targets cht-core 4.11's rules engine gives for these fixtures, day by day, computed by chtkit ${header.chtkit}.</p>
      <dl class="facts">
        <div><dt>Config</dt><dd title=${header.source}>${header.sourceKind === 'app-settings' ? 'app settings file ' : 'project '}<code>${header.source}</code></dd></div>
        <div><dt>Fixtures</dt><dd>${header.fixtures.length === 0 ? 'none' : header.fixtures.map((f, i) => html`${i > 0 ? ', ' : ''}<code>${f}</code>`)}</dd></div>
        <div><dt>User</dt><dd>${user}</dd></div>
        <div><dt>Roles</dt><dd>${header.roles.length === 0 ? 'none' : header.roles.join(', ')}</dd></div>
        <div><dt>Time zone</dt><dd>${header.tz}, evaluated at ${header.at} each day</dd></div>
        <div><dt>Span</dt><dd>${span}</dd></div>
        <div><dt>States</dt><dd>${header.allStates ? 'all states (--all-states)' : 'Ready only (run with --all-states for Draft, Completed, Cancelled, Failed…)'}</dd></div>
        <div><dt>Counts</dt><dd>
          <span data-count="contacts">${num(header.counts.contacts)} contacts</span>,
          ${' '}<span data-count="reports">${num(header.counts.reports)} reports</span>,
          ${' '}<span data-count="ready-task-days">${num(header.counts.readyTaskDays)} Ready task-days</span>,
          ${' '}<span data-count="windows">${num(header.counts.windows)} task windows</span>
        </dd></div>
        <div><dt>Generated</dt><dd><time datetime=${header.generatedAt}>${header.generatedAt}</time></dd></div>
      </dl>
      ${header.notes.length > 0 ? html`<ul class="notes" aria-label="Notes">${header.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
    </header>
  `;
}
