/* eslint-disable @typescript-eslint/no-explicit-any -- acorn / ESTree nodes */

/**
 * Calls `each` on every child node of an ESTree node (every property holding a node or an array of nodes, in
 * the parser's order; `null` holes skipped): the generic walk under the instrumentation's own visitors.
 */
export function forEachChild(node: any, each: (child: any) => void): void {
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child === 'object' && typeof child.type === 'string') each(child);
    } else if (value && typeof value === 'object' && typeof value.type === 'string') each(value);
  }
}

/**
 * Operands that can never hold a clock-derived value, found statically so the tracer does not confuse them
 * with one. Tracing keys primitives by value (trace-runtime.ts): a loop counter that happens to equal this
 * month's number would otherwise tie `i < reports.length` to the calendar. Clean are literals, `.length`
 * (tracing never registers a length), and variables that only ever hold such values: declared with a literal
 * or a `.length`, written only by `++`, `--`, `= literal`, `+= literal` or `-= literal` (loop counters and
 * bounds). Scope resolution is eslint-scope's (`manager`, its analysis of `ast`); code with `with` or a direct `eval` gets no clean variables.
 */
export function cleanIdentifiers(ast: any, manager: any): Set<any> {
  // (Every reference of a clean variable, writes included: `i += 1` on a counter needs no helper either.)
  const clean = new Set<any>();
  const parents = new WeakMap<object, any>();
  const link = (node: any): void => {
    forEachChild(node, (child) => {
      parents.set(child, node);
      link(child);
    });
  };
  link(ast);
  if (manager.scopes.some((s: any) => s.type === 'with' || s.directCallToEvalScope)) return clean;
  for (const scope of manager.scopes) {
    // Globals can be written from anywhere (other scripts, `this.x`, the rules' caller): never clean.
    if (scope.type === 'global') continue;
    for (const variable of scope.variables) {
      if (!isCounter(variable, parents)) continue;
      for (const ref of variable.references) clean.add(ref.identifier);
    }
  }
  return clean;
}

function isCounter(variable: any, parents: WeakMap<object, any>): boolean {
  if (variable.defs.length === 0) return false;
  for (const def of variable.defs) {
    if (def.type !== 'Variable' || def.node.id !== def.name) return false;
  }
  for (const ref of variable.references) {
    if (!ref.isWrite()) continue;
    if (ref.init) {
      if (!isCleanLiteral(ref.writeExpr) && !isLength(ref.writeExpr)) return false;
      continue;
    }
    const parent = parents.get(ref.identifier);
    if (parent?.type === 'UpdateExpression') continue;
    if (parent?.type === 'AssignmentExpression' && parent.left === ref.identifier && isCleanLiteral(parent.right)) {
      if (parent.operator === '=' || ((parent.operator === '+=' || parent.operator === '-=') && typeof parent.right.value === 'number')) continue;
    }
    return false;
  }
  return true;
}

/** A literal primitive, or a sign applied to a number literal (`-1` is a unary expression). */
export function isCleanLiteral(node: any): boolean {
  if (!node) return false;
  if (node.type === 'Literal') return node.regex === undefined && node.bigint === undefined;
  if (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+')) {
    return node.argument.type === 'Literal' && typeof node.argument.value === 'number';
  }
  return node.type === 'TemplateLiteral' && node.expressions.length === 0;
}

export function isLength(node: any): boolean {
  return node?.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'length';
}

/**
 * Whether an operand node is statically clean (see `cleanIdentifiers`). `typeof x` is too: a type name, and a
 * clock value's type is recorded by itself (Trace.types).
 */
export function isCleanOperand(node: any, identifiers: Set<any>): boolean {
  return isCleanLiteral(node) || isLength(node) || (node?.type === 'Identifier' && identifiers.has(node)) ||
    (node?.type === 'UnaryExpression' && node.operator === 'typeof');
}

/** Calls `found` with each member expression an assignment target (a pattern's, nested) writes to. */
export function assignedMembers(node: any, found: (member: any) => void): void {
  if (!node) return;
  switch (node.type) {
    case 'MemberExpression':
      found(node);
      break;
    case 'ArrayPattern':
      for (const e of node.elements) assignedMembers(e, found);
      break;
    case 'ObjectPattern':
      for (const p of node.properties) assignedMembers(p.type === 'RestElement' ? p.argument : p.value, found);
      break;
    case 'AssignmentPattern':
      assignedMembers(node.left, found);
      break;
    case 'RestElement':
      assignedMembers(node.argument, found);
      break;
    default:
      break;
  }
}
