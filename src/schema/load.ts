import { loadConfigModules, type ConfigModules } from '../bundle/load-config.js';
import { isChtkitError } from '../errors.js';
import { locationPlugin } from './instrument.js';
import { LocationRecorder } from './js-locations.js';

let loads = 0;

export interface PositionedConfig {
  tasks?: unknown;
  targets?: unknown;
  /** Where the objects of `tasks` and `targets` were written. */
  locations: LocationRecorder;
}

/**
 * Loads tasks.js and targets.js a second time, as compile does (same bundle options, same globals), with every
 * literal of the project's files recording its position. Validation does this only when it has problems to
 * point at: parsing the sources costs more than the whole check of a valid project. Returns undefined when
 * the positions could not be recorded (the problems are then shown at the definition's line, or the file).
 */
export async function loadWithPositions(projectDir: string, modules: ConfigModules, taskSchedules: unknown): Promise<PositionedConfig | undefined> {
  const recorder = new LocationRecorder();
  const runtime = `__chtkitPositions_${(++loads).toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const global = globalThis as Record<string, unknown>;
  global[runtime] = recorder.runtime();
  try {
    const loaded = await loadConfigModules(projectDir, modules, {
      taskSchedules,
      plugins: [locationPlugin(recorder, runtime, projectDir)],
    });
    return { tasks: loaded.tasks, targets: loaded.targets, locations: recorder };
  } catch (err) {
    if (!isChtkitError(err)) throw err;
    return undefined;
  } finally {
    delete global[runtime];
  }
}
