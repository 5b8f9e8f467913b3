// The few STS and IAM calls a kernel makes, in their own protocol (AWS query: a form-encoded
// POST with Action=...&Version=..., XML responses): STS GetCallerIdentity and AssumeRole,
// IAM GetRole. Enough for role discovery, the owner tag and assume-role profiles to work
// against the emulator through AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM.
import type { CredentialStore, Principal } from './credentials';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const QUERY_SERVICES = {
  sts: { namespace: STS_NAMESPACE, version: '2011-06-15' },
  iam: { namespace: IAM_NAMESPACE, version: '2010-05-08' },
};
export type QueryService = keyof typeof QUERY_SERVICES;

export interface QueryResult {
  status: number;
  body: string;
  /** Error code, for the call log. */
  errorCode?: string;
}

export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

function element(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function success(service: QueryService, action: string, result: string, requestId: string): QueryResult {
  const ns = QUERY_SERVICES[service].namespace;
  return {
    status: 200,
    body:
      `<${action}Response xmlns="${ns}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
      `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
  };
}

/** The query protocol's error envelope. Sender errors are the caller's fault, Receiver ones the service's. */
export function queryError(
  service: QueryService,
  status: number,
  code: string,
  message: string,
  requestId: string,
): QueryResult {
  const ns = QUERY_SERVICES[service].namespace;
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    errorCode: code,
    body:
      `<ErrorResponse xmlns="${ns}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(code)}</Code>\n` +
      `    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

function validationError(service: QueryService, requestId: string, messages: string[]): QueryResult {
  const n = messages.length;
  return queryError(
    service,
    400,
    'ValidationError',
    `${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`,
    requestId,
  );
}

function lengthRule(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  pattern: RegExp | undefined,
  out: string[],
): void {
  if (value === undefined) {
    out.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  if (value.length < min)
    out.push(
      `Value '${value}' at '${name}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
    );
  if (value.length > max)
    out.push(
      `Value '${value}' at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  if (pattern && !pattern.test(value))
    out.push(
      `Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
    );
}

export interface QueryContext {
  service: QueryService;
  params: URLSearchParams;
  accessKeyId: string;
  credentials: CredentialStore;
  accountId: string;
  requestId: string;
}

function stableId(prefix: string, seed: string): string {
  // Deterministic, AWS-looking unique ids (AROA..., AIDA...) without storing anything.
  let h = 0n;
  for (const ch of seed) h = (h * 131n + BigInt(ch.codePointAt(0) ?? 0)) % 2n ** 80n;
  return prefix + h.toString(32).toUpperCase().padStart(17, 'A').slice(-17);
}

export function handleQuery(ctx: QueryContext): QueryResult {
  const action = ctx.params.get('Action') ?? '';
  const { service, requestId } = ctx;
  if (service === 'sts' && action === 'GetCallerIdentity') {
    const p: Principal | undefined = ctx.credentials.principal(ctx.accessKeyId);
    if (!p)
      return queryError(
        service,
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        requestId,
      );
    return success(
      service,
      action,
      `    ${element('Arn', p.arn)}\n    ${element('UserId', p.userId)}\n    ${element('Account', p.account)}\n`,
      requestId,
    );
  }
  if (service === 'sts' && action === 'AssumeRole') {
    const roleArn = ctx.params.get('RoleArn') ?? undefined;
    const sessionName = ctx.params.get('RoleSessionName') ?? undefined;
    const durationText = ctx.params.get('DurationSeconds');
    const errors: string[] = [];
    lengthRule('roleArn', roleArn, 20, 2048, /^arn:aws[^:]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, errors);
    lengthRule('roleSessionName', sessionName, 2, 64, /^[\w+=,.@-]*$/, errors);
    const duration = durationText === null ? 3600 : Number(durationText);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
      errors.push(
        `Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    if (errors.length > 0) return validationError(service, requestId, errors);
    const roleAccount = roleArn!.split(':')[4];
    if (roleAccount !== ctx.accountId) {
      return queryError(
        service,
        403,
        'AccessDenied',
        `User: ${ctx.credentials.principal(ctx.accessKeyId)?.arn ?? ctx.accessKeyId} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        requestId,
      );
    }
    const issued = ctx.credentials.assumeRole(roleArn!, sessionName!, duration);
    const result =
      `    <Credentials>\n      ${element('AccessKeyId', issued.accessKeyId)}\n      ${element('SecretAccessKey', issued.secretAccessKey)}\n` +
      `      ${element('SessionToken', issued.sessionToken)}\n      ${element('Expiration', issued.expiration.toISOString())}\n    </Credentials>\n` +
      `    <AssumedRoleUser>\n      ${element('AssumedRoleId', issued.assumedRoleId)}\n      ${element('Arn', issued.principal.arn)}\n    </AssumedRoleUser>\n` +
      `    ${element('PackedPolicySize', 0)}\n`;
    return success(service, action, result, requestId);
  }
  if (service === 'iam' && action === 'GetRole') {
    const roleName = ctx.params.get('RoleName') ?? undefined;
    const errors: string[] = [];
    lengthRule('roleName', roleName, 1, 64, /^[\w+=,.@-]+$/, errors);
    if (errors.length > 0) return validationError(service, requestId, errors);
    // Every well-formed role name exists in the emulator's account, trusted by Glue.
    const arn = `arn:aws:iam::${ctx.accountId}:role/${roleName}`;
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const result =
      `    <Role>\n      ${element('Path', '/')}\n      ${element('AssumeRolePolicyDocument', encodeURIComponent(trust))}\n` +
      `      ${element('MaxSessionDuration', 3600)}\n      ${element('RoleId', stableId('AROA', arn))}\n` +
      `      ${element('RoleName', roleName)}\n      ${element('Arn', arn)}\n      ${element('CreateDate', '2024-01-01T00:00:00Z')}\n` +
      `      ${element('Description', 'A role served by the glue-kernel emulator')}\n    </Role>\n`;
    return success(service, action, result, requestId);
  }
  if (!action) return queryError(service, 400, 'MissingAction', 'Missing Action', requestId);
  return queryError(
    service,
    400,
    'InvalidAction',
    `Could not find operation ${action} for version ${QUERY_SERVICES[service].version}`,
    requestId,
  );
}
