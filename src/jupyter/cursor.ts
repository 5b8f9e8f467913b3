// Jupyter counts `cursor_pos`, `cursor_start` and `cursor_end` in Unicode code points (protocol 5.2);
// JavaScript strings index UTF-16 code units. An astral character (emoji, many CJK extension
// characters) is one code point but two code units, so the two counts drift apart after one.

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Width in code units of the character starting at `index` (2 for a surrogate pair, else 1). */
function widthAt(text: string, index: number): number {
  return isHighSurrogate(text.charCodeAt(index)) &&
    index + 1 < text.length &&
    isLowSurrogate(text.charCodeAt(index + 1))
    ? 2
    : 1;
}

/**
 * The UTF-16 index of the position `codePoints` code points into `text`.
 * Clamped to `[0, text.length]`; a lone surrogate counts as one code point.
 */
export function codePointsToUtf16Index(text: string, codePoints: number): number {
  if (!Number.isFinite(codePoints) || codePoints <= 0) return 0;
  let index = 0;
  let count = 0;
  while (index < text.length && count < codePoints) {
    index += widthAt(text, index);
    count += 1;
  }
  return index;
}

/**
 * The number of code points before the UTF-16 index `index` in `text`.
 * Clamped to `[0, text.length]`; an index inside a surrogate pair rounds up to the pair's end.
 */
export function utf16IndexToCodePoints(text: string, index: number): number {
  if (!Number.isFinite(index) || index <= 0) return 0;
  const end = Math.min(index, text.length);
  let position = 0;
  let count = 0;
  while (position < end) {
    position += widthAt(text, position);
    count += 1;
  }
  return count;
}

/** The length of `text` in code points. */
export function codePointLength(text: string): number {
  return utf16IndexToCodePoints(text, text.length);
}
