/* eslint-disable @typescript-eslint/no-explicit-any -- CHT documents are user-shaped: their custom fields stay unchecked, as at run time. */
/**
 * TypeScript declarations for CHT config authors: tasks, targets, the templated contact summary and the globals
 * their code sees (`Utils`, `user`, `cht`). For autocompletion and type errors in plain JavaScript:
 *
 *   // tasks.js
 *   // @ts-check
 *   /** @type {import('chtkit/types').Task[]} *\/
 *   const tasks = [ ... ];
 *   module.exports = tasks;
 *
 * (TypeScript does not apply a JSDoc type written on `module.exports = [...]` itself.)
 *
 * Function parameters are typed for the common case: `report` is the report for report tasks and targets (it
 * is undefined when the definition applies to contacts), `scheduledTaskIndex` is set for 'scheduled_tasks'.
 *
 * The fields, their types and which are required are those of schemas/task.schema.json and
 * schemas/target.schema.json (a test fails when the two drift apart). Rules that span fields (resolvedIf when no
 * action is a report action, passesIf only for percent targets...) are checked by `cht validate-app-settings`.
 */

/* ---------------------------------------------------------------- documents -- */

/** A contact document: a person or a place. */
export interface ContactDoc {
  _id: string;
  _rev?: string;
  /** 'person', 'clinic', 'health_center', 'district_hospital', or 'contact' with `contact_type`. */
  type: string;
  contact_type?: string;
  name?: string;
  reported_date?: number;
  date_of_birth?: string;
  date_of_death?: string;
  patient_id?: string;
  place_id?: string;
  parent?: { _id: string; parent?: ContactDoc['parent'] };
  contact?: { _id: string; name?: string; [key: string]: unknown };
  [key: string]: any;
}

/** One SMS-schedule entry of a report (appliesTo 'scheduled_tasks' tasks are emitted per entry). */
export interface ScheduledTaskEntry {
  due: number | string;
  group?: number | string;
  state?: string;
  [key: string]: any;
}

/** A report (`data_record`) document. */
export interface ReportDoc {
  _id: string;
  _rev?: string;
  type?: 'data_record';
  /** The form code. */
  form: string;
  reported_date: number;
  fields?: Record<string, any>;
  scheduled_tasks?: ScheduledTaskEntry[];
  errors?: unknown[];
  [key: string]: any;
}

/** `c`: what task and target functions receive as their first argument, one per contact. */
export interface ContactContainer {
  /** The contact (undefined for reports without a known subject). */
  contact: ContactDoc;
  /** The contact's reports, oldest first. */
  reports: ReportDoc[];
  /** Existing task documents requested by this contact. */
  tasks: any[];
}

/* -------------------------------------------------------------------- tasks -- */

/** What `this` is inside a task's functions: one object shared by all functions of the definition. */
export interface TaskThis {
  /** A copy of the task definition, with the default resolvedIf. */
  definition: Task & {
    defaultResolvedIf(contact: ContactContainer, report: ReportDoc, event: TaskEvent, dueDate: Date): boolean;
  };
  [key: string]: any;
}

interface TaskEventBase {
  /** A descriptive identifier, part of the task's id. Required and unique when the task has several events. */
  id?: string;
  /** Days before the due date that the task starts to show (0 or more). */
  start: number;
  /** Days after the due date that the task keeps showing (0 or more). */
  end: number;
}

/** An event due a number of days after the report (or the contact's creation, or the scheduled task). */
export interface TaskEventDays extends TaskEventBase {
  days: number;
  dueDate?: never;
}

/** An event whose due date a function computes. */
export interface TaskEventDueDate extends TaskEventBase {
  dueDate: (this: TaskThis, event: TaskEvent, contact: ContactContainer, report: ReportDoc, scheduledTaskIndex?: number) => Date;
  days?: never;
}

/** When a task is due and for how long it shows: either `days` or `dueDate`. */
export type TaskEvent = TaskEventDays | TaskEventDueDate;

/** What the task's form receives as inputs (set by modifyContent). */
export interface TaskActionContent {
  source: 'task';
  source_id: string;
  contact: ContactDoc;
  [key: string]: any;
}

interface TaskActionBase {
  /** Translation key of the action's label on the task summary screen. */
  label?: string;
  /** Sets the inputs passed to the form. */
  modifyContent?: (this: TaskThis, content: TaskActionContent, contact: ContactContainer, report: ReportDoc, event: TaskEvent) => void;
}

