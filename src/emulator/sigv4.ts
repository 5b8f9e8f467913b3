// AWS Signature Version 4 verification (header form), with node:crypto only. The emulator
// verifies every API request against the credentials it was started with, the way AWS does:
// parse the Authorization header, rebuild the canonical request from the bytes received,
// derive the signing key from the secret and compare signatures in constant time.
// Protocol-neutral: the result names a failure kind; server.ts maps it to the JSON 1.1 or
// query-protocol error of the service being called.
import * as crypto from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's X-Amz-Date may be from the server clock, as AWS allows. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

export type AuthFailureKind =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'UnrecognizedClient'
  | 'InvalidSignature'
  | 'SignatureExpired'
  | 'ExpiredToken';

export interface AuthFailure {
  ok: false;
  kind: AuthFailureKind;
  message: string;
  /** The access key id the request named, when it could be parsed (for the call log). */
  accessKeyId?: string;
}

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface AuthSuccess {
  ok: true;
  scope: CredentialScope;
  signedHeaders: string[];
}

/** What the verifier needs to know about an access key. */
export interface KnownCredential {
  secretAccessKey: string;
  /** Set for temporary credentials (from the emulator's STS): the request must carry this token. */
  sessionToken?: string;
  /** True once the credential has expired (naturally or by the admin path). */
  expired?: boolean;
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path plus optional ?query, still URI-encoded. */
  url: string;
  /** Node's rawHeaders: [name, value, name, value, ...]. */
  rawHeaders: string[];
  body: Buffer;
}

export function sha256Hex(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

const signingKeyCache = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"), cached per scope. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
  let key = signingKeyCache.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeyCache.size > 256) signingKeyCache.clear();
    signingKeyCache.set(cacheKey, key);
  }
  return key;
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

/** Canonical URI for every service but S3: dot segments removed, each segment encoded again. */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.map(uriEscape).join('/')}${trailing}`;
}

export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEscape(safeDecode(k)), uriEscape(safeDecode(v))] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header name (lowercase) → values in arrival order, from Node's rawHeaders. */
export function headerMap(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const list = map.get(name);
    if (list) list.push(rawHeaders[i + 1]);
    else map.set(name, [rawHeaders[i + 1]]);
  }
  return map;
}

function canonicalHeaderValue(values: string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export interface ParsedAuthorization {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/glue/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string): ParsedAuthorization | AuthFailure {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    return {
      ok: false,
      kind: 'IncompleteSignature',
      message: `Authorization header requires '${ALGORITHM}' as the algorithm.`,
    };
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [
    credential ? '' : "'Credential'",
    signedHeaders ? '' : "'SignedHeaders'",
    signature ? '' : "'Signature'",
  ].filter(Boolean);
  if (!credential || !signedHeaders || !signature) {
    return {
      ok: false,
      kind: 'IncompleteSignature',
      message: `Authorization header requires ${missing.join(', ')} parameter${missing.length > 1 ? 's' : ''}. Authorization=${ALGORITHM} ...`,
    };
  }
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]) || !parts[0]) {
    return {
      ok: false,
      kind: 'IncompleteSignature',
      message: `Credential should be scoped to a valid region, service and date, and end in 'aws4_request'. Credential=${credential}`,
      accessKeyId: parts[0] || undefined,
    };
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    return {
      ok: false,
      kind: 'IncompleteSignature',
      message: 'Signature must be 64 lowercase hexadecimal characters.',
      accessKeyId: parts[0],
    };
  }
  return {
    scope: { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] },
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature,
  };
}

/** 20261126T084944Z → Date, or undefined. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function timingSafeEqualText(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    crypto.timingSafeEqual(ab, ab); // keep the work similar; the lengths themselves are not secret
    return false;
  }
  return crypto.timingSafeEqual(ab, bb);
}

export interface VerifyOptions {
  lookup(accessKeyId: string): KnownCredential | undefined;
  now?: Date;
}

/** Builds the canonical request and the string to sign for a request (exported for tests and debugging). */
export function stringToSign(
  request: SignedRequest,
  headers: Map<string, string[]>,
  auth: ParsedAuthorization,
  amzDate: string,
  payloadHash: string,
): { canonicalRequest: string; stringToSign: string } {
  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
  const canonicalHeaders = auth.signedHeaders
    .map((h) => `${h}:${canonicalHeaderValue(headers.get(h) ?? [])}\n`)
    .join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.scope.date}/${auth.scope.region}/${auth.scope.service}/aws4_request`;
  return {
    canonicalRequest,
    stringToSign: [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n'),
  };
}

