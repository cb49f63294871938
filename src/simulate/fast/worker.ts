/**
 * A worker thread's share of a parallel timeline (parallel.ts): the simulation rebuilt from the same config,
 * fixtures and containers, traced over the same days for the containers this thread claims, records made portable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadExtensionLibs } from '../engine/cht-api.js';
import { withSimulatedClock } from '../engine/clock.js';
import { collectingSink, consoleSubject, withUserConsole } from '../../user-console.js';
import type { ContainerSpec } from '../engine/containers.js';
import { describeEvaluation, prepareSimulation } from '../engine/simulation.js';
import { claimer, type ShareInput, type ShareOutput } from './parallel.js';
import { tracedShare } from './share.js';

async function share(input: ShareInput): Promise<ShareOutput> {
  // A worker's console writes to the main thread's stdout: the rules' lines are captured here and sent back
  // with the result instead, so they reach the same place as on one thread (never stdout).
  const sink = collectingSink(input.consoleLines);
  const out = await withUserConsole(sink, () => withSimulatedClock(input.tz, input.days[0]!.timestamp, (clock) => {
    const config = { ...input.config, extensionLibs: loadExtensionLibs(input.config.extensionLibsDir) };
    const sim = prepareSimulation(config, input.fixtures, input.options, input.containers);
    consoleSubject.describe = (spec) => describeEvaluation(spec as ContainerSpec, clock.now());
    return tracedShare(sim, clock, input.days, claimer(input.part, input.claims), true);
  }));
  return sink.lines.length || sink.droppedCount ? { ...out, console: { lines: sink.lines, dropped: sink.droppedCount } } : out;
}

share(workerData as ShareInput).then(
  (out) => parentPort!.postMessage(out),
  (err: unknown) => parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) } satisfies ShareOutput),
);
