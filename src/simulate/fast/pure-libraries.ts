/**
 * Pure libraries, traced by their API instead of their internals (trace-library.ts). Instrumented like the
 * rules, a date library is the costliest code there is to trace: luxon recorded ~1,300 to 6,500 decisions per
 * evaluation (each DateTime's calendar fields computed through Date getters, zone offsets and loops whose small
 * numbers coincide with the clock's and get pinned), a traced evaluation cost 10–17 plain ones and held for one
 * day.
 *
 * Listed are libraries whose values never change once made and whose functions depend on nothing but their
 * inputs, the clock and the library's own settings: luxon (immutable DateTime, Duration and Interval; its zone
 * is the process's, fixed for a run). moment is not one (its values are changed in place by `add`, `startOf`...)
 * and stays instrumented.
 */
export const PURE_LIBRARIES = ['luxon'];

/** The pure library a bundled module's path belongs to (`…/node_modules/luxon/build/node/luxon.js` → luxon). */
export function pureLibraryOf(path: string): string | undefined {
  const match = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(path);
  const name = match ? match[1]!.replace('\\', '/') : undefined;
  return name !== undefined && PURE_LIBRARIES.includes(name) ? name : undefined;
}
