// Errors for people: every AWS failure that reaches the user says what failed, what the
// service said, and what to do next. Credentials and tokens never appear: the service's
// message is passed through a redactor that masks anything shaped like a key or token.
import { redactor } from '../../log/logger';
import { isAbortError } from './poll';
import { classifyError, errorCode, httpStatus, type RetriesExhausted } from './retry';

/** An error the kernel shows as is: `ename` is the Jupyter error name, `message` the text. */
export class GlueKernelError extends Error {
  constructor(
    readonly ename: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GlueKernelError';
  }
}

/**
 * Any error as a GlueKernelError: one that carries a Jupyter `ename` keeps it, a ConfigError
 * keeps its name, others are named after their class.
 */
export function kernelError(err: unknown): GlueKernelError {
  if (err instanceof GlueKernelError) return err;
  if (err instanceof Error) {
    const ename = (err as { ename?: unknown }).ename;
    if (typeof ename === 'string') return new GlueKernelError(ename, err.message, { cause: err });
    if (err.name === 'ConfigError') return new GlueKernelError('ConfigError', err.message, { cause: err });
    return new GlueKernelError(err.name && err.name !== 'Error' ? err.name : 'GlueKernelError', err.message, {
      cause: err,
    });
  }
  return new GlueKernelError('GlueKernelError', String(err));
}

/** Access key ids (AKIA…, ASIA…) — not secret, but nobody needs to see them in a notebook. */
const ACCESS_KEY_ID = /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;

/** The service's message, with anything that looks like a credential masked. */
export function safeMessage(err: unknown): string {
  let text: string;
  if (err instanceof Error) text = err.message;
  else if (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { message?: unknown }).message === 'string'
  )
    text = (err as { message: string }).message;
  else text = String(err);
  text = redactor.redact(text).replace(ACCESS_KEY_ID, (m) => `${m.slice(0, 4)}…`);
  text = text.trim();
  if (text === '' || text === 'UnknownError') return 'no message';
  return text;
}

/** The IAM action a Glue/STS/IAM operation needs ("glue:CreateSession"). */
export function iamAction(operation: string): string {
  if (operation === 'GetCallerIdentity' || operation === 'AssumeRole') return `sts:${operation}`;
  if (operation === 'GetRole') return `iam:${operation}`;
  return `glue:${operation}`;
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'TokenProviderError',
  'RequestExpired',
]);

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function nodeCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 5) return undefined;
  const e = err as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  return nodeCode(e.cause, depth + 1);
}

export interface DescribeContext {
  /** The API operation, e.g. "CreateSession". */
  operation: string;
  /** What we were doing, for the first words: "Creating the Glue session". */
  doing: string;
  /** The credential source, in words ("profile dev", "the default credential chain"). */
  credentialSource?: string;
  /** The endpoint or region, for network errors. */
  where?: string;
}

/** Turns any error from an AWS call into a GlueKernelError with a message for people. */
export function describeAwsError(err: unknown, ctx: DescribeContext): GlueKernelError {
  if (err instanceof GlueKernelError) return err;
  if (isAbortError(err))
    return new GlueKernelError('Interrupted', `${ctx.doing} was interrupted.`, { cause: err });
  const code = errorCode(err) ?? 'Error';
  // The service's text usually ends with a period; the sentences added below bring their own.
  const said = safeMessage(err).replace(/\.\s*$/, '');
  const head = `${ctx.doing} failed: ${ctx.operation} returned ${code}: ${said}`;
  const source = ctx.credentialSource ?? 'your AWS credentials';
  const exhausted = (err as RetriesExhausted | undefined)?.$retriesExhausted;
  const status = httpStatus(err);
  const net = nodeCode(err);

  if (
    CREDENTIAL_CODES.has(code) ||
    /\bSSO\b.*(expired|refresh)|token.*expired|could not load credentials/i.test(said)
  ) {
    return new GlueKernelError(
      'AwsCredentialsError',
      `${ctx.doing} failed: the AWS credentials from ${source} are missing, invalid or expired (${code}: ${said}). ` +
        'To fix: for an SSO profile run `aws sso login --profile <name>` in a terminal; otherwise check the profile ' +
        '(%profile, AWS_PROFILE) and the keys in ~/.aws/credentials or the environment. Then run the cell again ' +
        '(no kernel restart is needed: credentials are read again on the next call).',
      { cause: err },
    );
  }
  if (
    (code === 'AccessDeniedException' || code === 'AccessDenied' || status === 403) &&
    ctx.operation === 'AssumeRole'
  ) {
    return new GlueKernelError(
      'AccessDenied',
      `${head}. Your base credentials may not assume this role: they need sts:AssumeRole on it, and the role's trust policy must name them. Check the role ARN, or use %profile / credentials that may assume it.`,
      { cause: err },
    );
  }
  if (code === 'AccessDeniedException' || code === 'AccessDenied' || status === 403) {
    const action = iamAction(ctx.operation);
    const passRole = ctx.operation === 'CreateSession' ? ' and iam:PassRole on the session role' : '';
    return new GlueKernelError(
      'AccessDenied',
      `${head}. Your credentials (${source}) are not allowed to call ${action}. Ask your administrator for ${action}${passRole}, or switch to credentials that have it (%profile, %%assume_role).`,
      { cause: err },
    );
  }
  if (exhausted && exhausted.kind === 'throttling') {
    return new GlueKernelError(
      'Throttled',
      `${ctx.doing} failed: AWS Glue is throttling ${ctx.operation} requests (still ${code} after ${exhausted.attempts} attempts): ${said}. Wait a little and try again; if it persists, other jobs or notebooks in the account may be using up the Glue API rate.`,
      { cause: err },
    );
  }
  if (exhausted) {
    return new GlueKernelError(
      'GlueServiceError',
      `${head} (after ${exhausted.attempts} attempts). This is usually temporary on the service side: try again in a moment.`,
      { cause: err },
    );
  }
  if (net && NETWORK_CODES.has(net)) {
    const tls = net.startsWith('CERT') || net.includes('SIGNATURE') || net.includes('SELF_SIGNED');
    return new GlueKernelError(
      'NetworkError',
      tls
        ? `${ctx.doing} failed: the TLS certificate of ${ctx.where ?? 'the endpoint'} could not be verified (${net}). TLS verification stays on; if a corporate proxy re-signs traffic, give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`
        : `${ctx.doing} failed: could not reach ${ctx.where ?? 'the AWS endpoint'} (${net}). Check the region (%region), the endpoint (%endpoint), and your network or proxy settings.`,
      { cause: err },
    );
  }
  if (code === 'ResourceNumberLimitExceededException') {
    return new GlueKernelError(
      'LimitExceeded',
      `${head}. A Glue quota was reached (for example the number of concurrent sessions). Stop sessions you no longer need (%list_sessions, %delete_session <id>) or ask for a higher quota.`,
      { cause: err },
    );
  }
  if (code === 'EntityNotFoundException')
    return new GlueKernelError('EntityNotFound', `${head}.`, { cause: err });
  if (code === 'InvalidInputException' || code === 'ValidationException') {
    return new GlueKernelError(
      code.replace(/Exception$/, ''),
      `${head}. Check the session settings (%status shows the current ones, %help lists the magics).`,
      { cause: err },
    );
  }
  if (classifyError(err) !== 'permanent') {
    return new GlueKernelError(
      'GlueServiceError',
      `${head}. This is usually temporary: try again in a moment.`,
      { cause: err },
    );
  }
  return new GlueKernelError(code === 'Error' ? 'GlueError' : code.replace(/Exception$/, ''), `${head}.`, {
    cause: err,
  });
}