/** Opens a form (the default type). */
export interface TaskReportAction extends TaskActionBase {
  type?: 'report';
  /** The code of the form to open. */
  form: string;
}

/** Opens the contact's profile page; takes no form. */
export interface TaskContactAction extends TaskActionBase {
  type: 'contact';
  form?: never;
}

export type TaskAction = TaskReportAction | TaskContactAction;

export interface TaskPriority {
  /** 'high' shows a high-risk icon. Default: 'medium'. */
  level?: 'high' | 'medium';
  /** Translation key shown with the risk level. */
  label?: string;
}

/** One kind of task (tasks.js exports an array of them). */
export interface Task {
  /** Unique among the tasks; part of each task's id. */
  name: string;
  /** An icon name from resources.json. */
  icon?: string;
  /** Translation key of the task's title. */
  title: string;
  /** One task per report, per contact, or per scheduled task of a report. */
  appliesTo: 'contacts' | 'reports' | 'scheduled_tasks';
  /** Whether the task applies to these documents (for 'scheduled_tasks', also the scheduled task's index). */
  appliesIf?: (this: TaskThis, contact: ContactContainer, report: ReportDoc, scheduledTaskIndex: number) => boolean;
  /** Form codes (report tasks) or contact types (contact tasks). */
  appliesToType?: string[];
  /** The label naming the task's subject. Defaults to the contact's name. */
  contactLabel?: string | ((this: TaskThis, contact: ContactContainer, report: ReportDoc) => string);
  /** True once the task is done. Required when no action is a report action. */
  resolvedIf?: (
    this: TaskThis,
    contact: ContactContainer,
    report: ReportDoc,
    event: TaskEvent,
    dueDate: Date,
    scheduledTaskIndex?: number,
  ) => boolean;
  events: TaskEvent[];
  priority?:
    | TaskPriority
    | ((this: TaskThis, contact: ContactContainer, report: ReportDoc, event: TaskEvent, dueDate: Date, scheduledTaskIndex?: number) => TaskPriority | undefined);
  /** The forms (or contact pages) the user can open from the task: at least one. */
  actions: TaskAction[];
}

/* ------------------------------------------------------------------ targets -- */

/** What a target emits for one contact or report (and what emitCustom may change or emit several times). */
export interface TargetInstance {
  _id: string;
  contact: ContactDoc;
  deleted: boolean;
  type: string;
  pass: boolean;
  groupBy?: string;
  date: number;
  [key: string]: any;
}

export interface TargetDhis {
  /** DHIS2 data set id (1 to 15 characters). */
  dataSet?: string;
  /** DHIS2 data element id (1 to 15 characters). */
  dataElement: string;
  [key: string]: unknown;
}

export interface TargetPassesIfGroupCount {
  /** A group passes with at least this many passing instances. */
  gte: number;
}

/** One target widget (targets.js exports an array of them). */
export interface Target {
  /** Unique among the targets. */
  id: string;
  icon?: string;
  translation_key?: string;
  subtitle_translation_key?: string;
  percentage_count_translation_key?: string;
  /** An expression over `user`; the target shows only when it is true, e.g. "user.role === 'chw'". */
  context?: string;
  type: 'count' | 'percent';
  /** A count, or a percentage (0–100) for percent targets; -1 for no goal. */
  goal: number;
  appliesTo: 'contacts' | 'reports';
  /** Form codes (report targets) or contact types (contact targets). */
  appliesToType?: string[];
  appliesIf?: (this: any, contact: ContactContainer, report: ReportDoc) => boolean;
  /** Percent targets without groupBy only. */
  passesIf?: (this: any, contact: ContactContainer, report: ReportDoc) => boolean;
  /** The instance's group key (e.g. a household id); groups pass by passesIfGroupCount. */
  groupBy?: (this: any, contact: ContactContainer, report: ReportDoc) => string;
  /** Required with groupBy, not allowed without. */
  passesIfGroupCount?: TargetPassesIfGroupCount;
  /** The date an instance counts on. Default: 'now'. */
  date?: 'reported' | 'now' | ((this: any, contact: ContactContainer, report: ReportDoc) => number);
  emitCustom?: (this: any, emit: (instance: TargetInstance) => void, instance: TargetInstance, contact: ContactContainer, report: ReportDoc) => void;
  dhis?: TargetDhis | TargetDhis[];
  visible?: boolean;
  /** One instance per contact (default), per report, or per id the function returns. */
  idType?: 'report' | 'contact' | ((this: any, contact: ContactContainer, report: ReportDoc) => string | string[]);
  aggregate?: boolean;
  limit_count_to_goal?: boolean;
}

