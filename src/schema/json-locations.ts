import { createRequire } from 'node:module';
import type * as JsoncParser from 'jsonc-parser';
import { locateOffset } from '../diagnostics/diagnostic.js';
import type { Segment, SchemaProblem } from './schema-errors.js';

const require = createRequire(import.meta.url);
let jsonc: typeof JsoncParser | undefined;

export interface TextLocation {
  line: number;
  column: number;
  length: number;
  lineText: string;
}

/** Finds schema problems in the text of a JSON file, by walking the parse tree along each problem's path. */
export class JsonLocator {
  private tree: JsoncParser.Node | undefined;

  constructor(private readonly text: string) {}

  locate(path: readonly Segment[], target: SchemaProblem['target']): TextLocation | undefined {
    jsonc ??= require('jsonc-parser') as typeof JsoncParser;
    this.tree ??= jsonc.parseTree(this.text, [], { disallowComments: false, allowTrailingComma: true });
    if (!this.tree) return undefined;
    // A missing key is shown at the object that lacks it.
    let wanted = target === 'missing' ? path.slice(0, -1) : [...path];
    let node = jsonc.findNodeAtLocation(this.tree, wanted);
    while (!node && wanted.length) {
      wanted = wanted.slice(0, -1);
      node = jsonc.findNodeAtLocation(this.tree, wanted);
    }
    if (!node) return undefined;
    const exact = wanted.length === (target === 'missing' ? path.length - 1 : path.length);
    if (exact && target === 'key' && node.parent?.type === 'property' && node.parent.children?.[0]) {
      node = node.parent.children[0];
    }
    const length = node.type === 'object' || node.type === 'array' ? 1 : node.length;
    const where = locateOffset(this.text, node.offset);
    return { ...where, length: Math.max(1, Math.min(length, where.lineText.length - where.column + 1)) };
  }
}
