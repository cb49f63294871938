/* eslint-disable @typescript-eslint/no-explicit-any -- target emissions are user-shaped */
import type { SimulatedClock } from './clock.js';
import type { Interval } from './calendar-interval.js';
import { evaluateContainer, userForDay, type Simulation } from './simulation.js';
import { momentValue } from './moment-compat.js';
import { aggregateTargets, type TargetExplanation, type TargetResult } from './targets.js';

export interface TargetsAt {
  targets: TargetResult[];
  explanation?: TargetExplanation & { contactNames: Record<string, string> };
}

/**
 * Targets as the app shows them at `now` for `interval`: every container is evaluated (a full refresh) and
 * the target emissions aggregated. With `explainId`, each emitted instance of that target is traced.
 */
export function targetsAt(sim: Simulation, clock: SimulatedClock, now: number, interval: Interval, explainId?: string): TargetsAt {
  clock.set(now);
  const user = userForDay(sim);
  const emissions: any[] = [];
  for (const spec of sim.containersAt(now)) emissions.push(...evaluateContainer(sim, spec, clock, user).targets);
  const { targets, explanation } = aggregateTargets(sim.targets, emissions, interval, now, explainId);
  if (!explanation) return { targets };
  const contactNames: Record<string, string> = {};
  for (const instance of explanation.instances) {
    instance.dateText = dateText(instance.date, now);
    const id = instance.requestor;
    const doc = id === undefined ? undefined : sim.docsById.get(id);
    if (id !== undefined && doc && doc.name !== undefined) contactNames[id] = String(doc.name);
  }
  const hidden = sim.hiddenTargets.find((t) => String(t.id) === explainId);
  return {
    targets,
    explanation: { ...explanation, ...(hidden ? { target: hidden, visible: false } : {}), contactNames },
  };
}

function dateText(date: unknown, now: number): string {
  if (date === undefined) return 'now (undefined)';
  const ms = momentValue(date, now);
  if (Number.isNaN(ms)) return `invalid (${JSON.stringify(date) ?? String(date)})`;
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
