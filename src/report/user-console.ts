import type { ConsoleLine, ConsoleSink } from '../user-console.js';
import { count } from './listing.js';
import type { Reporter } from './reporter.js';

/** Lines shown when --show-console is not given. */
const FIRST_LINES = 5;

/**
 * What the project's own code wrote with `console.*` during one action, on stderr: with --show-console every
 * line as it is written, labelled with what was being evaluated; otherwise the first few lines and a count,
 * once the action is done (a config that logs in every rule would otherwise bury the result).
 */
export class UserConsoleReport implements ConsoleSink {
  readonly keep: number;
  private total = 0;
  private readonly first: ConsoleLine[] = [];

  constructor(private readonly reporter: Reporter, private readonly showAll: boolean) {
    this.keep = showAll ? Number.POSITIVE_INFINITY : FIRST_LINES;
  }

  line(line: ConsoleLine): void {
    this.total++;
    if (this.showAll) this.reporter.stderrText(`${this.format(line)}\n`);
    else if (this.first.length < FIRST_LINES) this.first.push(line);
  }

  dropped(n: number): void {
    this.total += n;
  }

  /** The first lines and the count (nothing when the code wrote nothing, or with --show-console). */
  finish(action: string): void {
    if (this.total === 0 || this.showAll || !this.reporter.enabled('info')) return;
    const more = this.total > this.first.length ? '; --show-console prints them all, each with what was being evaluated' : '';
    this.reporter.info(this.reporter.err.dim(`The project's code wrote ${count(this.total, 'console line')} during ${action} (on stderr, never stdout)${more}:`));
    for (const line of this.first) this.reporter.stderrText(`${this.format(line)}\n`);
    if (this.total > this.first.length) this.reporter.stderrText(this.reporter.err.dim(`  … ${count(this.total - this.first.length, 'more line')}\n`));
  }

  private format(line: ConsoleLine): string {
    const s = this.reporter.err;
    const where = line.subject ? `${line.subject}: ` : '';
    const text = line.stream === 'err' ? s.yellow(line.text) : line.text;
    return `  ${s.dim(`console │ ${where}`)}${text}`;
  }
}
