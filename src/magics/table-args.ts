// The options of %%sql and %display, as sparkmagic spells them: -n/--maxrows ROWS,
// -o/--output NAME, -q/--quiet. Anything else is an error, never ignored.
import { MagicUsageError } from './types';

export const MAX_TABLE_ROWS = 10_000;

export interface TableOptions {
  /** Rows for this cell (else the glue_sql_rows setting). */
  rows?: number;
  /** A local Python variable that receives the result as a pandas DataFrame. */
  output?: string;
  quiet: boolean;
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally ' +
    'for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

export function checkPythonName(name: string, usage: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || PYTHON_KEYWORDS.has(name))
    throw new MagicUsageError(
      `-o needs a Python variable name (letters, digits and _, not starting with a digit, not a keyword); got "${name}".`,
      usage,
    );
  return name;
}

function parseRows(text: string | undefined, usage: string): number {
  if (text === undefined) throw new MagicUsageError('-n needs a number of rows.', usage);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_TABLE_ROWS)
    throw new MagicUsageError(
      `-n takes a whole number of rows from 1 to ${MAX_TABLE_ROWS.toLocaleString('en-US')}; got "${text}".`,
      usage,
    );
  return Number(text);
}

/** Is this word an option (as opposed to an operand, like a negative number)? */
function looksLikeOption(word: string): boolean {
  return /^--?[A-Za-z]/.test(word);
}

/** Reads options from `words`, in order; any other word is an error. */
function readOptions(words: readonly string[], options: TableOptions, usage: string): void {
  let i = 0;
  while (i < words.length) {
    const word = words[i];
    const eq = word.indexOf('=');
    const flag = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    const inlineValue = word.startsWith('--') && eq > 0 ? word.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      i++;
      return words[i];
    };
    if (flag === '-n' || flag === '--maxrows') options.rows = parseRows(value(), usage);
    else if (/^-n\d+$/.test(flag)) options.rows = parseRows(flag.slice(2), usage);
    else if (flag === '-o' || flag === '--output') {
      const name = value();
      if (name === undefined) throw new MagicUsageError('-o needs a variable name.', usage);
      options.output = checkPythonName(name, usage);
    } else if (flag === '-q' || flag === '--quiet') {
      if (inlineValue !== undefined) throw new MagicUsageError('-q takes no value.', usage);
      options.quiet = true;
    } else if (looksLikeOption(word)) {
      throw new MagicUsageError(`Unknown option ${word}. The options are -n ROWS, -o NAME and -q.`, usage);
    } else {
      throw new MagicUsageError(`Unexpected argument "${word}".`, usage);
    }
    i++;
  }
}

export const SQL_USAGE = '%%sql [-n ROWS] [-o NAME] [-q]';
export const DISPLAY_USAGE = '%display <dataframe expression> [-n ROWS] [-o NAME]';

/** The options on a %%sql line. */
export function parseSqlOptions(argText: string): TableOptions {
  const options: TableOptions = { quiet: false };
  const words = argText.trim() === '' ? [] : argText.trim().split(/\s+/);
  readOptions(words, options, SQL_USAGE);
  return options;
}

/**
 * %display's expression and its options after it. From the first word that looks like an
 * option (" -x", " --xyz") on, every word must be an option: a typo is an error, not part of
 * the expression.
 */
export function parseDisplayArguments(argText: string): { expression: string; options: TableOptions } {
  const options: TableOptions = { quiet: false };
  const text = argText.trim();
  const trailing = /(^|\s)(--?[A-Za-z][\w-]*(?:=\S*)?(?:\s.*)?)$/s.exec(text);
  let expression = text;
  if (trailing) {
    expression = text.slice(0, trailing.index + trailing[1].length).trim();
    readOptions(trailing[2].trim().split(/\s+/), options, DISPLAY_USAGE);
  }
  if (expression === '') throw new MagicUsageError('Missing the DataFrame expression.', DISPLAY_USAGE);
  if (options.quiet && options.output === undefined)
    throw new MagicUsageError('-q without -o would do nothing: %display only shows a table.', DISPLAY_USAGE);
  return { expression, options };
}
