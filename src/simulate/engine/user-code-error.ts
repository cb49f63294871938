/* eslint-disable @typescript-eslint/no-explicit-any -- docs and thrown values are user-shaped */
import path from 'node:path';
import { UserError } from '../../errors.js';
import { BundleMapper, isRuntimeFrame, type StackFrame } from '../../bundle/source-map.js';
import { lineTextAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { RULES_FILE } from './config.js';
import { Contact, freshContainer, type ContainerSpec } from './containers.js';
import { userForDay, type Simulation } from './simulation.js';
import { formatDay } from './moment-compat.js';

class Task {
  constructor(x: object) {
    Object.assign(this, x);
  }
}

/**
 * Which report the rules were handling when they threw: the container is run again with each report wrapped
 * so that property reads are recorded; the last report read before the exception is the one being processed.
 */
function reportBeingProcessed(sim: Simulation, spec: ContainerSpec, user: unknown): any {
  const c: Contact = freshContainer(spec);
  let last: any;
  c.reports = c.reports.map((report) => new Proxy(report, {
    get(target, key, receiver) {
      last = target;
      return Reflect.get(target, key, receiver);
    },
  }));
  try {
    sim.rules(c, Task, Task, sim.utils, user, sim.cht, () => undefined);
  } catch {
    return last;
  }
  return undefined;
}

function framesOf(sim: Simulation, err: Error): StackFrame[] {
  if (sim.config.map && sim.config.projectDir) {
    return new BundleMapper(sim.config.map, sim.config.projectDir).frames(err.stack, RULES_FILE);
  }
  // No source map (an app_settings.json): point into the bundle itself.
  const frames: StackFrame[] = [];
  const re = new RegExp(`at (?:(.+?) \\()?${RULES_FILE.replace('.', '\\.')}:(\\d+):(\\d+)\\)?`);
  for (const line of (err.stack ?? '').split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const lineNo = Number(m[2]);
    const lineText = lineTextAt(sim.config.rules, lineNo);
    frames.push({
      ...(m[1] ? { functionName: m[1] } : {}),
      position: {
        file: `${sim.config.settingsFile ?? 'app_settings.json'} (tasks.rules)`,
        line: lineNo,
        column: Number(m[3]),
        ...(lineText !== undefined && lineText.length < 300 ? { lineText } : {}),
      },
    });
  }
  return frames;
}

function describeContact(spec: ContainerSpec): string {
  if (!spec.contact) return 'the reports without a contact';
  const name = (spec.contact as any).name;
  if (spec.headless) return `the unknown contact ${spec.contact._id} (headless: its reports name a subject that is not in the fixtures)`;
  return `contact ${spec.contact._id}${name ? ` (${String(name)})` : ''}`;
}

function describeReport(report: any): string {
  const date = typeof report.reported_date === 'number' ? `, reported ${formatDay(report.reported_date)}` : '';
  return `report ${report._id} (${String(report.form)}${date})`;
}

/**
 * The user's view of an exception in the rules: cht-core drops the whole refresh, so the dry-run stops (exit 1)
 * naming the user's source line, the day, the contact and the report being processed.
 */
export function userCodeError(sim: Simulation, thrown: unknown, spec: ContainerSpec, date: string): UserError {
  const err = thrown instanceof Error ? thrown : new Error(String(thrown));
  const frames = framesOf(sim, err);
  const userFrame = frames.find((f) => !isRuntimeFrame(f)) ?? frames[0];
  const report = reportBeingProcessed(sim, spec, userForDay(sim));
  const where = `${describeContact(spec)}${report ? `, ${describeReport(report)}` : ''}`;
  const message = `${err.name}: ${err.message}`;
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'dry-run/user-code-exception',
    message: `${message} (on ${date}, for ${where})`,
  };
  const cwdRelative = (file: string) => (path.isAbsolute(file) ? path.relative(process.cwd(), file) || file : file);
  if (userFrame) {
    diagnostic.file = userFrame.position.file;
    diagnostic.line = userFrame.position.line;
    diagnostic.column = userFrame.position.column;
    if (userFrame.position.lineText !== undefined) diagnostic.lineText = userFrame.position.lineText;
    const stack = frames
      .map((f) => `at ${f.functionName ?? '<anonymous>'} (${cwdRelative(f.position.file)}:${f.position.line}:${f.position.column})`)
      .join('\n    ');
    diagnostic.hint = `Stack:\n    ${stack}`;
  }
  const location = userFrame ? ` at ${cwdRelative(userFrame.position.file)}:${userFrame.position.line}:${userFrame.position.column}` : '';
  return new UserError(`The rules threw ${message}${location}, on ${date}, for ${where}.`, {
    code: 'CHT_E_RULES_EXCEPTION',
    diagnostics: [diagnostic],
    hint: 'cht-core drops the whole refresh when the rules throw: on a phone this user would see no tasks and stale targets.',
  });
}
