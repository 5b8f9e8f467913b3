// The AWS SDK clients (Glue, STS, IAM), loaded lazily: requiring @aws-sdk/client-glue costs
// about 130 ms, so the kernel never loads it at start, only for the first cell or magic that
// needs AWS. Only type imports appear at the top of this file; they vanish at compile time.
//
// Unlike the reference kernel:
//  - the Glue endpoint is honoured with a profile too;
//  - %%assume_role with a role ARN uses fromTemporaryCredentials over the base chain, so the
//    assumed credentials refresh before they expire (the reference kept static keys for 1 h);
//  - TLS verification is always on (the reference passed verify=False);
//  - the Glue client makes one attempt per call (maxAttempts 1): retry.ts retries, with
//    knowledge of which Glue errors are worth it.
import type { GlueClient } from '@aws-sdk/client-glue';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { redactor } from '../../log/logger';
import { rawStatementOutputPlugin } from './raw-output';

/** Where the credentials come from, besides the default chain. */
export type AssumeRoleSetting =
  | { kind: 'role'; roleArn: string; sessionName?: string; durationSeconds?: number }
  | { kind: 'credentials'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface AwsClientSettings {
  region: string;
  /** Glue endpoint URL (%endpoint / glue_endpoint_url); AWS_ENDPOINT_URL_GLUE also works through the SDK. */
  endpoint?: string;
  /** STS and IAM endpoints. Normally unset: the SDK reads AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM itself. */
  stsEndpoint?: string;
  iamEndpoint?: string;
  /** Named profile (%profile / glue_profile / AWS_PROFILE). */
  profile?: string;
  /** From %%assume_role. */
  assumeRole?: AssumeRoleSetting;
  /** Explicit base credentials (tests, embedding); otherwise the default chain is used. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface AwsClients {
  readonly settings: AwsClientSettings;
  /** Identifies the settings the clients were built from (no secrets in it). */
  readonly key: string;
  readonly glue: GlueClient;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly sdk: GlueSdk;
  /** Resolves the credentials now (an assumed role is assumed here), for an early check. */
  credentials(): Promise<AwsCredentialIdentity>;
  /** Drops the cached credentials and fetches them again from their source (after ExpiredToken). */
  refreshCredentials(): Promise<void>;
  destroy(): void;
}

/** Refresh credentials this long before they expire (the SDK uses the same margin). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** A credential provider whose cached value can be dropped and fetched again. */
export interface RefreshableCredentials extends AwsCredentialIdentityProvider {
  /** Fetches anew (asking the source to refresh too), whatever the cached value's expiry says. */
  refresh(): Promise<AwsCredentialIdentity>;
}

/**
 * One shared, refreshing view of a provider for the three clients: the value is reused until
 * it is within REFRESH_MARGIN_MS of its expiration, then fetched again (so assumed-role, SSO
 * and container credentials keep working in a long-lived kernel). Concurrent callers share
 * one fetch; a failed fetch is not cached. refresh() fetches anew at once.
 */
export function memoizeCredentials(
  provider: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  now: () => number = Date.now,
): RefreshableCredentials {
  if (typeof provider !== 'function') {
    registerSecrets(provider);
    const fixed = async (): Promise<AwsCredentialIdentity> => provider;
    return Object.assign(fixed, { refresh: fixed, memoized: true });
  }
  let value: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fetch = (forceRefresh: boolean): Promise<AwsCredentialIdentity> =>
    (pending ??= provider(forceRefresh ? { forceRefresh: true } : undefined)
      .then((v) => {
        registerSecrets(v);
        value = v;
        return v;
      })
      .finally(() => {
        pending = undefined;
      }));
  const get = (): Promise<AwsCredentialIdentity> => {
    if (value && (value.expiration === undefined || value.expiration.getTime() - now() > REFRESH_MARGIN_MS))
      return Promise.resolve(value);
    return fetch(false);
  };
  return Object.assign(get, {
    refresh: () => {
      value = undefined;
      return fetch(true);
    },
    // Tells the SDK clients this provider caches already, so they ask it on every request
    // instead of keeping a copy of their own that refresh() could not reach.
    memoized: true,
  });
}

/** Every secret the kernel learns is masked in its log, whatever its shape. */
function registerSecrets(c: AwsCredentialIdentity): void {
  redactor.register(c.secretAccessKey);
  redactor.register(c.sessionToken);
}

export type GlueModule = typeof import('@aws-sdk/client-glue');
export type StsModule = typeof import('@aws-sdk/client-sts');
export type IamModule = typeof import('@aws-sdk/client-iam');
export type CredentialProvidersModule = typeof import('@aws-sdk/credential-providers');

export interface GlueSdk {
  glue: GlueModule;
  sts: StsModule;
  iam: IamModule;
  credentials: CredentialProvidersModule;
}

let sdk: GlueSdk | undefined;

/** Loads the SDK modules (once). The Node 20 support warning is silenced before the first load. */
export function loadSdk(): GlueSdk {
  if (sdk) return sdk;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: see the top of the file */
  sdk = {
    glue: require('@aws-sdk/client-glue') as GlueModule,
    sts: require('@aws-sdk/client-sts') as StsModule,
    iam: require('@aws-sdk/client-iam') as IamModule,
    credentials: require('@aws-sdk/credential-providers') as CredentialProvidersModule,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return sdk;
}

/** True once the SDK has been loaded in this process (for the startup-cost test). */
export function sdkLoaded(): boolean {
  return sdk !== undefined;
}

/** A key for the settings: same key, same clients. Secrets are never part of it. */
export function settingsKey(s: AwsClientSettings): string {
  const ar = s.assumeRole;
  const assume = ar === undefined ? '' : ar.kind === 'role' ? `role:${ar.roleArn}` : `keys:${ar.accessKeyId}`;
  const creds =
    s.credentials === undefined
      ? ''
      : typeof s.credentials === 'function'
        ? 'provider'
        : `static:${s.credentials.accessKeyId}`;
  return JSON.stringify([
    s.region,
    s.endpoint ?? '',
    s.stsEndpoint ?? '',
    s.iamEndpoint ?? '',
    s.profile ?? '',
    assume,
    creds,
  ]);
}

/** A region that is missing or malformed, with what to do about it. */
export class RegionError extends Error {
  readonly ename = 'RegionNotSet';
  constructor(message: string) {
    super(message);
    this.name = 'RegionError';
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function checkRegion(region: string | undefined): string {
  const r = (region ?? '').trim().toLowerCase();
  if (r === '') {
    throw new RegionError(
      'No AWS region is set. Set one with %region <region> (e.g. %region us-east-1), ' +
        'or AWS_REGION in the environment, or region in your ~/.aws/config profile.',
    );
  }
  if (!REGION.test(r))
    throw new RegionError(
      `"${region}" is not an AWS region name (e.g. us-east-1, eu-west-2). Fix it with %region <region>.`,
    );
  return r;
}

/**
 * The credential chain's logger. Without one the SDK writes its notices with console.warn,
 * e.g. "Multiple credential sources detected" when a profile is named and static keys are in
 * the environment (the profile wins, as the README says): they are for SDK users, not for
 * notebook users, so they are dropped.
 */
const quietCredentialLogger = {
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
};

/** Builds the three clients, sharing one credential provider. Loads the SDK on first use. */
export function createClients(settings: AwsClientSettings): AwsClients {
  const region = checkRegion(settings.region);
  const m = loadSdk();
  const base: AwsCredentialIdentity | AwsCredentialIdentityProvider =
    settings.credentials ??
    m.credentials.fromNodeProviderChain({
      logger: quietCredentialLogger,
      ...(settings.profile ? { profile: settings.profile } : {}),
    });
  let source: AwsCredentialIdentity | AwsCredentialIdentityProvider = base;
  const ar = settings.assumeRole;
  if (ar?.kind === 'role') {
    source = m.credentials.fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: ar.roleArn,
        RoleSessionName: ar.sessionName ?? 'glue-kernel',
        DurationSeconds: ar.durationSeconds,
      },
      clientConfig: { region, ...(settings.stsEndpoint ? { endpoint: settings.stsEndpoint } : {}) },
    });
  } else if (ar?.kind === 'credentials') {
    // Keys given as such cannot be refreshed: there is nothing to refresh them from.
    source = {
      accessKeyId: ar.accessKeyId,
      secretAccessKey: ar.secretAccessKey,
      sessionToken: ar.sessionToken,
    };
  }
  const credentials = memoizeCredentials(source);
  const glue = new m.glue.GlueClient({
    region,
    credentials,
    maxAttempts: 1,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  glue.middlewareStack.use(rawStatementOutputPlugin);
  const sts = new m.sts.STSClient({
    region,
    credentials,
    ...(settings.stsEndpoint ? { endpoint: settings.stsEndpoint } : {}),
  });
  const iam = new m.iam.IAMClient({
    region,
    credentials,
    ...(settings.iamEndpoint ? { endpoint: settings.iamEndpoint } : {}),
  });
  return {
    settings: { ...settings, region },
    key: settingsKey(settings),
    glue,
    sts,
    iam,
    sdk: m,
    credentials,
    async refreshCredentials() {
      await credentials.refresh();
    },
    destroy() {
      glue.destroy();
      sts.destroy();
      iam.destroy();
    },
  };
}
