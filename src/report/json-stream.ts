/**
 * A JSON document written a piece at a time: one array inside it is streamed, element by element, and the text
 * is byte for byte what `JSON.stringify(document, null, 2)` gives for the whole document. A document too large
 * for one JavaScript string (a year of tasks for thousands of contacts) can then be written in constant memory.
 */
const PLACEHOLDER = '@@chtkit-streamed-array@@';

export class StreamedJson {
  private readonly before: string;
  private readonly after: string;
  private readonly indent: string;
  private count = 0;

  /**
   * `skeleton` is the document with the streamed array replaced by `StreamedJson.HERE` (exactly once). Keys
   * keep their order, so keys after the array are written after it.
   */
  constructor(skeleton: unknown) {
    const text = JSON.stringify(skeleton, null, 2);
    const quoted = JSON.stringify(PLACEHOLDER);
    const at = text.indexOf(quoted);
    if (at === -1 || text.indexOf(quoted, at + 1) !== -1) throw new Error('StreamedJson: the skeleton must hold StreamedJson.HERE once');
    this.before = text.slice(0, at);
    this.after = text.slice(at + quoted.length);
    const lineStart = text.lastIndexOf('\n', at) + 1;
    this.indent = /^ */.exec(text.slice(lineStart))![0];
  }

  static readonly HERE = PLACEHOLDER;

  /** The text up to and including the array's `[`. */
  open(): string {
    return `${this.before}[`;
  }

  /** One element, with the comma and indentation JSON.stringify would give it. */
  element(value: unknown): string {
    const json = (JSON.stringify(value, null, 2) as string | undefined) ?? 'null';
    return `${this.elementStart()}${json.replace(/\n/g, `\n${this.elementIndent}`)}`;
  }

  /** The indentation of the array's elements: every line of an element's text after its first starts with it. */
  get elementIndent(): string {
    return `${this.indent}  `;
  }

  /** What goes before an element's text (its comma and indentation), for a caller that writes the text in parts. */
  elementStart(): string {
    const out = `${this.count === 0 ? '' : ','}\n${this.elementIndent}`;
    this.count++;
    return out;
  }

  /**
   * The array's `]` and the rest of the document, with a final newline. `tail`: keys only known once the array
   * is written (a summary), added after it in the array's object.
   */
  close(tail: Record<string, unknown> = {}): string {
    const keys = Object.entries(tail)
      .map(([k, v]) => `,\n${this.indent}${JSON.stringify(k)}: ${(JSON.stringify(v, null, 2) ?? 'null').replace(/\n/g, `\n${this.indent}`)}`)
      .join('');
    return `${this.count === 0 ? ']' : `\n${this.indent}]`}${keys}${this.after}\n`;
  }
}

/** One line of newline-delimited JSON (NDJSON / JSON Lines). */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
