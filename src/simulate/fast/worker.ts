/**
 * A worker thread's share of a parallel timeline (timeline-parallel.ts): the simulation rebuilt from the
 * same config and fixtures, traced over the same days for every parts-th container, records made portable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadExtensionLibs } from '../engine/cht-api.js';
import { withSimulatedClock } from '../engine/clock.js';
import { prepareSimulation } from '../engine/simulation.js';
import { shareOf, type ShareInput, type ShareOutput } from './parallel.js';
import { tracedShare } from './share.js';

async function share(input: ShareInput): Promise<ShareOutput> {
  return withSimulatedClock(input.tz, input.days[0]!.timestamp, (clock) => {
    const config = { ...input.config, extensionLibs: loadExtensionLibs(input.config.extensionLibsDir) };
    const sim = prepareSimulation(config, input.fixtures, input.options);
    return tracedShare(sim, clock, input.days, shareOf(input.part, input.parts), true);
  });
}

share(workerData as ShareInput).then(
  (out) => parentPort!.postMessage(out),
  (err: unknown) => parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) } satisfies ShareOutput),
);
