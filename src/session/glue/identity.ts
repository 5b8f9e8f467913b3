// Who is calling: role discovery (no role configured → STS GetCallerIdentity → the assumed
// role's name → IAM GetRole → its ARN, so SageMaker, Glue Studio, EC2 and ECS roles work with
// no configuration), the owner tag, and the account and partition for session ARNs (GetTags,
// TagResource). The parsing is pure; the calls go through the small interfaces below so tests
// can stub them.

/** arn:aws:sts::123456789012:assumed-role/RoleName/session-name (any partition). */
const ASSUMED_ROLE_ARN = /^arn:aws[^:]*:sts::[0-9]*:assumed-role\/([^/]+)\/.+$/;

/** The role name in an assumed-role ARN, or undefined for users, federated users, root. */
export function assumedRoleName(callerArn: string): string | undefined {
  return ASSUMED_ROLE_ARN.exec(callerArn)?.[1];
}

/** The partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, the ISO partitions, else aws. */
export function partitionForRegion(region: string): string {
  const r = region.toLowerCase();
  if (r.startsWith('cn-')) return 'aws-cn';
  if (r.startsWith('us-gov-')) return 'aws-us-gov';
  if (r.startsWith('us-isob-')) return 'aws-iso-b';
  if (r.startsWith('us-isof-')) return 'aws-iso-f';
  if (r.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (r.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** The ARN GetTags and TagResource take for a session. */
export function sessionArn(region: string, accountId: string, sessionId: string): string {
  return `arn:${partitionForRegion(region)}:glue:${region}:${accountId}:session/${sessionId}`;
}

/** The partition named in any ARN (arn:<partition>:…), if it is one. */
export function arnPartition(arn: string): string | undefined {
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

const TAG_VALUE_MAX = 256;

/** The owner tag value: the caller's UserId with "," removed (the reference's rule), at most 256 characters. */
export function ownerTagValue(userId: string): string {
  return userId.replace(/,/g, '').slice(0, TAG_VALUE_MAX);
}

/** Chooses the owner tag: env userId for Glue Studio notebooks, else the STS UserId. */
export function chooseOwner(
  requestOrigin: string | undefined,
  configuredUserId: string | undefined,
  stsUserId: () => Promise<string>,
): Promise<string> {
  if (requestOrigin === 'GlueStudioNotebook' && configuredUserId)
    return Promise.resolve(ownerTagValue(configuredUserId));
  return stsUserId().then(ownerTagValue);
}

export interface CallerIdentity {
  arn: string;
  userId: string;
  account: string;
}

/** The two calls role discovery needs (implemented over the SDK in session-start.ts). */
export interface IdentityCalls {
  getCallerIdentity(signal: AbortSignal): Promise<CallerIdentity>;
  getRoleArn(roleName: string, signal: AbortSignal): Promise<string>;
}

/** No role is configured and none could be discovered: what to do about it. */
export class RoleNotFoundError extends Error {
  readonly ename = 'GlueRoleNotFound';
  constructor(reason: string) {
    super(
      `No Glue session role is configured, and ${reason}. ` +
        'Set one with %iam_role arn:aws:iam::<account>:role/<GlueRole> in the first cell, ' +
        'or glue_role_arn in the environment or in your ~/.aws/config profile.',
    );
    this.name = 'RoleNotFoundError';
  }
}

/**
 * The role for a new session when none is configured: the caller's own assumed role
 * (GetCallerIdentity → GetRole). Errors from the calls are passed through (the caller turns
 * them into messages); a caller that is not an assumed role gets RoleNotFoundError.
 */
export async function discoverRole(
  calls: IdentityCalls,
  signal: AbortSignal,
  identity?: CallerIdentity,
): Promise<string> {
  const me = identity ?? (await calls.getCallerIdentity(signal));
  const roleName = assumedRoleName(me.arn);
  if (!roleName) {
    throw new RoleNotFoundError(
      `your credentials (${me.arn}) are not an assumed role it could be derived from`,
    );
  }
  return calls.getRoleArn(roleName, signal);
}
