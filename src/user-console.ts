import { Console } from 'node:console';
import { Writable } from 'node:stream';

/**
 * `console.*` calls made by the project's own code — tasks, targets, nools-extras, the contact summary,
 * purge.js, extension libraries — while chtkit runs it. chtkit's data goes to stdout, so the project's code
 * must never write there (one `console.log` in a rule breaks `--json`). While a capture is on, the global
 * `console` is a Console of Node's own (so every method formats exactly as usual) whose two streams hand each
 * line to the capture, with what was being evaluated when it was written.
 */
export interface ConsoleLine {
  /** One line of text, without its newline. */
  text: string;
  /** Which stream Node's console would have used: `log`/`info`/`dir`... out, `warn`/`error`/`trace` err. */
  stream: 'out' | 'err';
  /** What the project's code was evaluating (e.g. "2024-06-15 contact p-1 (Amina)"), when known. */
  subject?: string;
}

/**
 * What the rules are evaluating right now. The dry-run sets `current` around each evaluation (cheap: no
 * string is built) and `describe` once per run; only a console call pays for the description.
 */
export const consoleSubject: { current: unknown; describe: ((subject: unknown) => string | undefined) | undefined } = {
  current: undefined,
  describe: undefined,
};

/** Where captured lines go. */
export interface ConsoleSink {
  line(line: ConsoleLine): void;
  /** Lines another thread wrote but did not send (it sends the first `keep` only). */
  dropped(count: number): void;
  /** How many lines the sink will show: other threads send that many and count the rest. */
  keep: number;
}

let activeSink: ConsoleSink | undefined;

function subjectNow(): string | undefined {
  const { current, describe } = consoleSubject;
  if (current === undefined || !describe) return undefined;
  try {
    return describe(current);
  } catch {
    return undefined;
  }
}

function captureStream(stream: ConsoleLine['stream']): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = String(chunk).replace(/\n$/, '');
      const subject = subjectNow();
      for (const line of text.split('\n')) activeSink?.line({ text: line, stream, ...(subject !== undefined ? { subject } : {}) });
      callback();
    },
  });
}

/**
 * Runs `fn` with the global console captured into `onLine`, and restores it afterwards (also when `fn`
 * throws). Not re-entrant: a nested capture sends its lines to the outer one's sink.
 */
export async function withUserConsole<T>(sink: ConsoleSink, fn: () => Promise<T>): Promise<T> {
  if (activeSink) return fn();
  const previous = globalThis.console;
  activeSink = sink;
  globalThis.console = new Console({ stdout: captureStream('out'), stderr: captureStream('err'), colorMode: false });
  try {
    return await fn();
  } finally {
    globalThis.console = previous;
    activeSink = undefined;
  }
}

/** How many lines another thread should send this one (0: no capture here, send nothing but a count). */
export function consoleLinesWanted(): number {
  return activeSink ? activeSink.keep : Number.POSITIVE_INFINITY;
}

/** Lines captured on a worker thread since it last sent some, and how many more it counted without keeping. */
export interface ConsoleBatch {
  lines: ConsoleLine[];
  dropped: number;
}

/**
 * A capture for a worker thread: keeps the first `keep` lines of the whole run and counts the rest; `take` hands
 * over what came since the last call, to be sent to the main thread (forwardConsoleLines) with each part of the
 * worker's work as it is sent, so that a run stopped part-way keeps the lines of the parts already sent.
 */
export function collectingSink(keep: number): ConsoleSink & { take(): ConsoleBatch | undefined } {
  let lines: ConsoleLine[] = [];
  let dropped = 0;
  let kept = 0;
  return {
    keep,
    line(line: ConsoleLine) {
      if (kept < keep) {
        lines.push(line);
        kept++;
      } else dropped++;
    },
    dropped(count: number) {
      dropped += count;
    },
    take() {
      if (lines.length === 0 && dropped === 0) return undefined;
      const batch = { lines, dropped };
      lines = [];
      dropped = 0;
      return batch;
    },
  };
}

/** Lines captured on another thread, handed to this thread's capture; without one, printed as Node would. */
export function forwardConsoleLines(lines: readonly ConsoleLine[], dropped: number): void {
  for (const line of lines) {
    if (activeSink) activeSink.line(line);
    // Not capturing (the API, not the CLI): the lines go where the rules' own console.* would have sent them.
    // eslint-disable-next-line no-console
    else if (line.stream === 'err') console.error(line.text);
    // eslint-disable-next-line no-console
    else console.log(line.text);
  }
  if (dropped && activeSink) activeSink.dropped(dropped);
}
