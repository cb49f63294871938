/* eslint-disable @typescript-eslint/no-explicit-any -- this code runs inside the compiled rules over user-shaped data */
import { prepareDefinition } from './definition.js';

/**
 * Turns task definitions into task emissions for one contact container `c = {contact, reports, tasks}`,
 * with the semantics of cht-conf 6.6.1's src/nools/task-emitter.js. Runs on the phone, inside `new Function(...)`, once per container.
 */
export function emitTasks(definitions: any, c: any, Utils: any, Task: any, emit: any): void {
  if (!definitions) return;
  for (let d = 0; d < definitions.length; ++d) {
    const definition = Object.assign({}, definitions[d], { defaultResolvedIf });
    if (typeof definition.resolvedIf !== 'function') {
      // Reads definition.defaultResolvedIf at call time, so it gets the bound one (with this.definition).
      definition.resolvedIf = function (contact: any, report: any, event: any, dueDate: any) {
        return definition.defaultResolvedIf(contact, report, event, dueDate, Utils);
      };
    }
    prepareDefinition(definition);

    switch (definition.appliesTo) {
      case 'reports':
      case 'scheduled_tasks':
        for (let i = 0; i < c.reports.length; ++i) emitFor(definition, Utils, Task, emit, c, c.reports[i]);
        break;
      case 'contacts':
        if (c.contact) emitFor(definition, Utils, Task, emit, c, undefined);
        break;
      default:
        throw new Error('Unrecognised task.appliesTo: ' + definition.appliesTo);
    }
  }
}

function typeOf(contact: any): any {
  return contact.type === 'contact' ? contact.contact_type : contact.type;
}

function emitFor(definition: any, Utils: any, Task: any, emit: any, c: any, r: any): void {
  if (definition.appliesToType) {
    let type: any;
    if (definition.appliesTo === 'contacts') {
      if (!c.contact) return;
      type = typeOf(c.contact);
    } else {
      if (!r) return;
      type = r.form;
    }
    // indexOf, not includes: a string appliesToType matches substrings, as it does in cht-core.
    if (definition.appliesToType.indexOf(type) === -1) return;
  }

  if (definition.appliesTo !== 'scheduled_tasks' && definition.appliesIf && !definition.appliesIf(c, r)) return;

  if (definition.appliesTo === 'scheduled_tasks') {
    if (r && definition.appliesIf) {
      if (!r.scheduled_tasks) return;
      for (let i = 0; i < r.scheduled_tasks.length; i++) {
        if (definition.appliesIf(c, r, i)) emitEvents(definition, Utils, Task, emit, c, r, i);
      }
    }
  } else {
    emitEvents(definition, Utils, Task, emit, c, r, undefined);
  }
}

function dueDateOf(event: any, Utils: any, c: any, r: any, scheduledIndex: number | undefined): any {
  if (event.dueDate) return event.dueDate(event, c, r, scheduledIndex);
  if (r) {
    const base = scheduledIndex !== undefined ? r.scheduled_tasks[scheduledIndex].due : r.reported_date;
    return new Date(Utils.addDate(new Date(base), event.days));
  }
  // A contact without reported_date counts from the current clock.
  const base = c.contact && c.contact.reported_date ? new Date(c.contact.reported_date) : new Date();
  return new Date(Utils.addDate(base, event.days));
}

function contactOf(definition: any, c: any, r: any): any {
  const label = typeof definition.contactLabel === 'function' ? definition.contactLabel(c, r) : definition.contactLabel;
  return label ? { name: label } : c.contact;
}

function emitEvents(
  definition: any, Utils: any, Task: any, emit: any, c: any, r: any, scheduledIndex: number | undefined,
): void {
  for (let i = 0; i < definition.events.length; i++) {
    const event = definition.events[i];
    const dueDate = dueDateOf(event, Utils, c, r, scheduledIndex);
    if (!Utils.isTimely(dueDate, event)) continue;

    // Property order is also the order the user's callbacks run in (contactLabel, resolvedIf, modifyContent).
    const task: any = {
      _id: (r ? r._id : c.contact && c.contact._id) + '~' + (event.id || i) + '~' + definition.name,
      // Operator precedence as in cht-core: report tasks take r.deleted; a deleted contact without a report throws.
      deleted: !!(((c.contact && c.contact.deleted) || r) ? r.deleted : false),
      doc: c,
      contact: contactOf(definition, c, r),
      icon: definition.icon,
      date: dueDate,
      readyStart: event.start || 0,
      readyEnd: event.end || 0,
      title: definition.title,
      resolved: definition.resolvedIf(c, r, event, dueDate, scheduledIndex),
      actions: definition.actions.map((action: any) => actionOf(action, event, c, r)),
    };
    if (scheduledIndex !== undefined) task._id += '-' + scheduledIndex;

    let priority = definition.priority;
    if (typeof priority === 'function') priority = priority(c, r, event, dueDate, scheduledIndex);
    if (priority) {
      task.priority = priority.level;
      task.priorityLabel = priority.label;
    }
    emit('task', new Task(task));
  }
}

function actionOf(action: any, event: any, c: any, r: any): any {
  const content = {
    source: 'task',
    source_id: r ? r._id : c.contact && c.contact._id,
    contact: c.contact,
  };
  if (action.modifyContent) action.modifyContent(content, c, r, event);
  return {
    type: action.type || 'report',
    form: action.form,
    label: action.label || 'Follow up',
    content,
  };
}

/**
 * Resolved when the first report action's form was submitted inside the task window (cht-conf 6.6.1 src/nools/task-defaults.js, `defaultResolvedIf`).
 * For report tasks the window starts no earlier than 1 ms after the triggering report.
 */
function defaultResolvedIf(this: any, contact: any, report: any, event: any, dueDate: any, utils?: any): boolean {
  const U = utils || Utils;
  const form = resolvingForm(this.definition);
  if (!form) throw new Error('Could not find the default resolving form!');
  const windowStart = U.addDate(dueDate, -event.start).getTime();
  const start = report ? Math.max(windowStart, report.reported_date + 1) : windowStart;
  const end = U.addDate(dueDate, event.end + 1).getTime();
  return U.isFormSubmittedInWindow(contact.reports, form, start, end);
}

function resolvingForm(definition: any): any {
  if (!definition || !definition.actions) return undefined;
  const action = definition.actions.find((a: any) => !a.type || a.type === 'report');
  return action && action.form;
}

declare const Utils: any;
