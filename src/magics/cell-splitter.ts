// Splits a cell the way the reference kernel does (glue-kernel.md §1): leading line magics,
// comments and blank lines are taken from the top; a cell magic takes the rest of the cell
// as its body; the first other line starts the code, which is sent to the session verbatim.
// Unlike the reference, %matplot and %plotly are session magics: they start the code, so a
// cell that begins with them reaches the session instead of failing locally.

export interface MagicInvocation {
  name: string;
  argText: string;
  /** 0-based line in the cell, for error messages. */
  line: number;
}

export interface CellMagicInvocation extends MagicInvocation {
  body: string;
}

export interface SplitCell {
  lineMagics: MagicInvocation[];
  cellMagic?: CellMagicInvocation;
  /** Lines starting with "!" in the magic block (shell escapes, which glue-kernel refuses). */
  shellEscapes: MagicInvocation[];
  code: string;
}

/** Magics that belong to the remote session's REPL, not to the kernel. */
export const SESSION_MAGICS = new Set(['matplot', 'plotly']);

const MAGIC_LINE = /^%(%?)([A-Za-z_][\w-]*)(?:\s+(.*))?$/s;

/**
 * Drops a trailing comment from a magic's argument, as Python does: a "#" that starts the
 * argument or follows whitespace, outside quotes. A "#" inside a value (team#1, "a #b") stays.
 * This applies to every magic line, so one-line cell bodies (%%configure {…}  # note) too.
 */
export function stripComment(argText: string): string {
  let quote: string | undefined;
  for (let i = 0; i < argText.length; i++) {
    const c = argText[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && (i === 0 || !/\w/.test(argText[i - 1]))) {
      // A quote after a letter (it's) is an apostrophe, not the start of a string.
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(argText[i - 1]))) {
      return argText.slice(0, i).trim();
    }
  }
  return argText;
}

export function parseMagicLine(line: string): { cell: boolean; name: string; argText: string } | undefined {
  const match = MAGIC_LINE.exec(line.trim());
  if (!match) return undefined;
  return { cell: match[1] === '%', name: match[2], argText: stripComment((match[3] ?? '').trim()) };
}

export function splitCell(cell: string): SplitCell {
  const lines = cell.split(/\r?\n/);
  const result: SplitCell = { lineMagics: [], shellEscapes: [], code: '' };
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('!')) {
      result.shellEscapes.push({ name: '!', argText: trimmed.slice(1).trim(), line: i });
      continue;
    }
    const magic = trimmed.startsWith('%') ? parseMagicLine(trimmed) : undefined;
    if (magic && !SESSION_MAGICS.has(magic.name)) {
      if (magic.cell) {
        result.cellMagic = {
          name: magic.name,
          argText: magic.argText,
          line: i,
          body: lines.slice(i + 1).join('\n'),
        };
        return result;
      }
      result.lineMagics.push({ name: magic.name, argText: magic.argText, line: i });
      continue;
    }
    result.code = lines.slice(i).join('\n');
    return result;
  }
  return result;
}
