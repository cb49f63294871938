import { readFileSync } from 'node:fs';
import type { RulesSource } from '../project/project.js';
import { bundle, runtimeModule, specifier, type BundleOutput } from './esbuild.js';

export interface RulesBundle extends BundleOutput {
  isDeclarative: boolean;
}

/**
 * The entry of `tasks.rules`. cht-core runs the result as the body of
 * `new Function('c','Task','Target','Utils','user','cht','emit', rules)` once per contact container, so
 * `c`, `Task`, `Target`, `Utils` and `emit` are free variables here; targets run before tasks, as in cht-conf.
 */
export function rulesEntry(tasksFile: string, targetsFile: string): string {
  // require, not import: an ES import of a CommonJS module makes esbuild wrap its exports in a fresh
  // getter-per-key namespace object on every run, and the rules run once per contact on the phone.
  // An ES-module tasks.js (`export default [...]`) still works through its `default`.
  return [
    `import { emitTargets } from ${specifier(runtimeModule('target-emitter'))};`,
    `import { emitTasks } from ${specifier(runtimeModule('task-emitter'))};`,
    `var tasks = require(${specifier(tasksFile)});`,
    `var targets = require(${specifier(targetsFile)});`,
    'if (tasks && tasks.__esModule) tasks = tasks.default;',
    'if (targets && targets.__esModule) targets = targets.default;',
    'emitTargets(targets, c, Utils, Target, emit);',
    'emitTasks(tasks, c, Utils, Task, emit);',
    "emit('_complete', { _id: true });",
  ].join('\n');
}

export async function bundleRules(
  projectDir: string,
  rules: RulesSource,
  options: { minify: boolean; sourcemap?: boolean },
): Promise<RulesBundle> {
  if (rules.kind === 'legacy') {
    // rules.nools.js is nools DSL, not JavaScript: it is stored verbatim (cht-conf's line-joining "minifier"
    // breaks `//` inside strings, so it is not imitated).
    return { code: readFileSync(rules.file, 'utf8'), warnings: [], inputs: [rules.file], isDeclarative: false };
  }
  const out = await bundle({
    projectDir,
    entry: rulesEntry(rules.tasksFile, rules.targetsFile),
    label: 'tasks.rules',
    subject: 'the tasks and targets (tasks.rules)',
    format: 'iife',
    minify: options.minify,
    sourcemap: options.sourcemap ?? false,
  });
  return { ...out, isDeclarative: true };
}
