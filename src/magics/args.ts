// Argument parsers shared by magic definitions. Each returns a parser for `parse(argText)`
// that throws MagicUsageError with the magic's usage when the text does not fit.
import { MagicUsageError, type MagicPosition } from './types';

/** Strips one pair of matching quotes, as the reference's _strip_quotes does. */
export function stripQuotes(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0])
    return t.slice(1, -1).trim();
  return t;
}

export function noArguments(usage: string): (argText: string) => void {
  return (argText) => {
    if (argText.trim() !== '')
      throw new MagicUsageError(`This magic takes no argument (got "${argText.trim()}").`, usage);
  };
}

export function requiredArgument(usage: string, what: string): (argText: string) => string {
  return (argText) => {
    const value = stripQuotes(argText);
    if (value === '') throw new MagicUsageError(`Missing ${what}.`, usage);
    return value;
  };
}

export function optionalArgument(argText: string): string | undefined {
  const value = stripQuotes(argText);
  return value === '' ? undefined : value;
}

/** A cell magic's options and body, wherever the body was written. */
export interface CellArguments {
  /** The options given, e.g. {"-f"}; each is one of the magic's accepted options. */
  options: Set<string>;
  body: string;
  /** The 1-based cell line of the body's first line. */
  firstLine: number;
}

const OPTION = /^(-{1,2}[A-Za-z][\w-]*)(?:\s+|$)/;

/**
 * Splits a cell magic's line into leading options and an inline body, so that the body may be
 * written on the magic line itself (%%configure -f {"a": 1}, as %help shows) or below it, but
 * not both. `accepted` lists the options the magic takes (all spellings).
 */
export function cellArguments(
  argText: string,
  body: string,
  usage: string,
  accepted: readonly string[],
  position: MagicPosition = { line: 1, bodyLine: 2 },
): CellArguments {
  const magic = usage.split(/\s/, 1)[0];
  const options = new Set<string>();
  let rest = argText.trim();
  for (let m = OPTION.exec(rest); m; m = OPTION.exec(rest)) {
    if (!accepted.includes(m[1])) {
      throw new MagicUsageError(
        `Unknown option ${m[1]} for ${magic}.` +
          (accepted.length ? ` It accepts ${accepted.join(', ')}.` : ' It takes no options.'),
        usage,
      );
    }
    options.add(m[1]);
    rest = rest.slice(m[0].length);
  }
  if (rest === '') return { options, body, firstLine: position.bodyLine };
  if (body.replace(/#[^\n]*/g, '').trim() !== '') {
    throw new MagicUsageError(
      `${magic} got a body both on its own line and below it; write it in one place (on the magic line for one line, below it for more).`,
      usage,
    );
  }
  return { options, body: rest, firstLine: position.line };
}