/** Verifies a SigV4-signed request. Order of checks follows AWS: header → key → token → time → payload → signature. */
export function verifySigV4(request: SignedRequest, options: VerifyOptions): AuthSuccess | AuthFailure {
  const headers = headerMap(request.rawHeaders);
  const authorization = headers.get('authorization')?.[0];
  if (!authorization) {
    return { ok: false, kind: 'MissingAuthenticationToken', message: 'Missing Authentication Token' };
  }
  const auth = parseAuthorization(authorization);
  if ('ok' in auth) return auth;
  const accessKeyId = auth.scope.accessKeyId;
  const fail = (kind: AuthFailureKind, message: string): AuthFailure => ({
    ok: false,
    kind,
    message,
    accessKeyId,
  });

  if (!auth.signedHeaders.includes('host')) {
    return fail(
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const amzDate = headers.get('x-amz-date')?.[0];
  let requestTime: Date | undefined;
  let amzDateText: string;
  if (amzDate) {
    requestTime = parseAmzDate(amzDate);
    amzDateText = amzDate;
  } else {
    const httpDate = headers.get('date')?.[0];
    const t = httpDate ? Date.parse(httpDate) : NaN;
    requestTime = Number.isNaN(t) ? undefined : new Date(t);
    amzDateText = requestTime ? formatAmzDate(requestTime) : '';
  }
  if (!requestTime) {
    return fail(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (!auth.signedHeaders.includes(amzDate ? 'x-amz-date' : 'date')) {
    return fail(
      'IncompleteSignature',
      `'${amzDate ? 'X-Amz-Date' : 'Date'}' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  }

  const known = options.lookup(accessKeyId);
  if (!known) return fail('UnrecognizedClient', 'The security token included in the request is invalid.');
  const token = headers.get('x-amz-security-token')?.[0];
  if (known.sessionToken !== undefined || token !== undefined) {
    if (
      known.sessionToken === undefined ||
      token === undefined ||
      !timingSafeEqualText(token, known.sessionToken)
    ) {
      return fail('UnrecognizedClient', 'The security token included in the request is invalid.');
    }
  }
  if (known.expired) return fail('ExpiredToken', 'The security token included in the request is expired');

  const now = options.now ?? new Date();
  const fmtNow = formatAmzDate(now);
  if (requestTime.getTime() < now.getTime() - MAX_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() - MAX_SKEW_MS));
    return fail(
      'SignatureExpired',
      `Signature expired: ${amzDateText} is now earlier than ${limit} (${fmtNow} - 15 min.)`,
    );
  }
  if (requestTime.getTime() > now.getTime() + MAX_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS));
    return fail(
      'SignatureExpired',
      `Signature not yet current: ${amzDateText} is still later than ${limit} (${fmtNow} + 15 min.)`,
    );
  }
  if (amzDateText.slice(0, 8) !== auth.scope.date) {
    return fail(
      'InvalidSignature',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scope.date}' != '${amzDateText.slice(0, 8)}', from '${amzDateText}'.`,
    );
  }

  const bodyHash = sha256Hex(request.body);
  const claimedHash = headers.get('x-amz-content-sha256')?.[0];
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    return fail(
      'InvalidSignature',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const { stringToSign: sts } = stringToSign(request, headers, auth, amzDateText, claimedHash ?? bodyHash);
  const key = signingKey(known.secretAccessKey, auth.scope.date, auth.scope.region, auth.scope.service);
  const expected = crypto.createHmac('sha256', key).update(sts, 'utf8').digest('hex');
  if (!timingSafeEqualText(expected, auth.signature)) {
    return fail(
      'InvalidSignature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, scope: auth.scope, signedHeaders: auth.signedHeaders };
}
