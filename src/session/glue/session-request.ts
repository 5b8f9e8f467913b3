// The CreateSession request, built at the moment of creation. The backend does not read
// configuration: the kernel hands it a provider. The provider receives helpers for what needs
// AWS calls (the role discovered from the caller's identity, the owner), so the request logic
// stays in src/config/create-session.ts, and this file only connects the two.
import type { CreateSessionRequest } from '@aws-sdk/client-glue';
import { buildCreateSessionRequest, type KernelKind } from '../../config/create-session';
import type { ResolvedSettings } from '../../config/layers';
import type { SettingValues } from '../../config/settings';
import type { BackendNotifier } from '../backend';

export type { CreateSessionRequest };

/** What a provider may ask the backend for while it builds the request. */
export interface SessionRequestHelpers {
  /** The caller's own role (STS GetCallerIdentity → IAM GetRole); throws RoleNotFoundError with advice. */
  discoverRole(): Promise<string>;
  /** The caller's STS UserId (for the owner tag). */
  callerUserId(): Promise<string>;
  notify: BackendNotifier;
  signal: AbortSignal;
}

/**
 * Returns the CreateSession request. `Id` may be left empty (a UUID is used) and
 * `RequestOrigin` too (GluePySparkKernel / GlueSparkKernel).
 */
export type CreateSessionRequestProvider = (
  helpers: SessionRequestHelpers,
) => Promise<PartialCreateSessionRequest> | PartialCreateSessionRequest;

export type PartialCreateSessionRequest = Omit<CreateSessionRequest, 'Id' | 'Role' | 'Command'> &
  Partial<Pick<CreateSessionRequest, 'Id' | 'Role' | 'Command'>>;

export interface ConfigSessionRequestOptions {
  kind: KernelKind;
  /** The kernel version, sent as --glue_kernel_version. */
  kernelVersion: string;
  /** Resolved settings at this moment (SettingsStore.resolve(env, await loadConfigFile())). */
  settings: () => Promise<ResolvedSettings | SettingValues> | ResolvedSettings | SettingValues;
  /** %%configure job arguments (SettingsStore.jobArguments()). */
  jobArguments?: () => Readonly<Record<string, string>>;
}

function valuesOf(s: ResolvedSettings | SettingValues): SettingValues {
  return 'values' in s && 'sources' in s ? s.values : (s as SettingValues);
}

/**
 * The provider the kernel normally uses: resolved settings → buildCreateSessionRequest, with
 * the role discovered when none is configured and the owner tag from env userId (Glue Studio)
 * or the STS UserId. An owner that cannot be found (no sts:GetCallerIdentity) only costs the tag.
 */
export function configSessionRequest(options: ConfigSessionRequestOptions): CreateSessionRequestProvider {
  return async (helpers) => {
    const settings = await options.settings();
    const v = valuesOf(settings);
    const fallbackRole = v.iam_role === undefined ? await helpers.discoverRole() : undefined;
    let owner: string | undefined;
    if (v.request_origin === 'GlueStudioNotebook' && v.user_id) owner = v.user_id;
    else {
      try {
        owner = await helpers.callerUserId();
      } catch (err) {
        if (helpers.signal.aborted) throw err;
        helpers.notify.warn(`The owner tag is left out: ${(err as Error).message}`);
      }
    }
    const request = buildCreateSessionRequest({
      settings,
      kernel: options.kind,
      kernelVersion: options.kernelVersion,
      jobArguments: options.jobArguments?.(),
      fallbackRole,
      owner,
    });
    return request;
  };
}
