import type { Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { plain, stylersFor } from './colour.js';
import { OutputStream } from './output.js';
import { Redactor } from './redact.js';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'verbose';
const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, verbose: 4 };

export interface ReporterOptions {
  level: LogLevel;
  /** false for --no-color / --json; NO_COLOR and TTY-ness are checked per stream. */
  colourAllowed: boolean;
  /** --json: stdout carries exactly one JSON document, no spinners. */
  json: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface Spinner {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

/**
 * The only thing in chtkit that writes to the terminal. Data goes to stdout; logs, warnings, errors and
 * spinners go to stderr, so `cht ... --json | jq` always parses.
 */
export class Reporter {
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;
  readonly redactor = new Redactor();
  /** stdout: the data. */
  readonly output: OutputStream;
  /** stderr: everything else. */
  readonly log: OutputStream;
  private readonly rank: number;

  private constructor(
    readonly options: ReporterOptions,
    stylers: { out: ChalkInstance; err: ChalkInstance },
  ) {
    this.out = stylers.out;
    this.err = stylers.err;
    this.rank = RANK[options.level];
    this.output = new OutputStream(options.stdout);
    this.log = new OutputStream(options.stderr);
  }

  static async create(options: ReporterOptions): Promise<Reporter> {
    const inputs = { allowed: options.colourAllowed && !options.json, env: options.env };
    return new Reporter(options, await stylersFor(options, inputs));
  }

  /** A reporter without colour, for tests and for errors raised before the flags are known. */
  static plain(options: ReporterOptions): Reporter {
    return new Reporter(options, { out: plain, err: plain });
  }

  get colourOnStderr(): boolean {
    return this.err !== plain;
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return this.rank >= RANK[level];
  }

  error(message: string): void {
    // Errors are shown even with --silent: a CI log must say why the exit code is not 0.
    this.writeErr(`${this.err.red.bold('error')} ${message}`);
  }

  warn(message: string): void {
    if (this.enabled('warn')) this.writeErr(`${this.err.yellow.bold('warning')} ${message}`);
  }

  /** Advice that never fails a run (a diagnostic's `note` severity: the project's layout). */
  note(message: string): void {
    if (this.enabled('info')) this.writeErr(`${this.err.cyan('note')} ${message}`);
  }

  /** A compile's warning or note, by its severity. */
  notice(notice: { severity: string; message: string }): void {
    if (notice.severity === 'note') this.note(notice.message);
    else this.warn(notice.message);
  }

  info(message: string): void {
    if (this.enabled('info')) this.writeErr(message);
  }

  success(message: string): void {
    if (this.enabled('info')) this.writeErr(`${this.err.green('✔')} ${message}`);
  }

  verbose(message: string): void {
    if (this.enabled('verbose')) this.writeErr(this.err.dim(message));
  }

  /** Raw, already formatted text for stderr (diagnostic blocks, tables of warnings). */
  stderrText(text: string): void {
    this.log.writeNow(this.redactor.redact(text));
  }

  /** Data for stdout: the result of the action. */
  data(text: string): void {
    this.output.writeNow(this.redactor.redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  /**
   * A piece of data that is part of a larger output written as it is computed (a day of a timeline...):
   * waits while the reader is behind, throws OutputClosed when it has gone.
   */
  async dataPart(text: string): Promise<void> {
    await this.output.write(this.redactor.redact(text));
  }

  json(value: unknown): void {
    this.data(JSON.stringify(value, null, 2));
  }

  /** Spinners animate only on an interactive stderr; elsewhere they are silent and the final line is logged. */
  async spinner(text: string): Promise<Spinner> {
    const interactive =
      this.options.stderr.isTTY === true && !this.options.json && this.enabled('info') && !this.options.env.CI;
    if (!interactive) return this.plainSpinner();
    const { default: ora } = await import('ora');
    const spin = ora({ text, stream: this.options.stderr, color: 'cyan', isEnabled: true }).start();
    return {
      update: (t) => {
        spin.text = t;
      },
      succeed: (t) => spin.succeed(this.redactor.redact(t)),
      fail: (t) => spin.fail(this.redactor.redact(t)),
      stop: () => spin.stop(),
    };
  }

  private plainSpinner(): Spinner {
    return {
      update: () => undefined,
      succeed: (t) => this.success(t),
      fail: (t) => this.error(t),
      stop: () => undefined,
    };
  }

  private writeErr(line: string): void {
    this.log.writeNow(`${this.redactor.redact(line)}\n`);
  }
}
