/**
 * Where each object and array literal of the user's config was written, recorded while the config loads.
 *
 * The validation loader rewrites every literal in the project's files to pass through `o` / `a` (see
 * instrument.ts). Each call files the new object in a WeakMap with the literal's position and the position of
 * every key or element written in it. Spread sources (`...base`) and `Object.assign` sources are kept by
 * reference, so a key that came from a helper's literal is found in the helper, and a key written later in the
 * literal wins over an earlier spread, exactly as it does in JavaScript.
 */

export interface SourcePos {
  /** Index into `LocationRecorder.files`. */
  file: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  length: number;
}

type Entry =
  | { kind: 'key'; key: string; keyPos: SourcePos; valuePos: SourcePos }
  | { kind: 'spread'; source: unknown; pos: SourcePos }
  | { kind: 'element'; pos: SourcePos }
  | { kind: 'hole' };

interface LiteralRecord {
  pos: SourcePos;
  /** Line of the literal's closing bracket. */
  endLine: number;
  entries: Entry[];
}

/** Encoded entries as the instrumented code passes them: objects `[key, kl, kc, klen, vl, vc, vlen]` or `[0, l, c]` (spread). */
type ObjectEntryCode = [string, number, number, number, number, number, number] | [0, number, number];
/** Array entries: `[l, c, len]` (element), `[-1, l, c]` (spread) or `[]` (hole). */
type ArrayEntryCode = [number, number, number] | [];

export interface KeyLocation {
  key: SourcePos;
  value: SourcePos;
}

export class LocationRecorder {
  /** Absolute paths and texts of the instrumented files, by index. */
  readonly files: string[] = [];
  readonly texts: string[] = [];
  private readonly records = new WeakMap<object, LiteralRecord>();
  private readonly pending: unknown[] = [];

  addFile(file: string, text: string): number {
    this.files.push(file);
    this.texts.push(text);
    return this.files.length - 1;
  }

  /**
   * The functions the instrumented code calls. They never throw: a failure to record must not change what the
   * user's code does.
   */
  runtime(): Record<'s' | 'o' | 'a' | 'x', (...args: never[]) => unknown> {
    const pos = (file: number, line: number, column: number, length = 1): SourcePos => ({ file, line, column, length });
    const take = (n: number): unknown[] => (n > 0 ? this.pending.splice(Math.max(0, this.pending.length - n)) : []);
    return {
      s: (value: unknown) => {
        this.pending.push(value);
        return value;
      },
      o: (obj: object, file: number, line: number, column: number, endLine: number, codes: ObjectEntryCode[], spreads: number) => {
        const sources = take(spreads);
        try {
          let next = 0;
          const entries: Entry[] = codes.map((c) =>
            c[0] === 0
              ? { kind: 'spread' as const, source: sources[next++], pos: pos(file, c[1], c[2], 3) }
              : { kind: 'key' as const, key: c[0], keyPos: pos(file, c[1], c[2], c[3]), valuePos: pos(file, c[4], c[5], c[6]) },
          );
          if (obj !== null && typeof obj === 'object') this.records.set(obj, { pos: pos(file, line, column), endLine, entries });
        } catch {
          // Positions are a convenience; the config's own behaviour comes first.
        }
        return obj;
      },
      a: (arr: unknown[], file: number, line: number, column: number, endLine: number, codes: ArrayEntryCode[], spreads: number) => {
        const sources = take(spreads);
        try {
          let next = 0;
          const entries: Entry[] = codes.map((c) => {
            if (c.length === 0) return { kind: 'hole' as const };
            if (c[0] === -1) return { kind: 'spread' as const, source: sources[next++], pos: pos(file, c[1], c[2], 3) };
            return { kind: 'element' as const, pos: pos(file, c[0], c[1], c[2]) };
          });
          if (Array.isArray(arr)) this.records.set(arr, { pos: pos(file, line, column), endLine, entries });
        } catch {
          // As above.
        }
        return arr;
      },
      x: (result: object, file: number, line: number, column: number, args: number) => {
        const [target, ...sources] = take(args);
        try {
          if (result !== null && typeof result === 'object' && result === target) {
            const before = this.records.get(result);
            const added: Entry[] = sources.map((source) => ({ kind: 'spread', source, pos: pos(file, line, column, 13) }));
            this.records.set(result, {
              pos: before?.pos ?? pos(file, line, column, 13),
              endLine: before?.endLine ?? line,
              entries: [...(before?.entries ?? []), ...added],
            });
          }
        } catch {
          // As above.
        }
        return result;
      },
    };
  }

  /** Where the literal that made `value` was written. */
  ownPosition(value: unknown): SourcePos | undefined {
    return value !== null && typeof value === 'object' ? this.records.get(value)?.pos : undefined;
  }

  /** True when `pos` lies inside the literal that made `value` (in its file, between its first and last line). */
  within(value: unknown, pos: SourcePos): boolean {
    const record = value !== null && typeof value === 'object' ? this.records.get(value) : undefined;
    return !!record && record.pos.file === pos.file && pos.line >= record.pos.line && pos.line <= record.endLine;
  }

  /** Where `key` of `obj` was written: the last literal entry (or spread source) that gives it its value. */
  keyPosition(obj: unknown, key: string, depth = 0): KeyLocation | undefined {
    if (obj === null || typeof obj !== 'object' || depth > 50) return undefined;
    const record = this.records.get(obj);
    if (!record) return undefined;
    for (let i = record.entries.length - 1; i >= 0; i--) {
      const entry = record.entries[i]!;
      if (entry.kind === 'key' && entry.key === key) return { key: entry.keyPos, value: entry.valuePos };
      if (entry.kind === 'spread' && hasOwn(entry.source, key)) {
        return this.keyPosition(entry.source, key, depth + 1) ?? { key: entry.pos, value: entry.pos };
      }
    }
    return undefined;
  }

  /** Where element `index` of `arr` was written, following spreads (`[...common, extra]`). */
  elementPosition(arr: unknown, index: number, depth = 0): SourcePos | undefined {
    if (!Array.isArray(arr) || depth > 50) return undefined;
    const record = this.records.get(arr);
    if (!record) return undefined;
    let at = 0;
    for (const entry of record.entries) {
      if (entry.kind === 'spread') {
        const length = Array.isArray(entry.source) ? entry.source.length : 0;
        if (index < at + length) return this.elementPosition(entry.source, index - at, depth + 1) ?? entry.pos;
        at += length;
      } else {
        if (index === at) return entry.kind === 'element' ? entry.pos : record.pos;
        at += 1;
      }
    }
    return undefined;
  }
}

function hasOwn(value: unknown, key: string): boolean {
  return value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key);
}
