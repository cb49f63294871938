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
}

export function tasksPrinter(reporter: Reporter, options: TasksPrinterOptions): TasksPrinter {
  switch (options.format) {
    case 'json': return jsonPrinter(reporter, options.header);
    case 'ndjson': return ndjsonPrinter(reporter, options.header);
    default: return humanPrinter(reporter, options);
  }
}

/**
 * `{ tz, from, to, days: [...] }`, written a day at a time. The head is written with the first day (or at
 * the end), so a run that fails before any day is computed leaves stdout empty.
 */
function jsonPrinter(reporter: Reporter, header: TasksHeader): TasksPrinter {
  const doc = new StreamedJson({ tz: header.tz, from: header.from, to: header.to, days: StreamedJson.HERE });
  let opened = false;
  return {
    async day(day) {
      await reporter.dataPart(`${opened ? '' : doc.open()}${doc.element(dayJson(day))}`);
      opened = true;
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
  return {
    async day(day) {
      await reporter.dataPart(`${head()}${ndjsonLine(dayJson(day))}`);
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
  const human = new TasksHuman(reporter.out, options.header, { allStates: options.allStates, list: options.list });
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
