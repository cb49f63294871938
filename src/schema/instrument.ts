import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as Acorn from 'acorn';
import * as AcornWalk from 'acorn-walk';
import type { Plugin } from 'esbuild';
import type { LocationRecorder } from './js-locations.js';

/**
 * An esbuild plugin for the validation loader only: it rewrites each object and array literal of the project's
 * own files so the loaded values carry their source positions (js-locations.ts). The code that compile writes
 * into app_settings.json never goes through it.
 */

interface Wrapper {
  start: number;
  end: number;
  prefix: string;
  suffix: string;
  /** For wrappers over the same range: the lower rank is the outer call. */
  rank: number;
}


function parse(text: string): Acorn.Program | undefined {
  const common = { ecmaVersion: 'latest' as const, allowHashBang: true };
  try {
    return Acorn.parse(text, { ...common, sourceType: 'module' });
  } catch {
    try {
      return Acorn.parse(text, { ...common, sourceType: 'script', allowReturnOutsideFunction: true });
    } catch {
      // A syntax error: esbuild reads the file itself and reports it at its position.
      return undefined;
    }
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Rewrites `text` so that its literals record their positions through `runtime` (a global's name). */
export function instrumentSource(text: string, fileIndex: number, runtime: string): string | undefined {
  const ast = parse(text);
  if (!ast) return undefined;
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  /** `line, column, length` (1-based; the length stops at the end of the first line). */
  const at = (start: number, end: number): string => {
    const line = lineOf(start);
    const lineEnd = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
    return `${line + 1},${start - starts[line]! + 1},${Math.max(1, Math.min(end, lineEnd) - start)}`;
  };
  const wrappers: Wrapper[] = [];
  const spread = (node: Acorn.Node) =>
    wrappers.push({ start: node.start, end: node.end, prefix: `${runtime}.s(`, suffix: ')', rank: 0 });

  AcornWalk.simple(ast, {
    ObjectExpression(node) {
      const codes: string[] = [];
      let spreads = 0;
      for (const p of node.properties) {
        if (p.type === 'SpreadElement') {
          spread(p.argument);
          spreads++;
          codes.push(`[0,${at(p.start, p.end).split(',').slice(0, 2).join(',')}]`);
          continue;
        }
        const key = propertyKey(p);
        if (key === undefined) continue;
        codes.push(`[${JSON.stringify(key)},${at(p.key.start, p.key.end)},${at(p.value.start, p.value.end)}]`);
      }
      wrappers.push({
        start: node.start,
        end: node.end,
        prefix: `${runtime}.o(`,
        suffix: `,${fileIndex},${at(node.start, node.start + 1).split(',').slice(0, 2).join(',')},${lineOf(node.end - 1) + 1},[${codes.join(',')}],${spreads})`,
        rank: 1,
      });
    },
    ArrayExpression(node) {
      const codes: string[] = [];
      let spreads = 0;
      for (const e of node.elements) {
        if (e === null) codes.push('[]');
        else if (e.type === 'SpreadElement') {
          spread(e.argument);
          spreads++;
          codes.push(`[-1,${at(e.start, e.end).split(',').slice(0, 2).join(',')}]`);
        } else codes.push(`[${at(e.start, e.end)}]`);
      }
      wrappers.push({
        start: node.start,
        end: node.end,
        prefix: `${runtime}.a(`,
        suffix: `,${fileIndex},${at(node.start, node.start + 1).split(',').slice(0, 2).join(',')},${lineOf(node.end - 1) + 1},[${codes.join(',')}],${spreads})`,
        rank: 1,
      });
    },
    CallExpression(node) {
      const callee = node.callee;
      const isAssign =
        callee.type === 'MemberExpression' && !callee.computed && !node.optional &&
        callee.object.type === 'Identifier' && callee.object.name === 'Object' &&
        callee.property.type === 'Identifier' && callee.property.name === 'assign';
      if (!isAssign || node.arguments.length === 0 || node.arguments.some((a) => a.type === 'SpreadElement')) return;
      for (const argument of node.arguments) spread(argument);
      const [line, column] = at(node.start, node.end).split(',');
      wrappers.push({
        start: node.start,
        end: node.end,
        prefix: `${runtime}.x(`,
        suffix: `,${fileIndex},${line},${column},${node.arguments.length})`,
        rank: -1,
      });
    },
  });
  return splice(text, wrappers);
}

function propertyKey(p: Acorn.Property): string | undefined {
  if (!p.computed && p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'Literal' && (typeof p.key.value === 'string' || typeof p.key.value === 'number')) return String(p.key.value);
  return undefined;
}

/** Applies the wrappers: at one offset, closing text of inner wrappers first, then opening text of outer ones. */
function splice(text: string, wrappers: Wrapper[]): string {
  const points: { at: number; close: boolean; order: number[]; text: string }[] = [];
  for (const w of wrappers) {
    points.push({ at: w.start, close: false, order: [-w.end, w.rank], text: w.prefix });
    points.push({ at: w.end, close: true, order: [-w.start, -w.rank], text: w.suffix });
  }
  points.sort((p, q) => p.at - q.at || Number(q.close) - Number(p.close) || p.order[0]! - q.order[0]! || p.order[1]! - q.order[1]!);
  let code = '';
  let last = 0;
  for (const p of points) {
    code += text.slice(last, p.at) + p.text;
    last = p.at;
  }
  return code + text.slice(last);
}

export function locationPlugin(recorder: LocationRecorder, runtime: string, projectDir: string): Plugin {
  const inProject = (file: string) => {
    const rel = path.relative(projectDir, file);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
  };
  return {
    name: 'chtkit-source-positions',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?js$/, namespace: 'file' }, async (args) => {
        if (!inProject(args.path)) return undefined;
        const text = await readFile(args.path, 'utf8');
        const index = recorder.addFile(args.path, text);
        const code = instrumentSource(text, index, runtime);
        return code === undefined ? undefined : { contents: code, loader: 'js' as const };
      });
    },
  };
}
