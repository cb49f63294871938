import path from 'node:path';
import { Command, CommanderError, Option } from './commander.js';
import { isChtkitError, UsageError, UserError, type ExitCode } from '../errors.js';
import { OutputClosed } from '../report/output.js';
import { Reporter, type LogLevel } from '../report/reporter.js';
import { UserConsoleReport } from '../report/user-console.js';
import { withUserConsole } from '../user-console.js';
import { formatHuman } from '../report/human-diagnostics.js';
import { didYouMean } from '../schema/did-you-mean.js';
import type { ActionContext, ActionDefinition } from './action.js';
import { ACTIONS } from './actions/index.js';
import { actionHelp, overviewHelp } from './help.js';
import { CHT_CONF_ONLY_ACTIONS, compatibilityOptions, globalOptions } from './options.js';
import { version } from './version.js';

export interface CliIO {
  /** Arguments after the program name. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const USAGE = 'cht [options] [action ...] [-- extra args]';
const ISSUES_URL = 'https://github.com/chtkit/chtkit/issues';


function allOptions(actions: readonly ActionDefinition[]): Option[] {
  const byFlag = new Map<string, Option>();
  const add = (o: Option) => {
    const key = o.long ?? o.flags;
    if (!byFlag.has(key)) byFlag.set(key, o);
  };
  globalOptions().forEach(add);
  compatibilityOptions().forEach(add);
  for (const a of actions) a.options?.().forEach(add);
  return [...byFlag.values()];
}

function buildProgram(actions: readonly ActionDefinition[], captured: { out: string; err: string }): Command {
  const program = new Command('cht')
    .usage('[options] [action ...] [-- extra args]')
    .description('chtkit: compile, validate, dry-run and deploy CHT app settings. Actions run in the order given.')
    .argument('[actions...]', 'actions to run, in order')
    .version(version(), '--version', 'print the chtkit version')
    // Help is src/cli/help.ts's (main answers --help before parsing); the option is declared so it parses.
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        captured.out += s;
      },
      writeErr: (s) => {
        captured.err += s;
      },
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(true);
  for (const o of allOptions(actions)) program.addOption(o);
  return program;
}

function levelFrom(opts: Record<string, unknown>): LogLevel {
  if (opts.silent === true) return 'silent';
  if (opts.verbose === true) return 'verbose';
  return 'info';
}

function makeReporter(io: CliIO, opts: Record<string, unknown>): Promise<Reporter> {
  return Reporter.create({
    level: levelFrom(opts),
    colourAllowed: opts.color !== false,
    // Machine formats keep stdout to the data alone, uncoloured, without spinners.
    json: opts.json === true || (typeof opts.format === 'string' && opts.format !== 'human'),
    stdout: io.stdout as never,
    stderr: io.stderr as never,
    env: io.env,
  });
}

function resolveActions(names: string[], actions: readonly ActionDefinition[]): ActionDefinition[] {
  if (names.length === 0) {
    throw new UsageError('No action given.', {
      code: 'CHT_E_NO_ACTION',
      hint:
        `Name the actions to run, e.g. \`cht compile-app-settings\`. chtkit does not run cht-conf's default list ` +
        `(forms, resources, translations...). Actions: ${actions.map((a) => a.name).join(', ')}.`,
    });
  }
  const unknown = names.filter((n) => !actions.some((a) => a.name === n));
  const chtConfOnly = unknown.filter((n) => CHT_CONF_ONLY_ACTIONS.includes(n));
  if (chtConfOnly.length) {
    throw new UserError(`Not supported by chtkit: ${chtConfOnly.join(', ')}.`, {
      code: 'CHT_E_CHT_CONF_ONLY_ACTION',
      hint: 'These cht-conf actions are not implemented in chtkit; run them with `npx cht-conf` (npm cht-conf).',
    });
  }
  if (unknown.length) {
    throw new UsageError(`Unsupported action(s): ${unknown.join(' ')}.${actionSuggestions(unknown, actions)}`, {
      code: 'CHT_E_UNKNOWN_ACTION',
      hint: `Supported actions: ${actions.map((a) => a.name).join(', ')}.`,
    });
  }
  return names.map((n) => actions.find((a) => a.name === n)!);
}

/**
 * ` Did you mean dry-run-tasks?` for a misspelt action name close to one (with several unknown names, each
 * suggestion says which name it replaces); empty when none is close.
 */
function actionSuggestions(unknown: readonly string[], actions: readonly ActionDefinition[]): string {
  const names = actions.map((a) => a.name);
  const pairs = unknown.flatMap((n) => {
    const suggestion = didYouMean(n, names);
    return suggestion ? [unknown.length === 1 ? suggestion : `${suggestion} (not ${n})`] : [];
  });
  return pairs.length ? ` Did you mean ${pairs.join(', ')}?` : '';
}

/**
 * Commander's error as a usage error. An unknown flag gets a suggestion computed from its name alone (commander
 * suggests nothing for `--dte=2024-06-30`, only for `--dte 2024-06-30`), given as the hint.
 */
function usageErrorOf(err: CommanderError, program: Command): UsageError {
  const message = err.message.replace(/^error: /, '').replace(/\n\(Did you mean [^)]*\)$/, '');
  if (err.code !== 'commander.unknownOption') return new UsageError(message, { code: 'CHT_E_USAGE' });
  const flag = /'([^']+)'/.exec(message)?.[1] ?? '';
  const name = flag.split('=')[0]!;
  const longs = program.options.flatMap((o) => (o.long ? [o.long] : []));
  const suggestion = name.startsWith('--') ? didYouMean(name, longs) : undefined;
  return new UsageError(message, { code: 'CHT_E_USAGE', ...(suggestion ? { hint: `Did you mean ${suggestion}?` } : {}) });
}

