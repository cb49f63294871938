import { describe, expect, it } from 'vitest';
import { ndjsonLine, StreamedJson } from '../../src/report/json-stream.js';

/** Writes `doc` with the array at `key` (under `path`) streamed element by element. */
function streamed(doc: Record<string, unknown>, path: string[], key: string): string {
  const skeleton = structuredClone(doc);
  let holder = skeleton as Record<string, unknown>;
  let source = doc as Record<string, unknown>;
  for (const p of path) {
    holder = holder[p] as Record<string, unknown>;
    source = source[p] as Record<string, unknown>;
  }
  holder[key] = StreamedJson.HERE;
  const json = new StreamedJson(skeleton);
  let text = json.open();
  for (const element of source[key] as unknown[]) text += json.element(element);
  return text + json.close();
}

describe('StreamedJson', () => {
  const cases: [string, Record<string, unknown>, string[], string][] = [
    ['an empty array', { tz: 'Africa/Nairobi', from: '2024-01-01', days: [] }, [], 'days'],
    ['one element', { days: [{ date: '2024-01-01', tasks: [] }] }, [], 'days'],
    ['many nested elements', { tz: 'x', days: Array.from({ length: 5 }, (_, i) => ({ date: `d${i}`, tasks: [{ a: [1, { b: null }], s: 'line\nbreak "quoted" é 😀' }] })) }, [], 'days'],
    ['keys after the array', { query: 'q', candidates: [{ id: 1 }, { id: 2 }], notes: ['n'] }, [], 'candidates'],
    ['an array deep inside', { tz: 'x', explain: { query: 'q', candidates: [[], {}, 'text', 3, true, null], notes: [] } }, ['explain'], 'candidates'],
    ['elements that are empty containers and scalars', { days: [[], {}, 0, '', false] }, [], 'days'],
  ];
  for (const [name, doc, path, key] of cases) {
    it(`is byte for byte JSON.stringify(doc, null, 2): ${name}`, () => {
      expect(streamed(doc, path, key)).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    });
  }

  it('an element that JSON cannot represent is null, as in an array', () => {
    const json = new StreamedJson({ days: StreamedJson.HERE });
    expect(json.open() + json.element(undefined) + json.close()).toBe(`${JSON.stringify({ days: [undefined] }, null, 2)}\n`);
  });

  it('needs the placeholder exactly once', () => {
    expect(() => new StreamedJson({ days: [] })).toThrow(/HERE once/);
    expect(() => new StreamedJson({ a: StreamedJson.HERE, b: StreamedJson.HERE })).toThrow(/HERE once/);
  });
});

describe('ndjsonLine', () => {
  it('is one line of compact JSON, whatever the strings hold', () => {
    const line = ndjsonLine({ text: 'a\nb', n: [1, 2] });
    expect(line).toBe('{"text":"a\\nb","n":[1,2]}\n');
    expect(line.trimEnd().includes('\n')).toBe(false);
  });
});
