import type { TaskResult, TasksDay, TasksOutput, TasksRun } from '../simulate/index.js';
import { explanationHuman, explanationJson } from './dry-run-explain.js';
import { TasksHuman } from './dry-run-tasks-human.js';
import { ndjsonLine, StreamedJson } from './json-stream.js';
import type { Reporter } from './reporter.js';

/** What dry-run-tasks prints: `human` (listing or summary), `json` (one document), `ndjson` (a line per day). */
export type TasksFormat = 'human' | 'json' | 'ndjson';

/** What a run is about, known before its first day. */
export interface TasksHeader {
  tz: string;
  from: string;
  to: string;
  at: string;
}

/** One task as `--json` and `--format=ndjson` print it (README "dry-run-tasks --json"). */
export function taskJson(t: TaskResult): Record<string, unknown> {
  return {
    state: t.state,
    owner: t.owner,
    requester: t.requester,
    emission: t.emission,
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
  };
}

function dayJson(day: TasksDay): { date: string; tasks: Record<string, unknown>[] } {
  return { date: day.date, tasks: day.tasks.map(taskJson) };
}

/** The whole `--json` document of a run held in memory (the streamed one is byte for byte the same). */
export function tasksJson(output: TasksOutput): unknown {
  if (output.explanation) return { tz: output.tz, from: output.from, to: output.to, explain: output.explanation };
  return { tz: output.tz, from: output.from, to: output.to, days: output.days.map(dayJson) };
}

/** Prints a dry-run's days as they come, then what only the end knows. */
export interface TasksPrinter {
  day(day: TasksDay): Promise<void>;
  end(run: TasksRun): Promise<void>;
}

export interface TasksPrinterOptions {
  format: TasksFormat;
  header: TasksHeader;
  allStates: boolean;
  /** --list: the full human listing, however long. */
  list: boolean;
  /** Translation key -> text, for the human listing's titles and priority labels (the data keeps the keys). */
  texts?: ReadonlyMap<string, string>;
}

export function tasksPrinter(reporter: Reporter, options: TasksPrinterOptions): TasksPrinter {
  switch (options.format) {
    case 'json': return jsonPrinter(reporter, options.header);
    case 'ndjson': return ndjsonPrinter(reporter, options.header);
    default: return humanPrinter(reporter, options);
  }
}

/**
 * The texts of the tasks of the day before, by task: a timeline hands over the same task object on every day
 * it shows (engine/tasks.ts readyResult), so most of a day's tasks were written the day before. Serialising
 * each of a year's 866,575 task-days again took a large share of `--json`'s time for 10,000 patients; two days
 * of texts are all that is kept.
 */
class TaskTexts {
  private previous = new Map<TaskResult, string>();
  private current = new Map<TaskResult, string>();

  constructor(private readonly render: (t: TaskResult) => string) {}

  text(t: TaskResult): string {
    let text = this.previous.get(t) ?? this.current.get(t);
    if (text === undefined) text = this.render(t);
    this.current.set(t, text);
    return text;
  }

