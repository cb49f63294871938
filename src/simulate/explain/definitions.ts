/* eslint-disable @typescript-eslint/no-explicit-any -- task and target definitions are user-shaped */
import vm from 'node:vm';
import type { RulesConfig } from '../engine/config.js';

/**
 * Fresh task and target definitions for explanations: tasks.js and targets.js bundled on their own (same
 * bundler, same sources as tasks.rules) and evaluated with the real `Utils`, `user` and `cht` — once per
 * container and day, like the rules bundle, so module state starts afresh each time.
 */
export interface DefinitionsLoader {
  load(utils: unknown, user: unknown, cht: unknown): { tasks: any[]; targets: any[] };
}

const LOADER_FILE = 'chtkit-explain-definitions.js';

export async function definitionsLoader(config: RulesConfig): Promise<DefinitionsLoader | undefined> {
  if (!config.modules || !config.projectDir) return undefined;
  const { bundle, specifier } = await import('../../bundle/esbuild.js');
  const entry = [
    `import tasks from ${specifier(config.modules.tasksFile)};`,
    `import targets from ${specifier(config.modules.targetsFile)};`,
    'export { tasks, targets };',
  ].join('\n');
  const out = await bundle({
    projectDir: config.projectDir,
    entry,
    label: 'explain-definitions',
    subject: 'tasks.js and targets.js (for --explain)',
    format: 'iife',
    globalName: '__chtkitDefinitions',
    minify: false,
    sourcemap: false,
  });
  const wrapped = `(function (Utils, user, cht) {\n${out.code}\nreturn __chtkitDefinitions;\n})`;
  const fn = vm.runInThisContext(wrapped, { filename: LOADER_FILE }) as (...a: unknown[]) => any;
  return {
    load(utils, user, cht) {
      const exported = fn(utils, user, cht);
      return {
        tasks: Array.isArray(exported.tasks) ? exported.tasks : [],
        targets: Array.isArray(exported.targets) ? exported.targets : [],
      };
    },
  };
}
