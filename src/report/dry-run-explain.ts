import type { ChalkInstance } from 'chalk';
import type { TaskExplanation, TasksRun } from '../simulate/index.js';
import { StreamedJson } from './json-stream.js';
import { LISTING_LIMIT, count } from './listing.js';
import type { Reporter } from './reporter.js';

type Candidate = TaskExplanation['candidates'][number];
type Run = Candidate['lines'][number]['runs'][number];

/**
 * `{ tz, from, to, explain: { …, candidates: [...] } }` with the candidates (a contact or report each, so
 * as many as the population) written one at a time.
 */
export async function explanationJson(reporter: Reporter, header: { tz: string; from: string; to: string }, x: TaskExplanation): Promise<void> {
  const explain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(x)) explain[key] = key === 'candidates' ? StreamedJson.HERE : value;
  const doc = new StreamedJson({ tz: header.tz, from: header.from, to: header.to, explain });
  await reporter.dataPart(doc.open());
  for (const c of x.candidates) await reporter.dataPart(doc.element(c));
  await reporter.dataPart(doc.close());
}

function runLine(s: ChalkInstance, run: Run): string {
  const span = run.from === run.to ? run.from : `${run.from} … ${run.to}`;
  const mark = run.shows ? s.green('✓') : s.red('✗');
  return `      ${s.dim(span.padEnd(23))} ${mark} ${run.shows ? run.reason : s.dim(run.reason)}`;
}

/** Candidates whose only story is that the task cannot apply to them (other forms, not there yet): one line each kind. */
function quietReason(c: Candidate): string | undefined {
  const runs = c.lines.flatMap((l) => l.runs);
  const quiet = (r: Run) => r.reason.startsWith('appliesToType') || r.reason.startsWith('not in the database yet');
  if (runs.length === 0 || !runs.every(quiet)) return undefined;
  return runs.find((r) => r.reason.startsWith('appliesToType'))?.reason ?? runs[0]!.reason;
}

function candidateLines(s: ChalkInstance, c: Candidate): string[] {
  const who = `${c.contact.name ?? '(no name)'} (${c.contact.id ?? 'no contact'})${c.contact.headless ? ' headless' : ''}`;
  const report = c.report ? ` — report ${c.report.id} (${c.report.form}${c.report.reportedDate ? `, ${c.report.reportedDate}` : ''})` : '';
  const lines = [`  ${s.bold(who)}${report}`];
  for (const line of c.lines) {
    lines.push(`    ${line.label === 'task' ? s.dim('(not emitted)') : line.label}`);
    for (const run of line.runs) lines.push(runLine(s, run));
  }
  return lines;
}

/**
 * Why a task shows or not, candidate by candidate. When that would run past a screenful, the candidates are
 * counted by their first reason instead (with `--list`, every one is listed).
 */
export function explanationHuman(s: ChalkInstance, output: TasksRun, x: TaskExplanation, list: boolean): string {
  const lines: string[] = [];
  const head = x.matchedBy === 'emission-id' ? `emission ${x.query} (task "${x.taskName}")` : `task "${x.taskName}"`;
  lines.push(s.bold(`Why ${head} shows or not, ${output.from === output.to ? output.from : `${output.from} … ${output.to}`} (${output.at} ${output.tz})`));
  if (x.definition) {
    const d = x.definition;
    const type = d.appliesToType !== undefined ? `, appliesToType ${JSON.stringify(d.appliesToType)}` : '';
    lines.push(s.dim(`  appliesTo ${String(d.appliesTo)}${type}; resolved by ${d.resolvedBy === 'default' ? 'the default rule (its form submitted in the window)' : 'resolvedIf'}`));
    for (const e of d.events) lines.push(s.dim(`  event ${e.id !== undefined ? String(e.id) : '(no id)'}: ${e.when}, start ${String(e.start)}, end ${String(e.end)}`));
  }
  const quiet = new Map<string, number>();
  const told: Candidate[] = [];
  for (const c of x.candidates) {
    const reason = quietReason(c);
    if (reason === undefined) told.push(c);
    else quiet.set(reason, (quiet.get(reason) ?? 0) + 1);
  }
  const detail = told.flatMap((c) => candidateLines(s, c));
  if (list || detail.length <= LISTING_LIMIT) lines.push(...detail);
  else lines.push(...candidatesSummary(s, told));
  const other = x.definition?.appliesTo === 'contacts' ? 'contact' : 'report';
  for (const [reason, n] of quiet) lines.push(s.dim(`  ${count(n, `other ${other}`)}: ${reason}`));
  if (x.candidates.length === 0) lines.push(s.dim('  Nothing in the fixtures could produce this task.'));
  for (const note of x.notes) lines.push(s.yellow(`  note: ${note}`));
  return `${lines.join('\n')}\n`;
}

/** Candidates counted by what happens to them, with a few examples of each. */
function candidatesSummary(s: ChalkInstance, candidates: Candidate[]): string[] {
  const byOutcome = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const runs = c.lines.flatMap((l) => l.runs);
    const shows = runs.some((r) => r.shows);
    const key = shows ? 'shows on some days' : `never shows: ${runs.find((r) => !r.shows)?.reason.replace(/\d{4}-\d{2}-\d{2}/g, 'D') ?? 'no reason'}`;
    byOutcome.set(key, [...(byOutcome.get(key) ?? []), c]);
  }
  const lines = [s.dim(`  ${count(candidates.length, 'contact or report', 'contacts or reports')} the task applies to, by outcome (--list shows each one's days):`)];
  for (const [outcome, cs] of [...byOutcome].sort((a, b) => b[1].length - a[1].length)) {
    const examples = cs.slice(0, 3).map((c) => c.report?.id ?? c.contact.id ?? '(no contact)').join(', ');
    lines.push(`  ${String(cs.length).padStart(7)}  ${outcome}${s.dim(` (e.g. ${examples}${cs.length > 3 ? ', …' : ''})`)}`);
  }
  return lines;
}
