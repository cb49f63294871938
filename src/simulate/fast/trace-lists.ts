/**
 * Array tests for the tracing internals. While tracing runs, Array.prototype's some/every/filter/slice are
 * wrapped (trace-natives.ts) and would record the internals' own decisions, slowly: these loops never call them.
 */
export function anyOf<T>(list: readonly T[], test: (x: T, i: number) => boolean, from = 0): boolean {
  for (let i = from; i < list.length; i++) if (test(list[i]!, i)) return true;
  return false;
}

export function allOf<T>(list: readonly T[], test: (x: T, i: number) => boolean, from = 0): boolean {
  for (let i = from; i < list.length; i++) if (!test(list[i]!, i)) return false;
  return true;
}

export function keep<T>(list: readonly T[], test: (x: T) => boolean): T[] {
  const out: T[] = [];
  for (const x of list) if (test(x)) out.push(x);
  return out;
}
