/* eslint-disable @typescript-eslint/no-explicit-any -- definitions are user-shaped; every access is guarded */
import type { Severity } from '../diagnostics/diagnostic.js';
import { didYouMean } from './did-you-mean.js';
import type { ProjectFacts } from './project-facts.js';
import type { SchemaProblem } from './schema-errors.js';

/** A problem the schema cannot express: it needs the whole list, the project's forms, or the CHT's runtime rules. */
export interface SemanticProblem extends Omit<SchemaProblem, 'code'> {
  code: string;
  severity: Severity;
}

/** cht-core keeps a task only while its window ends less than 60 days ago (cht-core 4.11.0 shared-libs/rules-engine/src/task-states.js, `isTimely`). */
const TIMELY_DAYS_PAST = 60;

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
const quote = (s: string) => `'${s}'`;

function duplicates(items: readonly unknown[], key: string, what: (i: number) => string, rule: string, at: (i: number) => SemanticProblem['path']): SemanticProblem[] {
  const first = new Map<string, number>();
  const problems: SemanticProblem[] = [];
  items.forEach((item, i) => {
    const value = isObject(item) ? item[key] : undefined;
    if (typeof value !== 'string') return;
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, i);
    else {
      problems.push({
        code: 'semantic/duplicate-id',
        severity: 'error',
        path: [...at(i), key],
        target: 'value',
        message: `${key} ${quote(value)} is already used by ${what(earlier)}: ${rule}`,
      });
    }
  });
  return problems;
}

function knownType(
  type: string,
  appliesTo: unknown,
  facts: ProjectFacts,
  path: SemanticProblem['path'],
  what: 'task' | 'target',
): SemanticProblem | undefined {
  const forContacts = appliesTo === 'contacts';
  if (!forContacts && !facts.hasForms) return undefined;
  const known = forContacts ? facts.contactTypes : facts.reportForms;
  if (known.has(type)) return undefined;
  let message: string;
  if (forContacts) {
    message = facts.reportForms.has(type)
      ? `appliesToType ${quote(type)} is a form, but this ${what} applies to contacts: list contact types here (${[...facts.contactTypes].join(', ')}).`
      : `appliesToType ${quote(type)} is not a contact type of this project (${[...facts.contactTypes].join(', ')}), so the ${what} never applies to it.`;
  } else {
    message = facts.contactTypes.has(type)
      ? `appliesToType ${quote(type)} is a contact type, but this ${what} applies to reports: list form codes here.`
      : facts.contactForms.has(type)
        ? `appliesToType ${quote(type)} is a contact form: it creates a contact, never a report, so the ${what} never applies.`
        : `appliesToType ${quote(type)} is not a form of this project (forms/app or app_settings forms), so the ${what} never applies to it.`;
  }
  const problem: SemanticProblem = { code: 'semantic/unknown-type', severity: 'warning', path, target: 'value', message };
  const suggestion = didYouMean(type, known);
  if (suggestion) problem.suggestion = quote(suggestion);
  return problem;
}

function eventProblems(task: Record<string, any>, i: number): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  if (!Array.isArray(task.events)) return problems;
  if (task.events.length === 0) {
    problems.push({
      code: 'semantic/no-events', severity: 'warning', path: [i, 'events'], target: 'value',
      message: 'events is empty, so this task never shows: add at least one event.',
    });
  }
  if (task.events.length > 1) {
    problems.push(...duplicates(task.events, 'id', (j) => `events[${j}] of this task`, 'event ids must be unique within a task (they are part of each task id).', (j) => [i, 'events', j]));
  }
  const defaultResolution = task.resolvedIf === undefined && firstReportForm(task) !== undefined;
  task.events.forEach((event: unknown, j: number) => {
    if (!isObject(event) || event.dueDate !== undefined || typeof event.days !== 'number' || typeof event.end !== 'number') return;
    const closes = event.days + event.end;
    if ((task.appliesTo === 'reports' || task.appliesTo === 'contacts') && closes < 1 - TIMELY_DAYS_PAST) {
      problems.push({
        code: 'semantic/never-timely', severity: 'warning', path: [i, 'events', j, 'days'], target: 'value',
        message: `This event's window closes ${-closes} days before the ${task.appliesTo === 'reports' ? 'report' : 'contact'} is created (days + end = ${closes}); cht-core drops tasks whose window ended ${TIMELY_DAYS_PAST} or more days ago, so it never shows.`,
      });
    } else if (task.appliesTo === 'reports' && defaultResolution && closes < 0) {
      problems.push({
        code: 'semantic/never-resolved', severity: 'warning', path: [i, 'events', j, 'days'], target: 'value',
        message: `Without resolvedIf, a report task resolves only with a report submitted after the one that triggered it, but this event's window closes ${-closes} day${closes === -1 ? '' : 's'} before that report (days + end = ${closes}), so it can never be resolved. Write a resolvedIf.`,
      });
    }
  });
  return problems;
}