  /** The day is written: its texts are the ones the next day may reuse. */
  nextDay(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

/** About how long a part of a day's text gets (see `inParts`). */
const PART_CHARS = 48 * 1024;

/**
 * `head`, the tasks' texts joined by `separator`, then `tail`, as parts of about PART_CHARS: a large day's text
 * is megabytes (2.3 MB a day for 10,000 patients, more with --all-states), which is then never built as one
 * string (V8 keeps strings that large outside the young generation, and each is copied again to be written).
 */
function inParts(head: string, tasks: readonly TaskResult[], text: (t: TaskResult) => string, separator: string, tail: string): string[] {
  const parts: string[] = [];
  let batch: string[] = [];
  let size = head.length;
  let first = head;
  for (let i = 0; i < tasks.length; i++) {
    const t = text(tasks[i]!);
    batch.push(t);
    size += t.length + separator.length;
    if (size >= PART_CHARS && i < tasks.length - 1) {
      parts.push(`${first}${batch.join(separator)}${separator}`);
      first = '';
      batch = [];
      size = 0;
    }
  }
  parts.push(`${first}${batch.join(separator)}${tail}`);
  return parts;
}

/**
 * A day's element of the `--json` document as `doc.element(dayJson(day))` writes it (without the comma and
 * indentation before it), in parts, from its tasks' texts (indented for their place once, when first written).
 */
function dayParts(day: TasksDay, inner: string, texts: TaskTexts): string[] {
  const head = `{\n${inner}  "date": ${JSON.stringify(day.date)},\n${inner}  "tasks": `;
  const parts = day.tasks.length === 0
    ? [`${head}[]\n${inner}}`]
    : inParts(`${head}[\n${inner}    `, day.tasks, (t) => texts.text(t), `,\n${inner}    `, `\n${inner}  ]\n${inner}}`);
  texts.nextDay();
  return parts;
}

/**
 * `{ tz, from, to, days: [...] }`, written a day at a time. The head is written with the first day (or at
 * the end), so a run that fails before any day is computed leaves stdout empty.
 */
function jsonPrinter(reporter: Reporter, header: TasksHeader): TasksPrinter {
  const doc = new StreamedJson({ tz: header.tz, from: header.from, to: header.to, days: StreamedJson.HERE });
  const inner = doc.elementIndent;
  const texts = new TaskTexts((t) => JSON.stringify(taskJson(t), null, 2).replace(/\n/g, `\n${inner}    `));
  let opened = false;
  return {
    async day(day) {
      const parts = dayParts(day, inner, texts);
      parts[0] = `${opened ? '' : doc.open()}${doc.elementStart()}${parts[0]}`;
      opened = true;
      for (const part of parts) await reporter.dataPart(part);
    },
    async end(run) {
      if (run.explanation) {
        await explanationJson(reporter, header, run.explanation);
        return;
      }
      await reporter.dataPart(`${opened ? '' : doc.open()}${doc.close()}`);
    },
  };
}

/** A first line `{ tz, from, to, at }`, then `{ date, tasks }` per day, each written as soon as it is done. */
function ndjsonPrinter(reporter: Reporter, header: TasksHeader): TasksPrinter {
  let started = false;
  const head = () => (started ? '' : ((started = true), ndjsonLine({ tz: header.tz, from: header.from, to: header.to, at: header.at })));
  const texts = new TaskTexts((t) => JSON.stringify(taskJson(t)));
  return {
    async day(day) {
      // `ndjsonLine(dayJson(day))`, in parts, from the tasks' texts.
      const parts = inParts(`${head()}{"date":${JSON.stringify(day.date)},"tasks":[`, day.tasks, (t) => texts.text(t), ',', ']}\n');
      texts.nextDay();
      for (const part of parts) await reporter.dataPart(part);
    },
    async end(run) {
      if (run.explanation) {
        // The explanation's head, then a line per candidate (contact or report): it grows with the population.
        const { candidates, ...rest } = run.explanation;
        await reporter.dataPart(`${head()}${ndjsonLine({ explain: rest })}`);
        for (const c of candidates) await reporter.dataPart(ndjsonLine({ candidate: c }));
        return;
      }
      await reporter.dataPart(head());
    },
  };
}

function humanPrinter(reporter: Reporter, options: TasksPrinterOptions): TasksPrinter {
  const human = new TasksHuman(reporter.out, options.header, {
    allStates: options.allStates, list: options.list, ...(options.texts ? { texts: options.texts } : {}),
  });
  return {
    async day(day) {
      const text = human.day(day);
      if (text) await reporter.dataPart(text);
    },
    async end(run) {
      if (run.explanation) {
        await reporter.dataPart(explanationHuman(reporter.out, run, run.explanation, options.list));
        return;
      }
      await reporter.dataPart(human.end());
    },
  };
}
