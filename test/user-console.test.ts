import { describe, expect, it } from 'vitest';
import { collectingSink } from '../src/user-console.js';

const line = (text: string) => ({ text, stream: 'out' as const });

describe('a worker thread\'s console capture (collectingSink)', () => {
  it('hands over the lines since the last take, keeping the first `keep` of the whole run and counting the rest', () => {
    const sink = collectingSink(3);
    expect(sink.take()).toBeUndefined();
    sink.line(line('a'));
    sink.line(line('b'));
    expect(sink.take()).toEqual({ lines: [line('a'), line('b')], dropped: 0 });
    expect(sink.take()).toBeUndefined();
    sink.line(line('c'));
    sink.line(line('d'));
    sink.dropped(5);
    // 'c' is the third line kept in the run; 'd' and the 5 counted elsewhere are dropped.
    expect(sink.take()).toEqual({ lines: [line('c')], dropped: 6 });
    sink.line(line('e'));
    expect(sink.take()).toEqual({ lines: [], dropped: 1 });
  });
});
