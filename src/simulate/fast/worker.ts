/**
 * A worker thread's share of a parallel timeline (parallel.ts): the simulation rebuilt from the same config
 * and fixtures (loaded again from the same texts), traced over the same days for the containers this thread claims, records made
 * portable. Each block of days is sent as soon as it is done, then how the share ended.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadExtensionLibs } from '../engine/cht-api.js';
import { withSimulatedClock } from '../engine/clock.js';
import { loadFixtures } from '../engine/fixtures.js';
import { collectingSink, consoleSubject, withUserConsole } from '../../user-console.js';
import type { ContainerSpec } from '../engine/containers.js';
import { describeEvaluation, prepareSimulation } from '../engine/simulation.js';
import { claimer, type ShareEnd, type ShareInput, type ShareMessage } from './parallel.js';
import { tracedShare } from './share.js';

const post = (message: ShareMessage) => parentPort!.postMessage(message);

async function share(input: ShareInput): Promise<ShareEnd> {
  // A worker's console writes to the main thread's stdout: the rules' lines are captured here and sent back
  // with each block and the end of the share instead, so they reach the same place as on one thread (never
  // stdout), also when the run stops part-way.
  const sink = collectingSink(input.consoleLines);
  const end = await withUserConsole(sink, () => withSimulatedClock(input.tz, input.days[0]!.timestamp, (clock) => {
    const config = { ...input.config, extensionLibs: loadExtensionLibs(input.config.extensionLibsDir) };
    const given = input.fixtures;
    const sim = 'texts' in given
      ? prepareSimulation(config, loadFixtures(given.files, given.texts), input.options)
      : prepareSimulation(config, given.loaded, input.options, given.containers);
    consoleSubject.describe = (spec) => describeEvaluation(spec as ContainerSpec, clock.now());
    const blocks = tracedShare(sim, clock, input.days, claimer(input.part, input.claims), true);
    for (;;) {
      const step = blocks.next();
      if (step.done) return step.value;
      const console = sink.take();
      post(console ? { ...step.value, console } : step.value);
    }
  }));
  const console = sink.take();
  return console ? { ...end, console } : end;
}

share(workerData as ShareInput).then(
  (end) => post(end),
  (err: unknown) => post({ kind: 'end', ok: false, reason: err instanceof Error ? err.message : String(err) }),
);
