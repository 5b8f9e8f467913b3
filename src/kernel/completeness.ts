// is_complete for the console: decides, without running anything, whether a cell is a
// complete statement, needs more lines, or can never be valid. A small lexer tracks
// strings, comments and brackets, the way Python's and Scala's own tokenizers see them.
import type { IsCompleteResult } from '../jupyter/interpreter';
import type { KernelKind } from '../session/kinds';

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const INDENT_UNIT = '    ';

interface LexState {
  brackets: string[];
  /** The open triple-quoted string delimiter, or the open block comment. */
  openMultiline?: string;
  invalid: boolean;
  /** Offsets where a logical line starts (a newline outside brackets and strings). */
  logicalLineStarts: number[];
}

/** Opens or closes a bracket; false (and state.invalid) when a closer does not match. */
function trackBracket(c: string, state: LexState): boolean {
  if (c === '(' || c === '[' || c === '{') state.brackets.push(c);
  else if ((c === ')' || c === ']' || c === '}') && state.brackets.pop() !== PAIRS[c]) {
    state.invalid = true;
    return false;
  }
  return true;
}

function lexPython(code: string): LexState {
  const state: LexState = { brackets: [], invalid: false, logicalLineStarts: [0] };
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '#') {
      while (i < code.length && code[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = code.startsWith(c.repeat(3), i);
      const delimiter = triple ? c.repeat(3) : c;
      i += delimiter.length;
      let closed = false;
      while (i < code.length) {
        // A backslash keeps the next character inside the string, raw strings included.
        if (code[i] === '\\') {
          i += 2;
          continue;
        }
        if (code.startsWith(delimiter, i)) {
          i += delimiter.length;
          closed = true;
          break;
        }
        if (!triple && code[i] === '\n') break;
        i++;
      }
      if (!closed) {
        if (triple) state.openMultiline = delimiter;
        else state.invalid = true;
        return state;
      }
      continue;
    }
    if (c === '\n' && state.brackets.length === 0 && code[i - 1] !== '\\')
      state.logicalLineStarts.push(i + 1);
    if (!trackBracket(c, state)) return state;
    i++;
  }
  return state;
}

function lexScala(code: string): LexState {
  const state: LexState = { brackets: [], invalid: false, logicalLineStarts: [0] };
  let i = 0;
  while (i < code.length) {
    if (code.startsWith('//', i)) {
      while (i < code.length && code[i] !== '\n') i++;
      continue;
    }
    if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) {
        state.openMultiline = '/*';
        return state;
      }
      i = end + 2;
      continue;
    }
    if (code.startsWith('"""', i)) {
      const end = code.indexOf('"""', i + 3);
      if (end < 0) {
        state.openMultiline = '"""';
        return state;
      }
      i = end + 3;
      continue;
    }
    const c = code[i];
    if (c === '"') {
      i++;
      while (i < code.length && code[i] !== '"' && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
      if (code[i] !== '"') {
        state.invalid = true;
        return state;
      }
      i++;
      continue;
    }
    if (!trackBracket(c, state)) return state;
    i++;
  }
  return state;
}

function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function stripComment(line: string): string {
  // Good enough for the last line's trailing colon: a '#' inside a string on a block
  // header line is rare, and the lexer has already rejected unterminated strings.
  const hash = line.indexOf('#');
  return hash >= 0 ? line.slice(0, hash) : line;
}

export function checkComplete(code: string, kind: KernelKind): IsCompleteResult {
  if (code.trim() === '') return { status: 'complete' };
  const lines = code.split(/\r?\n/);
  const firstCodeLine = lines.find((l) => l.trim() !== '') ?? '';
  const endsWithBlankLine = lines.length > 1 && lines[lines.length - 1].trim() === '';
  if (firstCodeLine.trim().startsWith('%%')) {
    return endsWithBlankLine ? { status: 'complete' } : { status: 'incomplete', indent: '' };
  }
  const state = kind === 'spark' ? lexScala(code) : lexPython(code);
  if (state.invalid) return { status: 'invalid' };
  if (state.openMultiline) return { status: 'incomplete', indent: '' };
  const lastLine = [...lines].reverse().find((l) => l.trim() !== '') ?? '';
  if (state.brackets.length > 0)
    return { status: 'incomplete', indent: leadingWhitespace(lastLine) + INDENT_UNIT };
  if (kind === 'spark') return { status: 'complete' };
  if (/\\$/.test(lastLine)) return { status: 'incomplete', indent: leadingWhitespace(lastLine) };
  if (/:\s*$/.test(stripComment(lastLine))) {
    return { status: 'incomplete', indent: leadingWhitespace(lastLine) + INDENT_UNIT };
  }
  const lastLogicalLine =
    state.logicalLineStarts
      .map((start) => code.slice(start).split(/\r?\n/)[0])
      .reverse()
      .find((l) => l.trim() !== '') ?? '';
  const inBlock = leadingWhitespace(lastLogicalLine).length > 0;
  if (inBlock && !endsWithBlankLine)
    return { status: 'incomplete', indent: leadingWhitespace(lastLogicalLine) };
  return { status: 'complete' };
}
