import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { lineTextAt } from '../diagnostics/diagnostic.js';

export interface SourcePosition {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  lineText?: string;
}

export interface StackFrame {
  functionName?: string;
  position: SourcePosition;
}

/**
 * Maps positions in generated code (a bundle evaluated under a known file name) back to the project's
 * source files, so errors thrown by user code point at the user's line, not the bundle's.
 */
export class BundleMapper {
  private readonly map: SourceMap;

  constructor(
    mapJson: string,
    private readonly projectDir: string,
    /** Lines added in front of the bundle by the wrapper that evaluates it. */
    private readonly lineOffset = 0,
  ) {
    this.map = new SourceMap(JSON.parse(mapJson) as never);
  }

  /** 1-based generated line/column (as in a V8 stack) → the original position, if it maps into a project file. */
  original(line: number, column: number): SourcePosition | undefined {
    const entry = this.map.findEntry(line - 1 - this.lineOffset, column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry || entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    // The generated entry module (stdin) is chtkit's, not the user's: it has no place in a user-facing stack.
    if (/^(<|%3C)/.test(entry.originalSource)) return undefined;
    const source = entry.originalSource.startsWith('file://')
      ? new URL(entry.originalSource).pathname
      : path.resolve(this.projectDir, entry.originalSource);
    const pos: SourcePosition = { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
    const text = safeLineText(source, pos.line);
    if (text !== undefined) pos.lineText = text;
    return pos;
  }

  /** The frames of an error's stack that ran in the bundle, mapped; chtkit's own runtime frames are kept too. */
  frames(stack: string | undefined, bundleFile: string): StackFrame[] {
    if (!stack) return [];
    const frames: StackFrame[] = [];
    const escaped = bundleFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`at (?:(.+?) \\()?${escaped}:(\\d+):(\\d+)\\)?`);
    for (const line of stack.split('\n')) {
      const m = re.exec(line);
      if (!m) continue;
      const position = this.original(Number(m[2]), Number(m[3]));
      // esbuild names a CommonJS module's wrapper after its file; that frame is the module's top level.
      const name = m[1] && !/\.[cm]?js$/.test(m[1]) ? m[1] : undefined;
      if (position) frames.push({ ...(name ? { functionName: name } : {}), position });
    }
    return frames;
  }
}

const fileCache = new Map<string, string | undefined>();
function safeLineText(file: string, line: number): string | undefined {
  if (!fileCache.has(file)) {
    try {
      fileCache.set(file, readFileSync(file, 'utf8'));
    } catch {
      fileCache.set(file, undefined);
    }
  }
  const text = fileCache.get(file);
  return text === undefined ? undefined : lineTextAt(text, line);
}

/** True for frames inside chtkit's own runtime modules (bundled emitters) rather than the user's project. */
export function isRuntimeFrame(frame: StackFrame): boolean {
  return /[\\/]bundle[\\/]runtime[\\/]/.test(frame.position.file) || frame.position.file.includes('node_modules');
}
