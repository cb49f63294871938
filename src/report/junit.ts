import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { describeDiagnostic, displayPath } from './human-diagnostics.js';

export interface JunitDefinition {
  kind: 'task' | 'target';
  file: string;
  index: number;
  name?: string;
}

export interface JunitFormatOptions {
  cwd: string;
  /** The files checked, each a test suite (clean ones too). */
  files: readonly string[];
  /** The tasks and targets checked, each a test case of its file's suite. */
  definitions: readonly JunitDefinition[];
  /** Warnings count as failures, as they fail the run. */
  strict: boolean;
}

function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

interface Case {
  name: string;
  diagnostics: Diagnostic[];
}

function caseName(kind: string, index: number, name: string | undefined): string {
  return `${kind}${name === undefined ? '' : ` "${name}"`} [${index}]`;
}

/**
 * JUnit XML: one test suite per checked file, one test case per task or target (and one for the file itself),
 * a `<failure>` per error (and per warning under --strict); other warnings go to the case's `<system-out>`.
 */
export function formatJunit(diagnostics: readonly Diagnostic[], options: JunitFormatOptions): string {
  const suites = new Map<string, Map<string, Case>>();
  const suiteFor = (file: string | undefined) => {
    const key = file === undefined ? '(project)' : displayPath(file, options.cwd).split(path.sep).join('/');
    let suite = suites.get(key);
    if (!suite) {
      suite = new Map([['(file)', { name: key, diagnostics: [] }]]);
      suites.set(key, suite);
    }
    return suite;
  };
  for (const file of options.files) suiteFor(file);
  for (const def of options.definitions) {
    const name = caseName(def.kind, def.index, def.name);
    suiteFor(def.file).set(`${def.kind}:${def.index}`, { name, diagnostics: [] });
  }
  for (const d of diagnostics) {
    const suite = suiteFor(d.file);
    const subject = d.subject && d.subject.kind !== 'file' && d.subject.index !== undefined ? `${d.subject.kind}:${d.subject.index}` : '(file)';
    let test = suite.get(subject);
    if (!test) {
      test = { name: caseName(d.subject!.kind, d.subject!.index!, d.subject!.name), diagnostics: [] };
      suite.set(subject, test);
    }
    test.diagnostics.push(d);
  }

  const fails = (d: Diagnostic) => d.severity === 'error' || (d.severity === 'warning' && options.strict);
  let tests = 0;
  let failures = 0;
  const body: string[] = [];
  for (const [suiteName, cases] of suites) {
    const list = [...cases.values()];
    const suiteFailures = list.filter((c) => c.diagnostics.some(fails)).length;
    tests += list.length;
    failures += suiteFailures;
    body.push(`  <testsuite name="${xml(suiteName)}" tests="${list.length}" failures="${suiteFailures}" errors="0" skipped="0">`);
    for (const c of list) {
      const failing = c.diagnostics.filter(fails);
      const other = c.diagnostics.filter((d) => !fails(d));
      if (!failing.length && !other.length) {
        body.push(`    <testcase classname="${xml(suiteName)}" name="${xml(c.name)}"/>`);
        continue;
      }
      body.push(`    <testcase classname="${xml(suiteName)}" name="${xml(c.name)}">`);
      for (const d of failing) {
        const where = d.file ? `${displayPath(d.file, options.cwd)}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}\n` : '';
        const text = `${where}${describeDiagnostic(d)}${d.hint ? `\n${d.hint}` : ''}`;
        body.push(`      <failure type="${xml(d.code)}" message="${xml(describeDiagnostic(d))}">${xml(text)}</failure>`);
      }
      if (other.length) {
        const lines = other.map((d) => `warning ${d.code}: ${describeDiagnostic(d)}`).join('\n');
        body.push(`      <system-out>${xml(lines)}</system-out>`);
      }
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cht validate-app-settings" tests="${tests}" failures="${failures}" errors="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
