// Argument parsers shared by magic definitions. Each returns a parser for `parse(argText)`
// that throws MagicUsageError with the magic's usage when the text does not fit.
import { MagicUsageError } from './types';

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
