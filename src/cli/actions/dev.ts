import { UsageError } from '../../errors.js';
import { flag, stringOpt, type ActionDefinition } from '../action.js';
import { Option } from '../commander.js';
import { commonRequest, dryRunInputs, dryRunOptions, fixturesSpan } from '../dry-run-options.js';
import { untilSignal } from '../signals.js';

const DEFAULT_PORT = 5987;

function portOf(text: string | undefined): { port: number; asked: boolean } {
  if (text === undefined) return { port: DEFAULT_PORT, asked: false };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--port=${text} is not a port number.`, { code: 'CHT_E_PORT_FLAG', hint: 'Use 1-65535, or 0 for any free port.' });
  }
  return { port: n, asked: true };
}

/** --upload: the instance from the instance flags (a clear error, before watching, when there is none). */
async function devUploader(ctx: Parameters<ActionDefinition['run']>[0]) {
  const { connection } = await import('../instance-options.js');
  const conn = await connection(ctx);
  if (conn.target.kind === 'archive' || !conn.api) {
    throw new UsageError('cht dev --upload needs an instance (--local, --url or --instance), not --archive.', { code: 'CHT_E_USAGE' });
  }
  const { DevUploader } = await import('../../dev/upload.js');
  return new DevUploader(conn.api, conn.target, ctx.projectDir, flag(ctx.opts, 'force'));
}

export const dev: ActionDefinition = {
  name: 'dev',
  summary: 'a live workbench: watch the project, rebuild on save, and show the dry-run report updating in the browser',
  area: 'Dry-run',
  description:
    'Watches the project (tasks, targets, their modules, settings, translations, fixtures, installed packages), and on every save validates, compiles in memory and dry-runs it, and updates the HTML report in the open page in place — the selected day, contact and filters stay. Errors show in the page over the last good report. Prints the page URL as the first stdout line and one line per build on stderr. Ctrl-C stops it.',
  examples: [
    'cht --source=my-project dev --open',
    'cht dev --from=2024-01-01 --to=2024-06-30 --fixtures=test/chw.json --port=0',
  ],
  globals: ['--source', '--silent', '--verbose', '--no-color', '--show-console', '--local', '--url', '--instance', '--force'],
  options: () => [
    // (--app-settings: dev watches a project; --explain: the page shows every reason.)
    ...dryRunOptions().filter((o) => o.long !== '--app-settings' && o.long !== '--explain'),
    new Option('--open', 'cht dev: open the page in the default browser'),
    new Option('--upload', 'cht dev: after each good build, upload the settings to the instance (--local, --url, --instance) as upload-app-settings does'),
    new Option('--all-states', 'also draw Draft, Failed, Completed and Cancelled task windows, with reasons'),
  ],
  async run(ctx) {
    if (stringOpt(ctx.opts, 'appSettings') !== undefined) {
      throw new UsageError('cht dev watches a project folder: give --source=DIR, not --app-settings.', { code: 'CHT_E_USAGE' });
    }
    const inputs = await dryRunInputs(ctx);
    if (inputs.defaultFixture) ctx.reporter.info(`Using fixtures ${inputs.defaultFixture}`);
    const date = stringOpt(ctx.opts, 'date');
    const fromFlag = stringOpt(ctx.opts, 'from');
    const toFlag = stringOpt(ctx.opts, 'to');
    let span: { from: string; to: string };
    if (date !== undefined || fromFlag !== undefined || toFlag !== undefined) {
      const { dateRange } = await import('../dry-run-options.js');
      span = dateRange(ctx, inputs.tz);
    } else {
      const chosen = await fixturesSpan(inputs.fixtureFiles, inputs.tz);
      span = chosen;
      ctx.reporter.info(`Span ${chosen.from} … ${chosen.to}: ${chosen.why} (--from/--to or --date to choose).`);
    }
    const { port, asked } = portOf(stringOpt(ctx.opts, 'port'));
    const host = stringOpt(ctx.opts, 'host') ?? '127.0.0.1';

    const [{ DevSession }, { startDevServer, LIVE_ENDPOINTS }, { reportHtml }, { emptyReport }, { changesText }] = await Promise.all([
      import('../../dev/session.js'), import('../../dev/server.js'), import('../../report/html/write.js'),
      import('../../report/html/empty.js'), import('../../report/html/live.js'),
    ]);
    const request = {
      ...commonRequest(inputs), ...span, allStates: flag(ctx.opts, 'allStates'),
      projectDir: ctx.projectDir, fixtureFiles: inputs.fixtureFiles,
    };
    const blank = emptyReport({ project: ctx.projectDir, from: span.from, to: span.to, tz: inputs.tz });
    // The page asks the session for its latest good report; the session publishes through the server.
    const live: { session?: InstanceType<typeof DevSession> } = {};
    const server = await startDevServer({
      host, port, nextWhenBusy: !asked,
      page: () => reportHtml(live.session?.goodData ?? blank, { live: LIVE_ENDPOINTS }),
    });
    // The URL alone on the first stdout line (scripts read it); everything else on stderr.
    ctx.reporter.data(server.url);
    if (server.movedFrom !== undefined) ctx.reporter.info(`Port ${server.movedFrom} was busy: using ${server.port}.`);
    const uploader = flag(ctx.opts, 'upload') ? await devUploader(ctx) : undefined;
    const stopped = untilSignal();
    // A save while building (an editor that writes a file in place can be read half-written) means a newer build
    // follows: only a build nothing changed under is uploaded (DevSession.changedSinceBuildStarted), checked
    // before and after the upload's own compile, which reads the files again.
    const changed = () => {
      if (!session.changedSinceBuildStarted()) return false;
      ctx.reporter.info('  not uploaded: files changed during the build; the next build uploads them');
      return true;
    };
    const upload = async () => {
      if (changed()) return;
      // What compile-app-settings writes and upload-app-settings sends (minified; the dry-run's is not).
      const { compileCached } = await import('../../bundle/cached-compile.js');
      const { settings } = await compileCached(ctx.projectDir, { minify: true, sourcemap: false }, { enabled: false });
      if (changed()) return;
      const up = await uploader!.upload(settings);
      if (up.kind === 'uploaded' || up.kind === 'up-to-date') ctx.reporter.info(`  ${up.message}`);
      else ctx.reporter.warn(`  ${up.message}`);
    };
    const session = new DevSession(request, {
      async built(build, result) {
        server.publish(build);
        const errors = build.diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = build.diagnostics.length - errors;
        const what = build.changed.length ? `${build.changed.slice(0, 3).join(', ')}${build.changed.length > 3 ? ` and ${build.changed.length - 3} more` : ''}: ` : '';
        if (result.ok) {
          const tasks = `${result.data.header.counts.readyTaskDays} Ready task-days, ${result.data.windows.length} windows`;
          const changes = build.changes ? `; ${changesText(build.changes)}` : '';
          ctx.reporter.info(`build ${build.id} ok in ${build.ms} ms: ${what}${tasks}${changes}${warnings ? `; ${warnings} warning(s)` : ''}`);
          if (uploader) await upload();
        } else {
          ctx.reporter.warn(`build ${build.id} failed in ${build.ms} ms: ${what}${errors} error(s)${warnings ? `, ${warnings} warning(s)` : ''} (the page keeps the last good report)`);
          for (const d of build.diagnostics) ctx.reporter.stderrText(`${d.text}\n`);
        }
      },
    });
    live.session = session;
    // Rebuilds re-read only what changed (esbuild's incremental contexts), for the session's lifetime.
    const { keepBundlerContexts } = await import('../../bundle/esbuild.js');
    const disposeContexts = keepBundlerContexts();
    await session.start();
    if (flag(ctx.opts, 'open')) {
      const { default: open } = await import('open');
      await open(server.url).catch((err: Error) => ctx.reporter.warn(`Could not open a browser: ${err.message}. Open ${server.url} yourself.`));
    }
    ctx.reporter.info(`Watching ${ctx.projectDir}. Stop with Ctrl-C.`);
    const signal = await stopped;
    await session.close();
    await disposeContexts();
    await server.close();
    ctx.reporter.info(`Stopped (${signal}).`);
    // As `cht serve`: Ctrl-C exits 130, as everywhere in chtkit; SIGTERM is a clean stop (0).
    return signal === 'SIGINT' ? 130 : 0;
  },
};
