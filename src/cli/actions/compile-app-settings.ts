import { UserError } from '../../errors.js';
import { formatHuman } from '../../report/human-diagnostics.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { flag, type ActionDefinition } from '../action.js';
import { Option } from '../commander.js';
import { coreVersionOption, validateBeforeCompile } from './validate-app-settings.js';

const sameProblem = (a: Diagnostic, b: Diagnostic) =>
  a.code === b.code && a.file === b.file && a.line === b.line && a.column === b.column && a.message === b.message;

export const compileAppSettings: ActionDefinition = {
  name: 'compile-app-settings',
  summary: 'bundle tasks, targets and the contact summary into app_settings.json',
  area: 'Build and check',
  description:
    `Bundles tasks.js and targets.js (with nools-extras.js and every module or npm package they require) into tasks.rules, and the contact summary into contact_summary, with esbuild in memory; validates the project first (as validate-app-settings) and writes app_settings.json atomically only when it is valid. The output has cht-conf 6's shape and key order.`,
  examples: [
    'cht --source=my-project compile-app-settings',
    'cht --source=my-project compile-app-settings --debug   # readable code (cht-conf: -- --debug)',
    'cht compile-app-settings --strict   # warnings fail the build (CI)',
  ],
  globals: ['--source', '--debug', '--strict', '--silent', '--verbose', '--no-color', '--show-console', '--no-cache'],
  options: () => [new Option('--skip-validate', 'compile without validating tasks, targets and settings first'), coreVersionOption()],
  async run(ctx) {
    const debug = flag(ctx.opts, 'debug');
    const skipValidate = flag(ctx.opts, 'skipValidate');
    const { compileCached } = await import('../../bundle/cached-compile.js');
    const { serializeSettings } = await import('../../bundle/settings-text.js');
    const { writeFileAtomic } = await import('../../project/atomic-write.js');
    if (skipValidate) {
      ctx.reporter.warn('--skip-validate: tasks, targets and settings were not validated; the compiled config may not work on the phones.');
    }
    const spinner = await ctx.reporter.spinner('Compiling app settings');
    const started = performance.now();
    // Validation and bundling run side by side; nothing is written unless validation passes. The compile
    // reuses validation's load of tasks.js/targets.js for the target metadata.
    const validation = skipValidate ? undefined : validateBeforeCompile(ctx);
    const compiling = compileCached(ctx.projectDir, {
      minify: !debug,
      sourcemap: false,
      ...(validation ? { loaded: validation.then((v) => v.loaded, () => undefined) } : {}),
    }, { enabled: ctx.opts.cache !== false });
    // A broken project fails both; validation's report is the one shown, so the compile's own failure must not
    // surface as an unhandled rejection while validation is still running.
    compiling.catch(() => undefined);
    let shown: Diagnostic[] = [];
    let compiled;
    try {
      if (validation) ({ shown } = await validation);
      compiled = await compiling;
    } catch (err) {
      spinner.stop();
      throw err;
    }
    spinner.stop();
    const warnings = compiled.warnings.filter((w) => !shown.some((s) => sameProblem(s, w)));
    if (warnings.length) {
      ctx.reporter.stderrText(await formatHuman(warnings, { colour: ctx.reporter.colourOnStderr, cwd: ctx.cwd }));
      if (flag(ctx.opts, 'strict')) {
        throw new UserError(`${warnings.length} warning(s) with --strict: nothing was written.`, {
          code: 'CHT_E_STRICT_WARNINGS',
          hint: 'Fix the warnings above, or drop --strict to compile anyway.',
        });
      }
    }
    writeFileAtomic(compiled.project.outputFile, serializeSettings(compiled.settings));
    const ms = Math.round(performance.now() - started);
    ctx.reporter.success(`Compiled ${compiled.project.outputFile} in ${ms} ms${debug ? ' (debug: not minified)' : ''}.`);
  },
};
