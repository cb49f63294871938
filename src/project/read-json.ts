import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as JsoncParser from 'jsonc-parser';
import { UserError } from '../errors.js';
import { locateOffset, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface JsonFile<T = unknown> {
  file: string;
  text: string;
  value: T;
}

const PLAIN_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing more was expected after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

// Loaded only when a file is broken: JSON.parse is faster on the (usual) valid path.
const jsonc = (): typeof JsoncParser => createRequire(import.meta.url)('jsonc-parser') as typeof JsoncParser;

function syntaxDiagnostic(file: string, text: string, error: JsoncParser.ParseError): Diagnostic {
  const code = jsonc().printParseErrorCode(error.error);
  return {
    severity: 'error',
    code: 'json/syntax',
    message: `Invalid JSON: ${PLAIN_WORDS[code] ?? code}.`,
    file,
    ...locateOffset(text, error.offset),
    length: Math.max(1, error.length),
  };
}

/** Parses JSON text strictly (no comments, no trailing commas), reporting the first error with its location. */
export function parseJsonText<T = unknown>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const errors: JsoncParser.ParseError[] = [];
    jsonc().parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    throw new UserError(`${file} is not valid JSON.`, {
      code: 'CHT_E_JSON_SYNTAX',
      diagnostics: first ? [syntaxDiagnostic(file, text, first)] : [],
      hint: first ? 'Fix the JSON at the location shown.' : (err as Error).message,
    });
  }
}

export function readJsonFile<T = unknown>(file: string): JsonFile<T> {
  const text = readFileSync(file, 'utf8');
  return { file, text, value: parseJsonText<T>(file, text.replace(/^\uFEFF/, '')) };
}