/** The form the default resolvedIf waits for: that of the first action whose type is absent or 'report'. */
function firstReportForm(task: Record<string, any>): string | undefined {
  if (!Array.isArray(task.actions)) return undefined;
  const action = task.actions.find((a: unknown) => isObject(a) && (a.type === undefined || a.type === 'report'));
  return typeof action?.form === 'string' ? action.form : undefined;
}

function taskProblems(task: unknown, i: number, facts: ProjectFacts): SemanticProblem[] {
  if (!isObject(task)) return [];
  const problems = eventProblems(task, i);
  if (task.appliesTo === 'scheduled_tasks' && task.appliesIf === undefined) {
    problems.push({
      code: 'semantic/scheduled-without-appliesIf', severity: 'warning', path: [i, 'appliesTo'], target: 'value',
      message: "A 'scheduled_tasks' task is emitted only for the scheduled tasks its appliesIf(contact, report, index) accepts; without appliesIf it never shows.",
    });
  }
  if (Array.isArray(task.appliesToType)) {
    task.appliesToType.forEach((type: unknown, j: number) => {
      if (typeof type !== 'string') return;
      const p = knownType(type, task.appliesTo, facts, [i, 'appliesToType', j], 'task');
      if (p) problems.push(p);
    });
  }
  if (Array.isArray(task.actions) && facts.hasForms) {
    task.actions.forEach((action: unknown, j: number) => {
      if (!isObject(action) || typeof action.form !== 'string' || action.type === 'contact') return;
      if (facts.reportForms.has(action.form) || facts.contactForms.has(action.form)) return;
      const p: SemanticProblem = {
        code: 'semantic/unknown-form', severity: 'warning', path: [i, 'actions', j, 'form'], target: 'value',
        message: `form ${quote(action.form)} is not a form of this project (forms/app, forms/contact or app_settings forms), so the action opens nothing.`,
      };
      const suggestion = didYouMean(action.form, [...facts.reportForms, ...facts.contactForms]);
      if (suggestion) p.suggestion = quote(suggestion);
      problems.push(p);
    });
  }
  const resolving = firstReportForm(task);
  if (task.resolvedIf === undefined && resolving && facts.contactForms.has(resolving) && !facts.reportForms.has(resolving)) {
    const j = task.actions.findIndex((a: any) => isObject(a) && a.form === resolving);
    problems.push({
      code: 'semantic/never-resolved', severity: 'warning', path: [i, 'actions', j, 'form'], target: 'value',
      message: `Without resolvedIf, the task resolves when its first report action's form (${quote(resolving)}) is submitted, but that is a contact form: it creates a contact, never a report, so the task can never be resolved. Write a resolvedIf.`,
    });
  }
  return problems;
}

function targetProblems(target: unknown, i: number, facts: ProjectFacts): SemanticProblem[] {
  if (!isObject(target)) return [];
  const problems: SemanticProblem[] = [];
  if (Array.isArray(target.appliesToType)) {
    target.appliesToType.forEach((type: unknown, j: number) => {
      if (typeof type !== 'string') return;
      const p = knownType(type, target.appliesTo, facts, [i, 'appliesToType', j], 'target');
      if (p) problems.push(p);
    });
  }
  if (target.idType === 'report' && target.appliesTo === 'contacts') {
    problems.push({
      code: 'semantic/report-id-without-report', severity: 'warning', path: [i, 'idType'], target: 'value',
      message: "idType 'report' needs a report, but this target applies to contacts: every contact would count as the same single instance. Use idType 'contact' or appliesTo 'reports'.",
    });
  }
  return problems;
}

export function taskSemantics(tasks: unknown, facts: ProjectFacts): SemanticProblem[] {
  if (!Array.isArray(tasks)) return [];
  return [
    ...duplicates(tasks, 'name', (i) => `task [${i}]`, 'task names must be unique (they are part of each task id).', (i) => [i]),
    ...tasks.flatMap((t, i) => taskProblems(t, i, facts)),
  ];
}

export function targetSemantics(targets: unknown, facts: ProjectFacts): SemanticProblem[] {
  if (!Array.isArray(targets)) return [];
  return [
    ...duplicates(targets, 'id', (i) => `target [${i}]`, 'target ids must be unique (they name the target instances).', (i) => [i]),
    ...targets.flatMap((t, i) => targetProblems(t, i, facts)),
  ];
}
