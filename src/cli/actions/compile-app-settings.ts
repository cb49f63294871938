import { UserError } from '../../errors.js';
import { formatHuman } from '../../report/human-diagnostics.js';
import { flag, type ActionDefinition } from '../action.js';

export const compileAppSettings: ActionDefinition = {
  name: 'compile-app-settings',
  summary: 'bundle tasks, targets and the contact summary into app_settings.json',
  async run(ctx) {
    (await import('../../bundle/esbuild-api.js')).warmUpBundler();
    const { compileProject, serializeSettings } = await import('../../bundle/app-settings.js');
    const { writeFileAtomic } = await import('../../project/atomic-write.js');
    const debug = flag(ctx.opts, 'debug');
    const spinner = await ctx.reporter.spinner('Compiling app settings');
    const started = performance.now();
    let compiled;
    try {
      compiled = await compileProject(ctx.projectDir, { minify: !debug });
    } catch (err) {
      spinner.stop();
      throw err;
    }
    spinner.stop();
    if (compiled.warnings.length) {
      ctx.reporter.stderrText(await formatHuman(compiled.warnings, { colour: ctx.reporter.colourOnStderr, cwd: ctx.cwd }));
      if (flag(ctx.opts, 'strict')) {
        throw new UserError(`${compiled.warnings.length} warning(s) with --strict: nothing was written.`, {
          code: 'CHT_E_STRICT_WARNINGS',
          hint: 'Fix the warnings above, or drop --strict to compile anyway.',
        });
      }
    }
    writeFileAtomic(compiled.project.outputFile, serializeSettings(compiled.settings));
    ctx.state.set('compiled', compiled);
    const ms = Math.round(performance.now() - started);
    ctx.reporter.success(`Compiled ${compiled.project.outputFile} in ${ms} ms${debug ? ' (debug: not minified)' : ''}.`);
  },
};