/* ---------------------------------------------------------- contact summary -- */

export interface ContactSummaryField {
  /** Contact types the field shows for; '!type' excludes one. */
  appliesToType?: string | string[];
  appliesIf?: () => boolean;
  label: string;
  value?: unknown;
  translate?: boolean;
  filter?: string;
  width?: number;
  icon?: string;
  context?: { count?: unknown; total?: unknown };
}

type PerReport<T> = T | ((report: ReportDoc) => T);

export interface ContactSummaryCardField {
  appliesIf?: PerReport<boolean>;
  label: PerReport<string>;
  value?: PerReport<unknown>;
  translate?: PerReport<boolean>;
  filter?: PerReport<string>;
  width?: PerReport<number>;
  icon?: PerReport<string>;
  context?: { count?: PerReport<unknown>; total?: PerReport<unknown> };
}

export interface ContactSummaryCard {
  label: string;
  /** Contact types, or 'report' for one card per valid report. */
  appliesToType?: string | string[];
  appliesIf?: PerReport<boolean>;
  fields: ContactSummaryCardField[] | ((report: ReportDoc) => ContactSummaryCardField[]);
  modifyContext?: (context: Record<string, unknown>, report: ReportDoc) => void;
  collapsed?: boolean;
}

/** What contact-summary.templated.js exports. */
export interface ContactSummary {
  fields?: ContactSummaryField[];
  cards?: ContactSummaryCard[];
  context?: Record<string, unknown>;
}

/* ------------------------------------------------------------------ globals -- */

export interface TaskSchedule {
  name: string;
  events?: Array<{ id?: string; days?: number; start?: number; end?: number; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** `Utils`: cht-nootils, available to tasks and targets. */
export interface ChtUtils {
  /** Always true in CHT 4.x (cht-core applies its own 60/180-day window). */
  isTimely(date: Date, event: TaskEvent): boolean;
  /** Midnight (local time) `days` after `date` (today when absent). */
  addDate(date: Date | number | string | null | undefined, days: number): Date;
  /** The last menstrual period from a pregnancy report, or four weeks before it was reported. */
  getLmpDate(doc: ReportDoc): Date;
  getSchedule(name: string): TaskSchedule | undefined;
  getMostRecentTimestamp(reports: ReportDoc[], form: string | string[], fields?: Record<string, unknown>): number | undefined;
  getMostRecentReport(reports: ReportDoc[], form: string | string[], fields?: Record<string, unknown>): ReportDoc | undefined;
  isFormSubmittedInWindow(reports: ReportDoc[], form: string, start: number, end: number, count?: number): boolean;
  isFirstReportNewer(firstReport: ReportDoc, secondReport: ReportDoc): boolean;
  isDateValid(date: unknown): boolean;
  now(): Date;
  /** The value at a dotted path of `report.fields`. */
  getField(report: ReportDoc, fieldPath: string): any;
  fieldsMatch(report: ReportDoc, fieldValues: Record<string, unknown>): boolean;
  MS_IN_DAY: number;
}

/** `cht`: the CHT script API (v3.12+). */
export interface ChtApi {
  v1: {
    hasPermissions(permissions: string | string[], userRoles?: string[], chtPermissionsSettings?: Record<string, string[]>): boolean;
    hasAnyPermission(permissionsGroups: string[][], userRoles?: string[], chtPermissionsSettings?: Record<string, string[]>): boolean;
    getExtensionLib(name: string): ((...args: any[]) => any) | undefined;
    analytics: { getTargetDocs(): any[] };
  };
}

declare global {
  /** cht-nootils, in tasks.js and targets.js (and what they require). */
  const Utils: ChtUtils;
  /** The logged-in user's contact document. */
  const user: ContactDoc & { role?: string; roles?: string[]; [key: string]: any };
  /** The CHT script API. */
  const cht: ChtApi;
}
