/** The typed result of a messages dry-run (what `cht dry-run-messages` prints, and its `--json` shape). */

/** A fixture doc as the engine reads it: user-shaped JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture docs and settings are user-shaped JSON
export type Json = Record<string, any>;

/**
 * Where a message is at the end of the run:
 * - `scheduled`: a schedule message due at its time (inside or after the span): "due";
 * - `sent`: a schedule message due before the span: sentinel handed it to the gateway when due;
 * - `pending`: an immediate reply (registration / patient report), handed to the gateway on arrival;
 * - `cleared`: a later report silenced it (patient_reports silence_type) or cleared it (clear_schedule);
 * - `muted`: the subject (or an ancestor) is muted: kept, never sent unless unmuted;
 * - `denied`: the sender's number is refused by outgoing_deny_list / _shorter_than / _with_alphas / gateway_number;
 * - `error`: cht-core stores it with an error and never sends it (no text, template error).
 */
export type MessageState = 'scheduled' | 'sent' | 'pending' | 'cleared' | 'muted' | 'denied' | 'error';

export interface MessageRecipient {
  /** The configured `recipient` (empty: the sender). */
  setting: string;
  /** The phone number cht-core would send to, when the fixtures give one. */
  phone?: string;
  /** The fixture contact with that phone, when there is one. */
  contact?: { id: string; name?: string };
  /** How cht-core resolved it, in words ("the sender", "contact of the nearest health_center", …). */
  via: string;
}

export interface PlannedMessage {
  /** The report that scheduled or triggered it. */
  report: string;
  form: string;
  /** `schedule`: from assign_schedule; `reply`: a registration or patient report message sent on arrival. */
  kind: 'schedule' | 'reply';
  /** The transition that created it. */
  transition: 'update_clinics' | 'registration' | 'accept_patient_reports';
  schedule?: string;
  group?: number;
  offset?: string;
  /** Due time, ISO 8601 UTC. */
  due: string;
  /** Due time in the run's zone: day (YYYY-MM-DD) and time (HH:mm). */
  day: string;
  time: string;
  state: MessageState;
  /**
   * A schedule message due outside sentinel's sending window (schedule_morning/evening_hours): ISO 8601 UTC of when
   * the window opens and it is handed to the gateway; `never` when the window never opens.
   */
  heldUntil?: string;
  /** For `cleared`: the report that cleared it, and how (silence_type or clear_schedule). */
  clearedBy?: { report: string; by: 'silence_type' | 'clear_schedule' };
  recipient: MessageRecipient;
  locale: string;
  translationKey?: string;
  /** The rendered text (absent when cht-core has none: see `error`). */
  text?: string;
  /** cht-core's error on the message (e.g. messages.errors.message.empty: never sent). */
  error?: string;
}

export interface ProcessedReport {
  id: string;
  form: string;
  /** ISO 8601 UTC of reported_date: when sentinel processed it in this run. */
  reportedDate: string;
  /** What each transition did with it, in cht-core's order, in words. */
  steps: { transition: string; outcome: string }[];
}

export interface MessagesSpanSummary {
  /** Messages due before `from`, by state. */
  before: Partial<Record<MessageState, number>>;
  /** Messages due inside [from, to], by state. */
  within: Partial<Record<MessageState, number>>;
  /** Messages due after `to`, by state. */
  after: Partial<Record<MessageState, number>>;
}

export interface MessagesRun {
  tz: string;
  from: string;
  to: string;
  /** Which of the transitions simulated here would run (cht-core loads them from `transitions`). */
  transitions: { update_clinics: boolean; registration: boolean; accept_patient_reports: boolean };
  /** The reports processed, oldest first. */
  reports: ProcessedReport[];
  /** Every message due inside [from, to], by due time (all states). */
  messages: PlannedMessage[];
  summary: MessagesSpanSummary;
  /** Things the reader must know: settings the engine could not run, assumptions, skipped reports. */
  notes: string[];
}

export interface MessagesInput {
  settings: Json;
  /** locale -> key -> text (the project's translations/messages-<locale>.properties). */
  translations: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Fixture docs (contacts and reports), minified as CHT stores them. */
  docs: readonly Json[];
  from: string;
  to: string;
  tz: string;
}
