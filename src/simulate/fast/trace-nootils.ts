/* eslint-disable @typescript-eslint/no-explicit-any -- cht-nootils is untyped */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HELPERS, instrument } from './trace-transform.js';
import { ORDER_KEEPING } from './trace-direction.js';
import { activeTrace, HELPER_FUNCTIONS, swapTrace } from './tracer.js';

/**
 * cht-nootils, instrumented like the rules (its comparisons decide `isFormSubmittedInWindow`...). `addDate`
 * is traced as one operation (a pure function of its date and day count), not through the Date methods it
 * calls, whose intermediate day-of-month values would be pinned.
 */
export function tracedNootils(settings: unknown): any {
  const require = createRequire(import.meta.url);
  const file = require.resolve('cht-nootils');
  const code = instrument(readFileSync(file, 'utf8'));
  const module = { exports: {} as any };
  const localRequire = createRequire(file);
  new Function('require', 'module', 'exports', ...HELPERS, code)(
    localRequire, module, module.exports, ...HELPER_FUNCTIONS,
  );
  const utils = module.exports(settings);
  const plainAddDate = require('cht-nootils')(settings).addDate as (date: unknown, days: unknown) => Date;
  // Midnight of the date, moved by a number of days: a later date never gives an earlier result.
  ORDER_KEEPING.add(plainAddDate);
  const tracedAddDate = utils.addDate as (date: unknown, days: unknown) => Date;
  utils.addDate = function addDate(date: unknown, days: unknown): Date {
    const t = activeTrace();
    if (!t || !date) return tracedAddDate(date, days);
    const dateSyms = t.symsOf(date);
    const daySyms = t.symsOf(days);
    swapTrace(undefined);
    let result: Date;
    try {
      result = plainAddDate(date, days);
    } finally {
      swapTrace(t);
    }
    if (dateSyms || daySyms) {
      // (A date the clock did not make is its time value: combos' SymTable.snapshot.)
      t.registerDate(result, t.combos([date, days], [dateSyms, daySyms]).map((c) => t.table.call(plainAddDate, undefined, c)));
    }
    return result;
  };
  return utils;
}