async function reportError(err: unknown, reporter: Reporter, io: CliIO): Promise<ExitCode> {
  // `cht … | head`: the reader took what it wanted. Not an error (as `git log | head`).
  if (err instanceof OutputClosed) return 0;
  if (isChtkitError(err)) {
    if (err.diagnostics.length) {
      reporter.stderrText(await formatHuman(err.diagnostics, { colour: reporter.colourOnStderr, cwd: io.cwd }));
    }
    reporter.error(err.message);
    if (err.hint) reporter.info(`  ${err.hint}`);
    if (err instanceof UsageError) reporter.info(`  Usage: ${USAGE}  (cht --help for details)`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  reporter.error(`chtkit hit an unexpected error. This is a bug in chtkit, not in your config.`);
  reporter.stderrText(`${e.stack ?? e.message}\n`);
  reporter.stderrText(
    `Please report it at ${ISSUES_URL} with the command you ran, chtkit ${version()} and Node ${process.version}.\n`,
  );
  return 3;
}

/**
 * The actions whose help is asked for (`cht ACTION --help`, `cht help ACTION`); an empty list is the overview
 * (`cht --help`, `cht help`); undefined when no help is asked for.
 */
function helpWanted(args: readonly string[], registry: readonly ActionDefinition[]): string[] | undefined {
  if (args[0] === 'help') return args.slice(1).filter((a) => !a.startsWith('-'));
  if (!args.includes('--help') && !args.includes('-h')) return undefined;
  return args.filter((a) => registry.some((r) => r.name === a));
}

/** Runs the CLI; never calls process.exit, so tests can call it in-process (with their own action set). */
export async function main(io: CliIO, registry: readonly ActionDefinition[] = ACTIONS): Promise<ExitCode> {
  const dashDash = io.argv.indexOf('--');
  const args = dashDash === -1 ? io.argv : io.argv.slice(0, dashDash);
  const extraArgs = dashDash === -1 ? [] : io.argv.slice(dashDash + 1);
  const captured = { out: '', err: '' };
  const program = buildProgram(registry, captured);

  const help = helpWanted(args, registry);
  if (help) {
    const unknown = help.filter((n) => !registry.some((a) => a.name === n));
    if (unknown.length) {
      const reporter = await makeReporter(io, { color: !args.includes('--no-color') });
      return reportError(new UsageError(`No such action: ${unknown.join(', ')}.${actionSuggestions(unknown, registry)}`, {
        code: 'CHT_E_UNKNOWN_ACTION',
        hint: `Actions: ${registry.map((a) => a.name).join(', ')}.`,
      }), reporter, io);
    }
    const globals = [...globalOptions(), ...compatibilityOptions()];
    const text = help.length === 0
      ? overviewHelp(registry, globals, version())
      : help.map((name) => actionHelp(registry.find((a) => a.name === name)!, globals)).join('\n');
    io.stdout.write(text);
    return 0;
  }

  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    const reporter = await makeReporter(io, { color: !args.includes('--no-color') });
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        io.stdout.write(captured.out);
        return 0;
      }
      return reportError(usageErrorOf(err, program), reporter, io);
    }
    return reportError(err, reporter, io);
  }

  const opts: Record<string, unknown> = { ...program.opts() };
  if (extraArgs.includes('--debug')) opts.debug = true;
  const reporter = await makeReporter(io, opts);

  try {
    if (opts.supportedActions === true) {
      reporter.data(`Supported actions:\n${registry.map((a) => `  ${a.name}`).join('\n')}`);
      return 0;
    }
    const actions = resolveActions(program.args, registry);
    const ctx: ActionContext = {
      projectDir: path.resolve(io.cwd, typeof opts.source === 'string' ? opts.source : '.'),
      opts,
      extraArgs,
      reporter,
      cwd: io.cwd,
      env: io.env,
      state: new Map(),
      actions: actions.map((a) => a.name),
    };
    for (const action of actions) await action.preflight?.(ctx);
    for (const action of actions) {
      reporter.verbose(`Starting action: ${action.name}`);
      // The project's code (rules, contact summary, purge...) may call console.*: never onto stdout.
      const userConsole = new UserConsoleReport(reporter, opts.showConsole === true);
      const code = await withUserConsole(userConsole, () => action.run(ctx)).finally(() => userConsole.finish(action.name));
      if (code) return code;
      // The reader of stdout has gone: the run ends here, quietly, as a Unix tool's would on SIGPIPE.
      if (reporter.output.closed) reporter.output.check();
      reporter.verbose(`${action.name} complete.`);
    }
    return 0;
  } catch (err) {
    return reportError(err, reporter, io);
  }
}
