/* eslint-disable @typescript-eslint/no-explicit-any -- rules code and its emissions are user-shaped */
import { createRequire } from 'node:module';
import { consoleSubject } from '../../user-console.js';
import { createChtApi } from './cht-api.js';
import type { SimulatedClock } from './clock.js';
import { compileRules, type RulesConfig, type RulesFunction, type TargetItem } from './config.js';
import { buildContainers, freshContainer, type ContainerSpec } from './containers.js';
import { hydrateContact, type Doc, type Fixtures } from './fixtures.js';
import { formatDay } from './moment-compat.js';
import { visibleTargets } from './targets.js';

/** Everything fixed for a dry run: compiled rules, containers, the user, and the globals the rules see. */
export interface Simulation {
  config: RulesConfig;
  fixtures: Fixtures;
  /** All docs' containers (the fixtures as one database snapshot). */
  containers: ContainerSpec[];
  /** Docs appear on their reported_date (--as-reported) instead of all being there from the start. */
  asReported: boolean;
  /** The containers the rules see at `now`. */
  containersAt(now: number): ContainerSpec[];
  docsById: Map<string, Doc>;
  rules: RulesFunction;
  /** The user's hydrated contact (null without one); each day gets its own copy. */
  user: any;
  roles: string[];
  utils: any;
  cht: any;
  /** Target items left after the `context` filter, in settings order. */
  targets: TargetItem[];
  /** Target items the `context` filter hid from this user. */
  hiddenTargets: TargetItem[];
}

export interface SimulationOptions {
  /** --roles; else the fixtures' userRoles; else none. */
  roles?: string[];
  /** Only docs whose reported_date has come are in the database on each day. */
  asReported?: boolean;
}

/**
 * With --as-reported, the database on a day holds the docs reported by then (docs without a numeric
 * reported_date are always there). The containers change only on days a doc appears, so they are rebuilt only then.
 */
function containersByDay(docs: readonly Doc[], asReported: boolean, all: ContainerSpec[]): (now: number) => ContainerSpec[] {
  if (!asReported) return () => all;
  const dated = docs.filter((d) => typeof d.reported_date === 'number').sort((a, b) => a.reported_date - b.reported_date);
  const undated = docs.filter((d) => typeof d.reported_date !== 'number');
  let cachedCount = -1;
  let cached: ContainerSpec[] = [];
  return (now) => {
    let count = 0;
    while (count < dated.length && dated[count]!.reported_date <= now) count++;
    if (count !== cachedCount) {
      const visible = new Set([...undated, ...dated.slice(0, count)]);
      cached = buildContainers(docs.filter((d) => visible.has(d)));
      cachedCount = count;
    }
    return cached;
  };
}

// Containers are a pure function of the docs, and evaluations only read them: a process that queries the same
// fixtures many times (a test suite, a benchmark) builds them once.
const builtContainers = new WeakMap<readonly Doc[], ContainerSpec[]>();

function containersOf(docs: readonly Doc[]): ContainerSpec[] {
  let containers = builtContainers.get(docs);
  if (!containers) builtContainers.set(docs, (containers = buildContainers(docs)));
  return containers;
}

/**
 * `built`: the containers of `fixtures.docs` as another thread built them (a worker of a parallel timeline is
 * sent them rather than building its own: they are a pure function of the docs, and building them is a
 * noticeable share of a worker's start on a large population).
 */
export function prepareSimulation(config: RulesConfig, fixtures: Fixtures, options: SimulationOptions = {}, built?: ContainerSpec[]): Simulation {
  if (built) builtContainers.set(fixtures.docs, built);
  const docsById = new Map(fixtures.docs.map((d) => [d._id, d]));
  const user = hydrateContact(fixtures.userId, docsById, fixtures.inlineUser);
  const roles = options.roles ?? fixtures.roles ?? [];
  const utils = createRequire(import.meta.url)('cht-nootils')({ tasks: { schedules: config.schedules } });
  const cht = createChtApi({ roles, permissions: config.permissions, extensionLibs: config.extensionLibs });
  const targets = visibleTargets(config.targets, user);
  const containers = containersOf(fixtures.docs);
  const asReported = options.asReported === true;
  return {
    config,
    fixtures,
    containers,
    asReported,
    containersAt: containersByDay(fixtures.docs, asReported, containers),
    docsById,
    rules: compileRules(config.rules),
    user,
    roles,
    utils,
    cht,
    targets,
    hiddenTargets: config.targets.filter((t) => !targets.includes(t)),
  };
}

/** The emissions of one container. */
export interface ContainerEmissions {
  tasks: any[];
  targets: any[];
  /** Whether the rules read the clock (Date.now, `new Date()`, Utils.now...) while evaluating it. */
  readClock: boolean;
}

/** An exception thrown by the rules while evaluating a container (cht-core drops the whole batch). */
export class RulesThrew extends Error {
  constructor(readonly thrown: unknown, readonly container: ContainerSpec) {
    super(thrown instanceof Error ? thrown.message : String(thrown));
  }
}

/** The `Task` and `Target` classes cht-core hands to the rules: their constructor copies the emission's fields. */
export class Task {
  constructor(x: object) {
    Object.assign(this, x);
  }
}

export class Target {
  constructor(x: object) {
    Object.assign(this, x);
  }
}

/** Runs the rules once for one container, on fresh copies of its docs, as cht-core's JavaScript emitter does. */
export function evaluateContainer(sim: Simulation, spec: ContainerSpec, clock: SimulatedClock, user: any): ContainerEmissions {
  const tasks: any[] = [];
  const targets: any[] = [];
  const emit = (type: string, instance: any) => {
    if (type === 'task') tasks.push(instance);
    else if (type === 'target') targets.push(instance);
  };
  const c = freshContainer(spec);
  const outer = consoleSubject.current;
  consoleSubject.current = spec;
  try {
    const { readClock } = clock.watch(() => sim.rules(c, Task, Target, sim.utils, user, sim.cht, emit));
    return { tasks, targets, readClock };
  } catch (err) {
    throw new RulesThrew(err, spec);
  } finally {
    consoleSubject.current = outer;
  }
}

/** A copy of the user for one day (rules may mutate `user`; a device would start each session afresh). */
export function userForDay(sim: Simulation): any {
  return sim.user === null ? null : structuredClone(sim.user);
}

/** What `console.*` lines the rules write are labelled with: the day and the container being evaluated. */
export function describeEvaluation(spec: ContainerSpec, now: number): string {
  const day = formatDay(now);
  if (spec.contactId === undefined) return `${day} reports without a contact`;
  if (spec.headless) return `${day} reports about ${spec.contactId} (no such contact)`;
  const name = (spec.contact as { name?: unknown } | undefined)?.name;
  return `${day} contact ${spec.contactId}${typeof name === 'string' && name ? ` (${name})` : ''}`;
}
