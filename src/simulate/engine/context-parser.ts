/**
 * A parser for Angular (17) binding expressions, the language of target `context` expressions: the AST the
 * webapp's ParseProvider compiles (context-expression.ts). Errors are thrown as ContextExpressionError.
 */

export type Node =
  | { k: 'implicit' }
  | { k: 'lit'; value: string | number | boolean | null | undefined }
  | { k: 'array'; items: Node[] }
  | { k: 'map'; keys: { key: string; quoted: boolean }[]; values: Node[] }
  | { k: 'prop'; receiver: Node; name: string; safe: boolean }
  | { k: 'keyed'; receiver: Node; key: Node; safe: boolean }
  | { k: 'call'; receiver: Node; args: Node[]; safe: boolean }
  | { k: 'not'; expr: Node }
  | { k: 'unary'; op: '-' | '+'; expr: Node }
  | { k: 'binary'; op: string; left: Node; right: Node }
  | { k: 'cond'; cond: Node; yes: Node; no: Node }
  | { k: 'pipe'; exp: Node; name: string; args: Node[] }
  | { k: 'nonNull'; expr: Node };

type Token =
  | { t: 'char'; v: string; i: number }
  | { t: 'id'; v: string; i: number }
  | { t: 'kw'; v: string; i: number }
  | { t: 'str'; v: string; i: number }
  | { t: 'op'; v: string; i: number }
  | { t: 'num'; v: number; i: number };

const KEYWORDS = new Set(['var', 'let', 'as', 'null', 'undefined', 'true', 'false', 'if', 'else', 'this']);

export class ContextExpressionError extends Error {}

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (j: number) => text[j] ?? '';
  while (i < text.length) {
    const ch = at(i);
    if (ch <= ' ') {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_$]/.test(ch)) {
      while (/[\w$]/.test(at(i))) i++;
      const word = text.slice(start, i);
      tokens.push(KEYWORDS.has(word) ? { t: 'kw', v: word, i: start } : { t: 'id', v: word, i: start });
    } else if (/\d/.test(ch) || (ch === '.' && /\d/.test(at(i + 1)))) {
      while (/[\d.]/.test(at(i)) || (/[eE]/.test(at(i)) && /[\d+-]/.test(at(i + 1)))) {
        if (/[eE]/.test(at(i))) i++;
        i++;
      }
      const value = Number(text.slice(start, i));
      if (Number.isNaN(value)) throw new ContextExpressionError(`Invalid number at column ${start + 1}`);
      tokens.push({ t: 'num', v: value, i: start });
    } else if (ch === '"' || ch === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new ContextExpressionError(`Unterminated quote at column ${start + 1}`);
        const c = at(i);
        if (c === ch) {
          i++;
          break;
        }
        if (c === '\\') {
          const e = at(i + 1);
          if (e === 'u') {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            value += ({ n: '\n', f: '\f', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[e] ?? e;
            i += 2;
          }
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ t: 'str', v: value, i: start });
    } else if ('()[]{},:;.'.includes(ch)) {
      if (ch === '.' && at(i + 1) === '.') throw new ContextExpressionError(`Unexpected character [.] at column ${start + 1}`);
      tokens.push({ t: 'char', v: ch, i: start });
      i++;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const op = ['===', '!=='].includes(three)
        ? three
        : ['==', '!=', '<=', '>=', '&&', '||', '??', '?.'].includes(two)
          ? two
          : '+-*/%^?<>!=&|'.includes(ch)
            ? ch
            : undefined;
      if (!op) throw new ContextExpressionError(`Unexpected character [${ch}] at column ${start + 1}`);
      tokens.push({ t: 'op', v: op, i: start });
      i += op.length;
    }
  }
  return tokens;
}

