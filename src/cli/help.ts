import { Option } from './commander.js';
import { AREAS, type ActionDefinition } from './action.js';

/**
 * `cht --help` (the actions by area, the flags every action takes) and `cht ACTION --help` / `cht help ACTION`
 * (that action's purpose, its own flags and examples), instead of commander's one list of every flag.
 */
const WIDTH = 100;

function wrap(text: string, width: number, indent: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width - indent) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function flagRows(options: readonly Option[]): string[] {
  const shown = options.filter((o) => !(o as Option & { hidden?: boolean }).hidden);
  const width = Math.min(30, Math.max(...shown.map((o) => o.flags.length), 0)) + 2;
  return shown.map((o) => {
    const dflt = o.defaultValueDescription ?? (o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' ? String(o.defaultValue) : undefined);
    const description = `${o.description}${dflt !== undefined ? ` (default: ${dflt})` : ''}`;
    const head = `  ${o.flags}`;
    const pad = head.length + 2 > width + 2 ? `\n${' '.repeat(width + 2)}` : ' '.repeat(width + 2 - head.length);
    return `${head}${pad}${wrap(description, WIDTH, width + 2)}`;
  });
}

function exampleRows(examples: readonly string[]): string[] {
  return examples.map((e) => {
    const [command, comment] = e.split(/\s+#\s+/);
    return comment ? `  ${command}\n      # ${comment}` : `  ${command}`;
  });
}

/** The overview: what chtkit does, the actions by area, the flags of every action. */
export function overviewHelp(actions: readonly ActionDefinition[], globals: readonly Option[], version: string): string {
  const lines = [
    `cht ${version}: compile, validate, dry-run and deploy CHT app settings (chtkit; the actions and flags of npm cht-conf).`,
    '',
    'Usage: cht [flags] ACTION [ACTION ...] [-- extra args]     actions run in the order given',
    '       cht ACTION --help                                   an action\'s purpose, flags and examples',
  ];
  const width = Math.max(...actions.map((a) => a.name.length)) + 2;
  for (const area of AREAS) {
    const inArea = actions.filter((a) => a.area === area);
    if (!inArea.length) continue;
    lines.push('', `${area}:`);
    for (const a of inArea) lines.push(`  ${a.name.padEnd(width)}${wrap(a.summary, WIDTH, width + 2)}`);
  }
  const builtIn = [new Option('--version', 'print the chtkit version'), new Option('-h, --help', "this help; after an action, that action's")];
  lines.push('', 'Flags for every action:', ...flagRows([...globals, ...builtIn]));
  lines.push('', 'Examples:', ...exampleRows([
    'cht --source=my-project validate-app-settings compile-app-settings',
    'cht --source=my-project dry-run-tasks --date=2024-06-15   # the tasks a health worker sees that day',
    'cht --local compile-app-settings backup-app-settings upload-app-settings',
  ]));
  lines.push('', 'Exit codes: 0 ok, 1 a problem in the config or the flags, 2 the instance or the network, 3 a bug in chtkit, 130 interrupted.');
  return `${lines.join('\n')}\n`;
}

/** One action: its purpose, its own flags, the global flags that matter to it, examples. */
export function actionHelp(action: ActionDefinition, globals: readonly Option[]): string {
  const own = action.options?.() ?? [];
  const ownNames = new Set(own.map((o) => o.long));
  const relevant = globals.filter((o) => action.globals.includes(o.long ?? '') && !ownNames.has(o.long));
  const lines = [
    `Usage: cht [flags] ${action.name}`,
    '',
    wrap(`${action.summary[0]!.toUpperCase()}${action.summary.slice(1)}.`, WIDTH, 0),
    '',
    wrap(action.description, WIDTH, 0),
  ];
  if (own.length) lines.push('', 'Flags:', ...flagRows(own));
  if (relevant.length) lines.push('', 'Also:', ...flagRows(relevant));
  lines.push('', 'Examples:', ...exampleRows(action.examples));
  lines.push('', 'cht --help lists every action and the flags they all take.');
  return `${lines.join('\n')}\n`;
}
