/**
 * How later 1.2.0 (the scheduling library sentinel's reminders use: sentinel/src/lib/scheduling.js) reads a
 * reminder's `text_expression` and `cron`. later never refuses an expression: text it cannot read is dropped
 * from the point where its parser stops, and cron items it does not recognise become "every value", so a
 * reminder quietly runs on another schedule. These functions say where and why, from later's grammar
 * (src/parse/text.js and cron.js at the 1.2.0 tag); they build no schedule.
 */

/** later's text tokens (matched on the lower-cased text, longest match first, whitespace skipped). */
const TOK = {
  rank: /^((\d\d\d\d)|([2-5]?1(st)?|[2-5]?2(nd)?|[2-5]?3(rd)?|(0|[1-5]?[4-9]|[1-5]0|1[1-3])(th)?))\b/,
  time: /^((([0]?[1-9]|1[0-2]):[0-5]\d(\s)?(am|pm))|(([0]?\d|1\d|2[0-3]):[0-5]\d))\b/,
  dayName: /^((sun|mon|tue(s)?|wed(nes)?|thu(r(s)?)?|fri|sat(ur)?)(day)?)\b/,
  monthName: /^(jan(uary)?|feb(ruary)?|ma((r(ch)?)?|y)|apr(il)?|ju(ly|ne)|aug(ust)?|oct(ober)?|(sept|nov|dec)(ember)?)\b/,
  yearIndex: /^(\d\d\d\d)\b/,
  every: /^every\b/,
  after: /^after\b/,
  before: /^before\b/,
  second: /^(s|sec(ond)?(s)?)\b/,
  minute: /^(m|min(ute)?(s)?)\b/,
  hour: /^(h|hour(s)?)\b/,
  day: /^(day(s)?( of the month)?)\b/,
  dayInstance: /^day instance\b/,
  dayOfWeek: /^day(s)? of the week\b/,
  dayOfYear: /^day(s)? of the year\b/,
  weekOfYear: /^week(s)?( of the year)?\b/,
  weekOfMonth: /^week(s)? of the month\b/,
  weekday: /^weekday\b/,
  weekend: /^weekend\b/,
  month: /^month(s)?\b/,
  year: /^year(s)?\b/,
  between: /^between (the)?\b/,
  start: /^(start(ing)? (at|on( the)?)?)\b/,
  at: /^(at|@)\b/,
  and: /^(,|and\b)/,
  except: /^(except\b)/,
  // These two are not anchored in later; a match must still start at the current position.
  also: /(also)\b/,
  first: /^(first)\b/,
  last: /^last\b/,
  in: /^in\b/,
  of: /^of\b/,
  onthe: /^on the\b/,
  on: /^on\b/,
  through: /(-|^(to|through)\b)/,
} as const;

const WHITESPACE = /\s+/;
const PERIODS = [TOK.second, TOK.minute, TOK.hour, TOK.dayOfYear, TOK.dayOfWeek, TOK.dayInstance, TOK.day, TOK.month, TOK.year, TOK.weekOfMonth, TOK.weekOfYear];
const STATEMENTS = [TOK.every, TOK.after, TOK.before, TOK.onthe, TOK.on, TOK.of, TOK.in, TOK.at, TOK.and, TOK.except, TOK.also];

interface Token {
  type: RegExp | undefined;
  end: number;
}

/** Thrown where later itself throws (a "starting on" after an unreadable period: it scans for an undefined token). */
class LaterThrows extends Error {}

class TextReader {
  pos = 0;
  error = -1;

  constructor(private readonly input: string) {}

  peek(types: readonly (RegExp | undefined)[]): Token {
    let start = this.pos;
    for (;;) {
      const rest = this.input.slice(start);
      let best: Token = { type: undefined, end: start };
      let len = -1;
      for (const re of [...types, WHITESPACE]) {
        if (!re) throw new LaterThrows();
        const m = re.exec(rest);
        if (m && m.index === 0 && m[0].length > len) {
          len = m[0].length;
          best = { type: re, end: start + len };
        }
      }
      if (best.type !== WHITESPACE) return best;
      start = best.end;
    }
  }

  /** later's parseToken: consumes the token, or records an error where reading stopped. */
  take(types: readonly (RegExp | undefined)[]): Token {
    const t = this.peek(types);
    this.pos = t.end;
    if (!t.type) this.error = this.pos;
    return t;
  }

  accept(type: RegExp): boolean {
    if (this.peek([type]).type !== type) return false;
    this.pos = this.peek([type]).end;
    return true;
  }

  ranges(type: RegExp): void {
    do {
      this.take([type]);
      if (this.accept(TOK.through)) this.take([type]);
    } while (this.accept(TOK.and));
  }

  period(): Token {
    return this.take(PERIODS);
  }

