import type { ChalkInstance } from 'chalk';
import type { TaskExplanation, TaskResult, TasksOutput } from '../simulate/index.js';

/** The `--json` document of dry-run-tasks (README "dry-run-tasks --json"). */
export function tasksJson(output: TasksOutput): unknown {
  if (output.explanation) return { tz: output.tz, from: output.from, to: output.to, explain: output.explanation };
  return {
    tz: output.tz,
    from: output.from,
    to: output.to,
    days: output.days.map((d) => ({
      date: d.date,
      tasks: d.tasks.map((t) => ({
        state: t.state,
        owner: t.owner,
        requester: t.requester,
        emission: t.emission,
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
      })),
    })),
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

function stateStyle(s: ChalkInstance, state: TaskResult['state']): (text: string) => string {
  switch (state) {
    case 'Ready': return s.green.bold;
    case 'Draft': return s.cyan;
    case 'Failed': return s.red;
    case 'Completed': return s.green.dim;
    case 'Cancelled': return s.gray;
    case 'Duplicate': return s.magenta;
    default: return s.gray.dim;
  }
}

function contactLine(s: ChalkInstance, task: TaskResult): string {
  const name = task.emission.contact?.name;
  const label = name === undefined || name === null || name === '' ? '(no name)' : String(name);
  if (task.owner === '_unassigned') return `${s.bold(label)} ${s.dim('(unassigned: Tasks tab only)')}`;
  return `${s.bold(label)} ${s.dim(`(${task.owner})`)}`;
}

function taskLine(s: ChalkInstance, task: TaskResult, showState: boolean): string[] {
  const e = task.emission;
  const title = typeof e.title === 'string' ? e.title : JSON.stringify(e.title);
  const parts = [
    showState ? stateStyle(s, task.state)(task.state.padEnd(9)) : s.green('●'),
    title,
    s.dim(`due ${String(e.dueDate)}`),
    s.dim(`window ${String(e.startDate)} → ${String(e.endDate)}`),
  ];
  if (e.priority !== undefined) {
    const label = typeof e.priorityLabel === 'string' ? ` (${e.priorityLabel})` : '';
    parts.push(e.priority === 'high' ? s.red(`priority ${String(e.priority)}${label}`) : s.yellow(`priority ${String(e.priority)}${label}`));
  }
  const lines = [`    ${parts.join('  ')}`];
  lines.push(`      ${s.dim(e._id)}`);
  if (task.reason) lines.push(`      ${s.dim(task.reason)}`);
  return lines;
}

/**
 * Per day, the tasks grouped by contact; runs of days with the same tasks (and empty days) are folded into
 * ranges; a summary line closes.
 */
export function tasksHuman(output: TasksOutput, s: ChalkInstance, allStates: boolean): string {
  if (output.explanation) return explanationHuman(output, output.explanation, s);
  const lines: string[] = [];
  let readyTotal = 0;
  const contacts = new Set<string>();
  let daysWithTasks = 0;
  // Days fold only when their tasks are identical (a task due "tomorrow" every day moves its dates).
  const keyOf = (tasks: TaskResult[]) => JSON.stringify(tasks);
  for (let i = 0; i < output.days.length;) {
    const day = output.days[i]!;
    const key = keyOf(day.tasks);
    let j = i + 1;
    while (j < output.days.length && keyOf(output.days[j]!.tasks) === key) j++;
    const last = output.days[j - 1]!;
    const span = j - i === 1
      ? `${s.bold(day.date)} ${s.dim(`(${weekday(day.date)})`)}`
      : `${s.bold(day.date)} … ${s.bold(last.date)} ${s.dim(`(${j - i} days)`)}`;
    const ready = day.tasks.filter((t) => t.state === 'Ready');
    readyTotal += ready.length * (j - i);
    for (const t of ready) contacts.add(`${t.owner}|${String(t.emission.contact?.name)}`);
    if (ready.length) daysWithTasks += j - i;
    i = j;
    if (day.tasks.length === 0) {
      lines.push(`${span}${s.dim(': no tasks')}`);
      continue;
    }
    const others = day.tasks.length - ready.length;
    const counts = `${ready.length} task${ready.length === 1 ? '' : 's'}${allStates && others ? s.dim(`, ${others} not shown`) : ''}`;
    lines.push(`${span} — ${counts}`);
    const groups = new Map<string, TaskResult[]>();
    for (const t of day.tasks) {
      const groupKey = `${t.owner}|${t.owner === '_unassigned' ? String(t.emission.contact?.name) : ''}`;
      groups.set(groupKey, [...(groups.get(groupKey) ?? []), t]);
    }
    for (const tasks of groups.values()) {
      lines.push(`  ${contactLine(s, tasks[0]!)}`);
      for (const t of tasks) lines.push(...taskLine(s, t, allStates));
    }
  }
  const span = output.from === output.to ? output.from : `${output.from} … ${output.to}`;
  const days = output.days.length;
  lines.push(
    s.bold(`${readyTotal} Ready task${readyTotal === 1 ? '' : 's'}`) +
      ` over ${days} day${days === 1 ? '' : 's'} (${span}, ${output.at} ${output.tz})` +
      (days > 1 ? `, on ${daysWithTasks} day${daysWithTasks === 1 ? '' : 's'}` : '') +
      `, for ${contacts.size} contact${contacts.size === 1 ? '' : 's'}.`,
  );
  return lines.join('\n');
}

function runLine(s: ChalkInstance, run: { from: string; to: string; shows: boolean; reason: string }): string {
  const span = run.from === run.to ? run.from : `${run.from} … ${run.to}`;
  const mark = run.shows ? s.green('✓') : s.red('✗');
  return `      ${s.dim(span.padEnd(23))} ${mark} ${run.shows ? run.reason : s.dim(run.reason)}`;
}

function explanationHuman(output: TasksOutput, x: TaskExplanation, s: ChalkInstance): string {
  const lines: string[] = [];
  const head = x.matchedBy === 'emission-id' ? `emission ${x.query} (task "${x.taskName}")` : `task "${x.taskName}"`;
  lines.push(s.bold(`Why ${head} shows or not, ${output.from === output.to ? output.from : `${output.from} … ${output.to}`} (${output.at} ${output.tz})`));
  if (x.definition) {
    const d = x.definition;
    const type = d.appliesToType !== undefined ? `, appliesToType ${JSON.stringify(d.appliesToType)}` : '';
    const events = d.events.map((e) => `${e.id !== undefined ? String(e.id) : '(no id)'}: ${e.when}, start ${String(e.start)}, end ${String(e.end)}`);
    lines.push(s.dim(`  appliesTo ${String(d.appliesTo)}${type}; resolved by ${d.resolvedBy === 'default' ? 'the default rule (its form submitted in the window)' : 'resolvedIf'}`));
    for (const e of events) lines.push(s.dim(`  event ${e}`));
  }
  const typeOnly: Map<string, number> = new Map();
  for (const c of x.candidates) {
    const runs = c.lines.flatMap((l) => l.runs);
    const quiet = (r: { reason: string }) => r.reason.startsWith('appliesToType') || r.reason.startsWith('not in the database yet');
    if (runs.length > 0 && runs.every(quiet)) {
      const key = runs.find((r) => r.reason.startsWith('appliesToType'))?.reason ?? runs[0]!.reason;
      typeOnly.set(key, (typeOnly.get(key) ?? 0) + 1);
      continue;
    }
    const who = `${c.contact.name ?? '(no name)'} (${c.contact.id ?? 'no contact'})${c.contact.headless ? ' headless' : ''}`;
    const report = c.report ? ` — report ${c.report.id} (${c.report.form}${c.report.reportedDate ? `, ${c.report.reportedDate}` : ''})` : '';
    lines.push(`  ${s.bold(who)}${report}`);
    for (const line of c.lines) {
      lines.push(`    ${line.label === 'task' ? s.dim('(not emitted)') : line.label}`);
      for (const run of line.runs) lines.push(runLine(s, run));
    }
  }
  for (const [reason, count] of typeOnly) {
    lines.push(s.dim(`  ${count} other ${x.definition?.appliesTo === 'contacts' ? 'contact' : 'report'}${count === 1 ? '' : 's'}: ${reason}`));
  }
  if (x.candidates.length === 0) lines.push(s.dim('  Nothing in the fixtures could produce this task.'));
  for (const note of x.notes) lines.push(s.yellow(`  note: ${note}`));
  return lines.join('\n');
}