export class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private next(): Token | undefined {
    return this.tokens[this.index];
  }

  private isChar(c: string): boolean {
    const n = this.next();
    return n?.t === 'char' && n.v === c;
  }

  private optChar(c: string): boolean {
    if (!this.isChar(c)) return false;
    this.index++;
    return true;
  }

  private optOp(op: string): boolean {
    const n = this.next();
    if (n?.t === 'op' && n.v === op) {
      this.index++;
      return true;
    }
    return false;
  }

  private expectChar(c: string): void {
    if (!this.optChar(c)) this.fail(`Missing expected ${c}`);
  }

  private fail(message: string): never {
    const n = this.next();
    throw new ContextExpressionError(n ? `${message} at column ${n.i + 1}` : `${message} at the end of the expression`);
  }

  parseBinding(): Node {
    const expr = this.parsePipe();
    if (this.isChar(';')) this.fail('Binding expression cannot contain chained expression');
    if (this.index < this.tokens.length) this.fail(`Unexpected token '${String(this.next()!.v)}'`);
    return expr;
  }

  private parsePipe(): Node {
    let result = this.parseConditional();
    while (this.optOp('|')) {
      const name = this.identifierOrKeyword();
      const args: Node[] = [];
      while (this.optChar(':')) args.push(this.parseConditional());
      result = { k: 'pipe', exp: result, name, args };
    }
    return result;
  }

  private parseConditional(): Node {
    const cond = this.binaryLevel(0);
    if (!this.optOp('?')) return cond;
    const yes = this.parsePipe();
    if (!this.optChar(':')) this.fail('Conditional expression requires all 3 expressions');
    const no = this.parsePipe();
    return { k: 'cond', cond, yes, no };
  }

  private static readonly LEVELS: string[][] = [
    ['||'], ['&&'], ['??'], ['==', '===', '!=', '!=='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '%', '/'],
  ];

  private binaryLevel(level: number): Node {
    if (level === Parser.LEVELS.length) return this.parsePrefix();
    let left = this.binaryLevel(level + 1);
    for (;;) {
      const n = this.next();
      if (n?.t === 'op' && Parser.LEVELS[level]!.includes(n.v)) {
        this.index++;
        left = { k: 'binary', op: n.v, left, right: this.binaryLevel(level + 1) };
      } else return left;
    }
  }

  private parsePrefix(): Node {
    if (this.optOp('+')) return { k: 'unary', op: '+', expr: this.parsePrefix() };
    if (this.optOp('-')) return { k: 'unary', op: '-', expr: this.parsePrefix() };
    if (this.optOp('!')) return { k: 'not', expr: this.parsePrefix() };
    return this.parseCallChain();
  }

  private parseCallChain(): Node {
    let result = this.parsePrimary();
    for (;;) {
      if (this.optChar('.')) result = this.member(result, false);
      else if (this.optOp('?.')) {
        if (this.optChar('(')) result = this.call(result, true);
        else if (this.optChar('[')) result = this.keyed(result, true);
        else result = this.member(result, true);
      } else if (this.optChar('[')) result = this.keyed(result, false);
      else if (this.optChar('(')) result = this.call(result, false);
      else if (this.optOp('!')) result = { k: 'nonNull', expr: result };
      else return result;
    }
  }

  private member(receiver: Node, safe: boolean): Node {
    const name = this.identifierOrKeyword();
    if (this.isAssignment()) this.fail('Bindings cannot contain assignments');
    return { k: 'prop', receiver, name, safe };
  }

  private keyed(receiver: Node, safe: boolean): Node {
    const key = this.parsePipe();
    this.expectChar(']');
    if (this.isAssignment()) this.fail('Bindings cannot contain assignments');
    return { k: 'keyed', receiver, key, safe };
  }

  private call(receiver: Node, safe: boolean): Node {
    const args: Node[] = [];
    if (!this.isChar(')')) {
      do args.push(this.parsePipe());
      while (this.optChar(','));
    }
    this.expectChar(')');
    return { k: 'call', receiver, args, safe };
  }

  private isAssignment(): boolean {
    const n = this.next();
    return n?.t === 'op' && n.v === '=';
  }

  private identifierOrKeyword(): string {
    const n = this.next();
    if (n?.t === 'id' || n?.t === 'kw') {
      this.index++;
      return n.v;
    }
    return this.fail('Expected identifier');
  }

  private parsePrimary(): Node {
    const n = this.next();
    if (!n) return this.fail('Unexpected end of expression');
    if (this.optChar('(')) {
      const inner = this.parsePipe();
      this.expectChar(')');
      return inner;
    }
    if (n.t === 'kw') {
      this.index++;
      switch (n.v) {
        case 'null': return { k: 'lit', value: null };
        case 'undefined': return { k: 'lit', value: undefined };
        case 'true': return { k: 'lit', value: true };
        case 'false': return { k: 'lit', value: false };
        case 'this': return { k: 'implicit' };
        default:
          this.index--;
          return this.fail(`Unexpected token '${n.v}'`);
      }
    }
    if (this.optChar('[')) {
      const items: Node[] = [];
      if (!this.isChar(']')) {
        do items.push(this.parsePipe());
        while (this.optChar(','));
      }
      this.expectChar(']');
      return { k: 'array', items };
    }
    if (this.optChar('{')) return this.literalMap();
    if (n.t === 'id') {
      return this.member({ k: 'implicit' }, false);
    }
    if (n.t === 'num' || n.t === 'str') {
      this.index++;
      return { k: 'lit', value: n.v };
    }
    return this.fail(`Unexpected token '${String(n.v)}'`);
  }

  private literalMap(): Node {
    const keys: { key: string; quoted: boolean }[] = [];
    const values: Node[] = [];
    if (!this.optChar('}')) {
      do {
        const n = this.next();
        const quoted = n?.t === 'str';
        let key: string;
        if (quoted) {
          this.index++;
          key = n.v;
        } else key = this.identifierOrKeyword();
        keys.push({ key, quoted });
        if (quoted) {
          this.expectChar(':');
          values.push(this.parsePipe());
        } else if (this.optChar(':')) values.push(this.parsePipe());
        else values.push({ k: 'prop', receiver: { k: 'implicit' }, name: key, safe: false });
      } while (this.optChar(','));
      this.expectChar('}');
    }
    return { k: 'map', keys, values };
  }
}

