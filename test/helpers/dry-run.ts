import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { population } from '../../bench/lib/population.js';
import { fixture, tempCopy, tempDir } from './cli.js';

/**
 * A generated population (bench/lib/population.js) for fixtures/example-app, written to a temp file (removed
 * by cleanupTemps).
 */
export function populationFile(contacts: number, seed: number): string {
  const dir = tempDir();
  const file = path.join(dir, 'population.json');
  writeFileSync(file, JSON.stringify(population({ contacts, start: Date.UTC(2024, 0, 1), seed })));
  return file;
}

/** A temp copy of fixtures/example-app with one more task definition (its source) at the end of tasks.js. */
export function exampleAppWithTask(task: string): string {
  const dir = tempCopy(fixture('example-app'));
  appendFileSync(path.join(dir, 'tasks.js'), `\nmodule.exports.push(${task});\n`);
  return dir;
}

/**
 * The example app with a task whose appliesIf counts visits on `user` (from `since`, a `new Date(...)` in the
 * rules' source, on): each container's answer then depends on the ones evaluated before it that day, which
 * only the naive timeline reproduces. Shown to every `every`-th person of a day.
 */
export function exampleAppCountingOnUser(every: number, since?: string): string {
  const when = since ? ` && Date.now() >= ${since}.getTime()` : '';
  return exampleAppWithTask(`{
  name: 'counts-visits-on-user', icon: 'icon-person', title: 'task.visit',
  appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function () {
    if (user${when}) user.visits = (user.visits || 0) + 1;
    return !!user && user.visits % ${every} === 0;
  },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'visit', days: 0, start: 0, end: 3 }],
}`);
}
