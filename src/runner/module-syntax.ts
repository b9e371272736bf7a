import * as path from 'path';
import { displayPath } from '../bundle/paths';
import { InputError } from '../errors';
import { positionAt } from '../text-position';

/**
 * What the fast runner does with the parts of a TypeScript module that CommonJS has no form for. sucrase turns a
 * module into CommonJS (as the SDK's ts-node does), but leaves `import.meta` and a top-level `await` as they are,
 * which Node then refuses with a message about ES modules that names neither, and it drops a `namespace` holding
 * values and every decorator without a word, so the blueprint runs with them missing.
 * - `import.meta` is given its CommonJS meaning: `url`, `filename` and `dirname` of the file (as Node's ESM
 *   loader gives them), so a blueprint that finds its own folder with `fileURLToPath(import.meta.url)` runs.
 * - A top-level `await`, a decorator and a namespace that declares values are refused, naming the file, the line
 *   and what to write instead: the `--cache` runner's esbuild compiles the last two, but not the first.
 */

/** What a top-level `await` is refused with, by every runner. */
export const TOP_LEVEL_AWAIT = "a blueprint's modules run as CommonJS, as in the SDK, where 'await' is only valid inside an async function: move it into one (the blueprint's async synth() is awaited), or load the value with fs";

/** The name `import.meta` is rewritten to, bound by the line {@link importMetaDeclaration} puts first. */
export const IMPORT_META = '__importMeta';

/** A form of a module the fast runner cannot run as CommonJS: names the file, the line and what to change. */
export class UnsupportedSyntaxError extends InputError {
  constructor(message: string) {
    super(message, { name: 'UnsupportedSyntaxError' });
  }
}

/** The source of a TypeScript module with each `import.meta` renamed to {@link IMPORT_META}, and whether it had one. */
export interface CommonJsSource {
  readonly source: string;
  readonly importMeta: boolean;
}

/**
 * `source` (the file `filename`) made ready for sucrase: `import.meta` renamed (same line, so line numbers hold);
 * throws an {@link UnsupportedSyntaxError} for the first form it cannot give CommonJS.
 */
export function commonJsSource(source: string, filename: string): CommonJsSource {
  // sucrase's own parser, so that what is found is exactly what its transform sees (never text in a string).
  const { parse } = require('sucrase/dist/parser') as { parse: (code: string, jsx: boolean, ts: boolean, flow: boolean) => Parsed };
  const { TokenType: tt } = require('sucrase/dist/parser/tokenizer/types');
  const { ContextualKeyword: ck } = require('sucrase/dist/parser/tokenizer/keywords');
  const { tokens, scopes } = parsed(parse, source, filename);
  const text = (index: number) => (tokens[index] ? source.slice(tokens[index].start, tokens[index].end) : '');
  const refuse = (index: number, form: string, remedy: string): never => {
    const { line } = positionAt(source, tokens[index].start);
    throw new UnsupportedSyntaxError(`${displayed(filename)}:${line}: ${form}: ${remedy}`);
  };
  // Function scopes other than the program's own, which spans every token.
  const functions = scopes.filter(scope => scope.isFunctionScope && !(scope.startTokenIndex === 0 && scope.endTokenIndex >= tokens.length - 1));
  const metas: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (text(i) === 'import' && tokens[i + 1]?.type === tt.dot && text(i + 2) === 'meta') metas.push(token.start);
    else if (token.type === tt.at && !token.isType) {
      refuse(i, `a decorator (@${text(i + 1)})`, "the fast and sandbox runners strip types with sucrase, which drops decorators: apply the function yourself (a call after the class), or run with '--cache', whose esbuild compiles them as the tsconfig's experimentalDecorators says");
    } else if ((token.contextualKeyword === ck._namespace || token.contextualKeyword === ck._module) && tokens[i + 1]?.type === tt.name && text(i - 1) !== 'declare' && holdsValues(i)) {
      refuse(i, `namespace ${text(i + 1)} declares values`, "the fast and sandbox runners strip types with sucrase, which drops a namespace whole: make it an object or a module of its own, or run with '--cache', whose esbuild compiles namespaces");
    } else if (token.contextualKeyword === ck._await && token.type === tt.name && !functions.some(scope => scope.startTokenIndex <= i && i < scope.endTokenIndex)) {
      refuse(i, 'top-level await', TOP_LEVEL_AWAIT);
    }
  }
  if (metas.length === 0) return { source, importMeta: false };
  let rewritten = '';
  let at = 0;
  for (const start of metas) {
    rewritten += source.slice(at, start) + IMPORT_META;
    at = start + 'import.meta'.length;
  }
  return { source: rewritten + source.slice(at), importMeta: true };

  /** Whether the namespace whose keyword is token `keyword` declares anything but types (which sucrase may drop). */
  function holdsValues(keyword: number): boolean {
    let i = keyword + 1;
    while (i < tokens.length && tokens[i].type !== tt.braceL) i++;
    for (let depth = 0; i < tokens.length; i++) {
      if (tokens[i].type === tt.braceL || tokens[i].type === tt.dollarBraceL) depth++;
      else if (tokens[i].type === tt.braceR && --depth === 0) return false;
      else if (VALUE_KEYWORDS.has(text(i)) && ![':', '?'].includes(text(i + 1))) return true; // (not a property's key)
    }
    return false;
  }
}

/** The keywords that start a declaration of a value: a namespace holding one is compiled to an object. */
const VALUE_KEYWORDS = new Set(['const', 'let', 'var', 'function', 'class', 'enum']);

/**
 * The declaration of {@link IMPORT_META}, put on the first line of the transpiled module (after its
 * `"use strict";`), so that no line moves.
 */
export function importMetaDeclaration(): string {
  return `var ${IMPORT_META} = { url: require("url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname };`;
}

/**
 * The tokens and scopes of `source`. sucrase's parser names no file in its syntax error (only `(line:column)`),
 * and its stack is all sucrase's: the error is thrown again naming the file, with the place as its stack's frame,
 * so that the job's failure names the blueprint's line as it does for what the blueprint throws.
 */
function parsed(parse: (code: string, jsx: boolean, ts: boolean, flow: boolean) => Parsed, source: string, filename: string): Parsed {
  try {
    return parse(source, filename.endsWith('x'), true, false);
  } catch (error) {
    // The place from the offset where parsing stopped, counted as a stack frame counts (line and column from 1).
    const pos = (error as { pos?: number }).pos;
    if (!(error instanceof SyntaxError) || typeof pos !== 'number') throw error;
    const { line, column } = positionAt(source, pos);
    const place = `${line}:${column}`;
    const where = `${filename}:${place}`;
    const located = new SyntaxError(`${displayed(filename)}:${place}: ${error.message.replace(/ \(\d+:\d+\)$/, '')}`);
    located.stack = `SyntaxError: ${located.message}\n    at ${where}`;
    throw located;
  }
}

/** The file as a message names it: relative to the working directory (a job's is the blueprint folder) when inside it. */
function displayed(filename: string): string {
  return displayPath(filename).split(path.sep).join('/');
}

interface Parsed {
  tokens: { type: number; start: number; end: number; isType: boolean; contextualKeyword: number }[];
  scopes: { startTokenIndex: number; endTokenIndex: number; isFunctionScope: boolean }[];
}
