// String literals for code the kernel generates: a user's text (a SQL query, an expression)
// becomes a literal whose value is exactly that text, in Python or in Scala. Triple quotes are
// not enough in either language: both still interpret backslashes, and a closing quote in the
// text ends the literal early.

/** Control characters (C0, DEL, C1) that are written as escapes rather than raw. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** Iterating a string by code points yields a surrogate only when it is unpaired. */
function isLoneSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/** Escapes both languages spell the same way. */
const COMMON_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A double-quoted literal: named escapes first, then `other` for every remaining character. */
function quoted(
  text: string,
  named: Readonly<Record<string, string>>,
  other: (ch: string, code: number) => string,
): string {
  let out = '"';
  for (const ch of text) {
    const escape = Object.hasOwn(named, ch) ? named[ch] : undefined;
    if (escape !== undefined) out += escape;
    else {
      const code = ch.codePointAt(0) ?? 0;
      // A lone UTF-16 surrogate cannot be carried by UTF-8 source: it becomes U+FFFD.
      out += isLoneSurrogate(code) ? '\ufffd' : other(ch, code);
    }
  }
  return out + '"';
}

/**
 * A Python 3 str literal ("…") whose value is `text`. Non-ASCII characters stay as they are
 * (Python source is UTF-8); a lone UTF-16 surrogate, which UTF-8 cannot carry, becomes U+FFFD.
 */
export function pythonStringLiteral(text: string): string {
  return quoted(text, COMMON_ESCAPES, (ch, code) => {
    // U+2028/2029 are ordinary characters to Python but line ends to some editors and logs.
    if (CONTROL.test(ch)) return `\\x${hex(code, 2)}`;
    if (code === 0x2028 || code === 0x2029) return `\\u${hex(code, 4)}`;
    return ch;
  });
}

const SCALA_ESCAPES: Readonly<Record<string, string>> = { ...COMMON_ESCAPES, '\b': '\\b', '\f': '\\f' };

/**
 * A Scala string literal ("…") whose value is `text`, for Scala 2.12/2.13 (Glue's) and 3.
 * Scala 2 turns \uXXXX into its character before it reads the literal, unless the backslash
 * is itself escaped: every backslash is doubled, so a typed "\u0022" stays text. Control
 * characters are written as \uXXXX, which in a literal always stands for that one character
 * (never a line end: \n, \r, \t, \b and \f use their named escapes).
 */
export function scalaStringLiteral(text: string): string {
  return quoted(text, SCALA_ESCAPES, (ch, code) =>
    CONTROL.test(ch) || code === 0x2028 || code === 0x2029 ? `\\u${hex(code, 4)}` : ch,
  );
}