  every(): void {
    if (this.accept(TOK.weekend) || this.accept(TOK.weekday)) return;
    this.take([TOK.rank]);
    const period = this.period();
    if (this.accept(TOK.start)) {
      this.take([TOK.rank]);
      this.take([period.type]);
    } else if (this.accept(TOK.between)) {
      this.take([TOK.rank]);
      if (this.accept(TOK.and)) this.take([TOK.rank]);
    }
  }

  read(): void {
    while (this.pos < this.input.length && this.error < 0) {
      const t = this.take(STATEMENTS);
      switch (t.type) {
        case TOK.every:
          this.every();
          break;
        case TOK.after:
        case TOK.before:
          if (this.peek([TOK.time]).type !== undefined) this.take([TOK.time]);
          else {
            this.take([TOK.rank]);
            this.period();
          }
          break;
        case TOK.onthe:
          if (!this.accept(TOK.first) && !this.accept(TOK.last)) this.ranges(TOK.rank);
          this.period();
          break;
        case TOK.on:
          this.ranges(TOK.dayName);
          break;
        case TOK.of:
          this.ranges(TOK.monthName);
          break;
        case TOK.in:
          this.ranges(TOK.yearIndex);
          break;
        case TOK.at:
          do this.take([TOK.time]);
          while (this.accept(TOK.and));
          break;
        case TOK.and:
        case TOK.also:
        case TOK.except:
          break;
        default:
          this.error = this.pos;
      }
    }
  }
}

/**
 * Where later stops reading a text expression (an offset into it), or undefined when it reads all of it. Trailing
 * whitespace is left out: later reports an error there too, but has already read the whole schedule.
 */
export function laterTextStop(text: string): number | undefined {
  const input = text.toLowerCase().replace(/\s+$/, '');
  if (input.trim() === '') return 0;
  const reader = new TextReader(input);
  try {
    reader.read();
  } catch (err) {
    if (err instanceof LaterThrows) return reader.pos;
    throw err;
  }
  return reader.error < 0 ? undefined : Math.min(reader.error, input.length);
}

/** later's cron names: 3-letter months and weekdays, upper-cased. */
const CRON_NAMES = new Set(['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC', 'SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);
const CRON_SHORTHANDS = new Set(['@YEARLY', '@ANNUALLY', '@MONTHLY', '@WEEKLY', '@DAILY', '@HOURLY']);
const CRON_FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'];
/** The largest value of each field; later clamps larger numbers to it (getValue's Math.min). */
const CRON_MAX = [59, 23, 31, 12, 7];

/** A value later reads as itself: a number or a name. */
const cronValue = (v: string): boolean => /^\d+$/.test(v) || CRON_NAMES.has(v);

/** One item of a cron field as later reads it: x, x-y, x-y/z, a star with a step, and the Quartz forms L, xL, xW, x#y. */
function cronItemReadable(item: string): boolean {
  if (item === 'L' || cronValue(item)) return true;
  if (/^(\d+|[A-Z]{3})[WL]$/.test(item) && cronValue(item.slice(0, -1))) return true;
  if (/^[^#]+#\d+$/.test(item)) return cronValue(item.split('#')[0] as string);
  const [range, step, ...more] = item.split('/');
  if (more.length || (step !== undefined && !/^\d+$/.test(step))) return false;
  if (range === '*' || range === '0') return true;
  const [from, to, ...extra] = (range ?? '').split('-');
  return extra.length === 0 && cronValue(from ?? '') && (to === undefined || cronValue(to));
}

/**
 * What later 1.2.0 reads differently from standard cron in a reminder's `cron` (5 fields, no seconds): more than
 * five fields (later takes the sixth as the year), items it does not recognise (read as every value), and
 * weekday 7 (Saturday for later; Sunday in standard cron).
 */
export function laterCronProblems(cron: string): string[] {
  const expr = cron.toUpperCase().trim();
  if (CRON_SHORTHANDS.has(expr)) return [];
  const fields = expr.split(/\s+/);
  const out: string[] = [];
  if (fields.length > 5) out.push(`it has ${fields.length} fields: later reads a reminder's cron as minute hour day month weekday, and a sixth field as the year`);
  fields.slice(0, 5).forEach((field, i) => {
    if (field === '*' || field === '?') return;
    for (const item of field.split(',')) {
      if (!cronItemReadable(item)) out.push(`later does not recognise '${item}' in the ${CRON_FIELDS[i]} field and reads it as every value`);
      else if (i === 4 && /^7$|^7-|-7$/.test(item.split('/')[0] as string)) out.push(`weekday 7 is Saturday for later (Sunday is 0)`);
      else {
        const max = CRON_MAX[i] as number;
        const big = (item.split('/')[0]?.split('#')[0] ?? '').split('-').map((v) => v.replace(/[WL]$/, '')).find((v) => /^\d+$/.test(v) && Number(v) > max);
        if (big !== undefined) out.push(`${big} is beyond the ${CRON_FIELDS[i]} field's ${max}: later reads it as ${max}`);
      }
    }
  });
  return out;
}
