// The request line's target as the emulator reads it, without `new URL()`: a target such as
// `//[` or `//a:99999/` is a valid HTTP request line but not a valid URL, and must get an answer
// rather than an exception. Nothing here throws, whatever the bytes.

export interface RequestTarget {
  /** The path as sent (still percent-encoded), '/' when empty. */
  pathname: string;
  /** The query string without '?' ('' when none). */
  search: string;
  searchParams: URLSearchParams;
}

export function parseRequestTarget(raw: string | undefined): RequestTarget {
  let target = raw ?? '/';
  // An absolute-form target (`GET http://host/path`): keep the path part only.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (absolute) target = target.slice(absolute[0].length);
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  const pathname = (q >= 0 ? target.slice(0, q) : target) || '/';
  const search = q >= 0 ? target.slice(q + 1) : '';
  return { pathname, search, searchParams: new URLSearchParams(search) };
}

/** decodeURIComponent that answers undefined for malformed percent-encoding instead of throwing. */
export function tryDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `Object.hasOwn` lookup: a wire-supplied key such as "constructor" or "__proto__" is just a missing key. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
