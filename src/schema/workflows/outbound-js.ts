import vm from 'node:vm';
import * as Acorn from 'acorn';
import * as AcornWalk from 'acorn-walk';
import { quote, type WorkflowProblem } from './context.js';

/*
 * What cht-core would do with an outbound `relevant_to` or mapping `expr`: it runs the text with
 * `vm.runInNewContext(text, { doc })` (shared-libs/transitions/src/transitions/mark_for_outbound.js,
 * shared-libs/outbound/src/outbound.js, 4.11.0). That is a script, not only an expression: its value is the
 * value of its last statement. So the text is parsed as a script, and every free name must be `doc` or a
 * global of a fresh vm context, or the script throws a ReferenceError on every document. `checkScript` and
 * `checkScriptText` say what that means for a push (outbound.ts checks the rest of it).
 */

let contextGlobals: Set<string> | undefined;

/** The globals a fresh vm context has (what cht-core's scripts can name besides `doc`), read from Node itself. */
function vmGlobals(): Set<string> {
  contextGlobals ??= new Set(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
  return contextGlobals;
}

export interface ScriptFinding {
  kind: 'syntax' | 'unknown-name' | 'unguarded-fields';
  /** The syntax error's text, or the name. */
  detail: string;
}

type AnyNode = Acorn.Node & Record<string, unknown>;

const isDocMember = (n: AnyNode | undefined, prop: string): boolean =>
  !!n && n.type === 'MemberExpression' && !n.computed && !n.optional &&
  (n.object as AnyNode).type === 'Identifier' && (n.object as AnyNode).name === 'doc' &&
  (n.property as AnyNode).type === 'Identifier' && (n.property as AnyNode).name === prop;

/** True when the source text of `n` tests `doc.form`, `doc.type` or `doc.fields` (a guard before doc.fields.x). */
const mentionsGuard = (text: string, n: AnyNode): boolean => /\bdoc\s*(\.\s*(form|type|fields|content_type)\b|\[)/.test(text.slice(n.start, n.end));

/**
 * `doc.fields.x` throws on documents without fields (contacts, and sentinel processes them too), unless an
 * earlier `&&` operand, a `?:` test or an `if` test looks at the form, type or fields first, or it sits in a try.
 */
function guarded(text: string, ancestors: readonly AnyNode[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const parent = ancestors[i]!;
    const child = ancestors[i + 1]!;
    if (parent.type === 'LogicalExpression' && (parent.operator === '&&' || parent.operator === '??' || parent.operator === '||') && parent.right === child) {
      if (mentionsGuard(text, parent.left as AnyNode)) return true;
    }
    if (parent.type === 'ConditionalExpression' && parent.test !== child && mentionsGuard(text, parent.test as AnyNode)) return true;
    if (parent.type === 'IfStatement' && parent.test !== child && mentionsGuard(text, parent.test as AnyNode)) return true;
    if (parent.type === 'TryStatement' && parent.block === child) return true;
    if (parent.type === 'ChainExpression') return true;
  }
  return false;
}

/** Parses and inspects a script cht-core runs with `{ doc }`. Findings are in source order. */
export function inspectScript(text: string): ScriptFinding[] {
  // Syntax is judged by V8 itself, compiling (never running) the script as cht-core's vm would: same engine,
  // same error message as sentinel's log.
  try {
    new vm.Script(text);
  } catch (err) {
    return [{ kind: 'syntax', detail: (err as Error).message }];
  }
  let ast: Acorn.Program;
  try {
    ast = Acorn.parse(text, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    // Syntax V8 accepts and acorn does not know yet: nothing more can be said about it.
    return [];
  }
  // Every name declared anywhere counts as declared everywhere: coarse, but it never reports a bound name.
  const declared = new Set<string>(['doc', 'arguments']);
  const references: { name: string; typeofOperand: boolean }[] = [];
  const fieldAccesses: { node: AnyNode; ancestors: AnyNode[] }[] = [];
  // acorn-walk visits identifiers being declared or assigned as 'VariablePattern', which its types do not list.
  const visitors: Record<string, (node: Acorn.Node, state: unknown, ancestors: Acorn.Node[]) => void> = {
    VariablePattern(node) {
      declared.add((node as Acorn.Identifier).name);
    },
    Function(node) {
      const id = (node as Acorn.Function).id;
      if (id) declared.add(id.name);
    },
    Class(node) {
      const id = (node as Acorn.Class).id;
      if (id) declared.add(id.name);
    },
    Identifier(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      const typeofOperand = parent?.type === 'UnaryExpression' && parent.operator === 'typeof';
      references.push({ name: (node as Acorn.Identifier).name, typeofOperand });
    },
    MemberExpression(node, _state, ancestors) {
      const n = node as unknown as AnyNode;
      if (isDocMember(n.object as AnyNode, 'fields') && !n.optional) fieldAccesses.push({ node: n, ancestors: [...(ancestors as AnyNode[])] });
    },
  };
  AcornWalk.ancestor(ast, visitors as AcornWalk.AncestorVisitors<unknown>);
  const globals = vmGlobals();
  const findings: ScriptFinding[] = [];
  const seen = new Set<string>();
  for (const r of references) {
    if (r.typeofOperand || declared.has(r.name) || globals.has(r.name) || seen.has(r.name)) continue;
    seen.add(r.name);
    findings.push({ kind: 'unknown-name', detail: r.name });
  }
  const unguarded = fieldAccesses.find((f) => !guarded(text, f.ancestors));
  if (unguarded) findings.push({ kind: 'unguarded-fields', detail: text.slice(unguarded.node.start, unguarded.node.end) });
  return findings;
}

/** The diagnostics of a script cht-core's vm runs for a push (`what` names it); `unguardedCheck` for relevant_to. */
export function checkScript(path: (string | number)[], text: string, what: string, out: WorkflowProblem[], unguardedCheck: boolean): void {
  for (const f of inspectScript(text)) {
    if (f.kind === 'syntax') {
      out.push({
        code: 'outbound/script-syntax',
        severity: 'error',
        path,
        target: 'value',
        message: `${what} is not valid JavaScript (${f.detail}): cht-core's vm throws on every document${unguardedCheck ? ', which stops every push for all of them' : ', so this push always fails'}.`,
        hint: 'cht-core runs it as a script with `doc` in scope; write an expression such as doc.form === \'pregnancy\'.',
      });
    } else if (f.kind === 'unknown-name') {
      out.push({
        code: 'outbound/script-unknown-name',
        severity: 'error',
        path,
        target: 'value',
        message: `${what} uses '${f.detail}', which is not defined when cht-core runs it (only doc and JavaScript's globals are): it throws a ReferenceError on every document${unguardedCheck ? ', which stops every push for all of them' : ', so this push always fails'}.`,
        hint: f.detail === 'report' || f.detail === 'contact' ? `Use doc (the hydrated document) instead of ${f.detail}.` : 'Read everything from doc.',
      });
    } else if (unguardedCheck) {
      out.push({
        code: 'outbound/relevant-to-throws',
        severity: 'warning',
        path,
        target: 'value',
        message: `${what} reads ${f.detail} without first checking doc.form or doc.type: it throws on documents without fields (contacts, which sentinel processes too), and a throw stops every push of every config for that document.`,
        hint: `Test the form first, e.g. doc.form === 'x' && ${f.detail} …, or use ${f.detail.replace('doc.fields.', 'doc.fields?.')}.`,
      });
    }
  }
}

/**
 * The script cht-core's vm runs for a value that is not a string: Node's vm.Script compiles any value as its text
 * (`${value}`), so `true` runs as "true", `12` as "12", an array as its items joined by commas and an object as
 * "[object Object]" (which does not parse).
 */
function scriptText(value: unknown): string {
  return `${value as string}`;
}

/**
 * checkScript on the text cht-core's vm runs for a value that is not a string (scriptText), said in the
 * diagnostics; the text when it runs (no error found: the caller says what running it does), else undefined.
 */
export function checkScriptText(path: (string | number)[], value: unknown, what: string, out: WorkflowProblem[], unguardedCheck: boolean): string | undefined {
  const text = scriptText(value);
  const found: WorkflowProblem[] = [];
  checkScript(path, text, `${what} (${quote(value)}, which cht-core's vm runs as the text "${text}")`, found, unguardedCheck);
  out.push(...found);
  return found.some((f) => f.severity === 'error') ? undefined : text;
}
