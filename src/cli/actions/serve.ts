import path from 'node:path';
import { UsageError } from '../../errors.js';
import { stringOpt, type ActionDefinition } from '../action.js';
import { Option } from '../commander.js';
import { untilSignal } from '../signals.js';

function port(text: string | undefined): number {
  const n = Number(text ?? '5988');
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--port=${text} is not a port number.`, { code: 'CHT_E_PORT_FLAG', hint: 'Use 1-65535, or 0 for any free port.' });
  }
  return n;
}

export const serve: ActionDefinition = {
  name: 'serve',
  summary: 'run a local CHT-compatible instance for config deploys (default http://localhost:5988, as --local expects)',
  area: 'Deploy',
  description:
    'Runs a small local stand-in for a CHT instance (the endpoints a settings deploy uses, with durable storage) so deploys can be tried and tested without Docker. Prints its URL on the first stdout line; Ctrl-C stops it.',
  examples: [
    'cht --source=my-project serve   # http://localhost:5988, as --local expects',
    'cht serve --port=0 --data=/tmp/cht-data   # any free port',
  ],
  globals: ['--source', '--json', '--silent', '--verbose', '--no-color'],
  options: () => [
    new Option('--port <n>', 'port for cht serve (default 5988) and cht dev (default 5987, or the next free one); 0: any free port'),
    new Option('--host <address>', 'address cht serve and cht dev listen on (default 127.0.0.1)'),
    new Option('--data <dir>', "cht serve's storage directory (default: <project>/.cht-local)"),
    new Option('--core-version <version>', 'the CHT version cht serve reports (e.g. 4.1.0 for the pre-4.2 upload path)').default('4.11.0'),
  ],
  async run(ctx) {
    const { startLocalInstance } = await import('../../local-instance/server.js');
    const dataDir = path.resolve(ctx.cwd, stringOpt(ctx.opts, 'data') ?? path.join(ctx.projectDir, '.cht-local'));
    const coreVersion = stringOpt(ctx.opts, 'coreVersion') ?? '4.11.0';
    const instance = await startLocalInstance({
      dataDir,
      port: port(stringOpt(ctx.opts, 'port')),
      host: stringOpt(ctx.opts, 'host') ?? '127.0.0.1',
      coreVersion,
      onRequest: (e) => ctx.reporter.verbose(`${e.method} ${e.path} → ${e.status} (${Math.round(e.ms)} ms)`),
    });
    const stopped = untilSignal();
    // The URL goes to stdout (first line) so scripts can read the port; everything else is a log line.
    if (ctx.opts.json === true) ctx.reporter.json({ url: instance.url, port: instance.port, dataDir, coreVersion });
    else ctx.reporter.data(instance.url);
    ctx.reporter.success(`Local CHT instance (reports CHT ${coreVersion}) at ${instance.url}, data in ${path.relative(ctx.cwd, dataDir) || dataDir}`);
    ctx.reporter.info(
      `Users: ${path.join(path.relative(ctx.cwd, dataDir) || '.', 'users.json')} (a new store has the admin user of cht --local). ` +
        `Deploy with: cht --url=http://admin:****@${instance.url.replace('http://', '')} upload-app-settings` +
        (instance.port === 5988 ? ' (or --local)' : ''),
    );
    ctx.reporter.info('Stop with Ctrl-C.');
    const signal = await stopped;
    await instance.close();
    ctx.reporter.info(`Stopped (${signal}).`);
    // Ctrl-C exits 130, as everywhere in chtkit; SIGTERM (a CI step or a supervisor ending it) is a clean stop.
    return signal === 'SIGINT' ? 130 : 0;
  },
};
