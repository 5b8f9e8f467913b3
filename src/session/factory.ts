// Chooses and builds the backend from the settings (glue_backend in the environment, the
// kernelspec's env or ~/.aws/config): `local` runs statements in a local Python process;
// `glue` talks to AWS Glue, or to the emulator through an endpoint URL.
import type { ResolvedSettings } from '../config';
import { KERNEL_VERSION } from '../kernel/version';
import type { Logger } from '../log/logger';
import type { Backend } from './backend';
import { checkRegion, configSessionRequest, GlueBackend } from './glue';
import type { KernelKind } from './kinds';
import { LocalBackend } from './local/local-backend';

export interface BackendFactoryOptions {
  kind: KernelKind;
  logger: Logger;
  /** The settings at kernel start (backend, python); undefined when a layer is invalid. */
  initial: ResolvedSettings | undefined;
  /** Every layer resolved now; the Glue backend reads it when it needs clients or a session. */
  resolve: () => Promise<ResolvedSettings>;
  /** %%configure job arguments. */
  jobArguments: () => Readonly<Record<string, string>>;
}

export function createBackend(options: BackendFactoryOptions): Backend {
  const { kind, logger } = options;
  const values = options.initial?.values;
  if (values?.backend === 'local') {
    return new LocalBackend({
      kind,
      python: values.python,
      engineDir: values.engine_dir,
      pipIndexUrl: values.pip_index_url,
      engine: values.local_engine,
      logger: logger.child('local'),
    });
  }
  return new GlueBackend({
    kind,
    logger: logger.child('glue'),
    // A kernel killed outright still gets its session stopped (watchdog.ts).
    watchdog: true,
    dpuHourPrice: async () => (await options.resolve()).values.dpu_hour_price,
    apiRate: values?.api_rate,
    clientSettings: async () => {
      const resolved = (await options.resolve()).values;
      return {
        region: checkRegion(resolved.region),
        endpoint: resolved.endpoint_url,
        profile: resolved.profile,
      };
    },
    sessionRequest: configSessionRequest({
      kind,
      kernelVersion: KERNEL_VERSION,
      settings: options.resolve,
      jobArguments: options.jobArguments,
    }),
  });
}
