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

/**
 * A Python 3 str literal ("…") whose value is `text`. Non-ASCII characters stay as they are
 * (Python source is UTF-8); a lone UTF-16 surrogate, which UTF-8 cannot carry, becomes U+FFFD.
 */
export function pythonStringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // U+2028/2029 are ordinary characters to Python but line ends to some editors and logs.
        if (isLoneSurrogate(code)) out += '\ufffd';
        else if (CONTROL.test(ch)) out += `\\x${hex(code, 2)}`;
        else if (code === 0x2028 || code === 0x2029) out += `\\u${hex(code, 4)}`;
        else out += ch;
      }
    }
  }
  return out + '"';
}

/**
 * A Scala string literal ("…") whose value is `text`, for Scala 2.12/2.13 (Glue's) and 3.
 * Scala 2 turns \uXXXX into its character before it reads the literal, unless the backslash
 * is itself escaped: every backslash is doubled, so a typed "\u0022" stays text. Control
 * characters are written as \uXXXX, which in a literal always stands for that one character
 * (never a line end: \n, \r, \t, \b and \f use their named escapes).
 */
export function scalaStringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        if (isLoneSurrogate(code)) out += '\ufffd';
        else if (CONTROL.test(ch) || code === 0x2028 || code === 0x2029) out += `\\u${hex(code, 4)}`;
        else out += ch;
      }
    }
  }
  return out + '"';
}
