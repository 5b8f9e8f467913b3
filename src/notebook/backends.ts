// The kernel environment for each way `glue-kernel run` can execute a notebook.
import * as os from 'node:os';
import * as path from 'node:path';

export interface BackendEnvironment {
  description: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface BackendEnvironmentOptions {
  python?: string;
  /** Emulator: how long sessions stay PROVISIONING (default 0). */
  provisionMs?: number;
}

/**
 * The kernel's environment for talking to an emulator at `endpoint` with `credentials`, as a
 * user would set it by hand: the SDK's standard endpoint variables, static keys, a region, and
 * no shared config/credentials files or instance metadata, so nothing from the user's real AWS
 * setup can leak into an offline run.
 */
export function emulatorKernelEnv(
  base: NodeJS.ProcessEnv,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  accountId: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_DEFAULT_PROFILE',
    'glue_profile',
    'GLUE_PROFILE',
  ])
    delete env[name];
  return {
    ...env,
    glue_backend: 'glue',
    AWS_ENDPOINT_URL_GLUE: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_ENDPOINT_URL_IAM: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'glue-kernel-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'glue-kernel-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // Static keys are a user, not an assumed role, so the session role cannot be discovered.
    glue_role_arn: env.glue_role_arn ?? `arn:aws:iam::${accountId}:role/GlueInteractiveSessionRole`,
  };
}

export async function backendEnvironment(
  backend: 'local' | 'emulator' | 'glue',
  options: BackendEnvironmentOptions,
): Promise<BackendEnvironment> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.python) env.glue_python = options.python;
  switch (backend) {
    case 'local':
      env.glue_backend = 'local';
      return {
        description: 'local backend: Python on this machine, no AWS',
        env,
        stop: async () => undefined,
      };
    case 'glue':
      env.glue_backend = 'glue';
      return { description: 'AWS Glue, with your AWS credentials', env, stop: async () => undefined };
    case 'emulator': {
      const { startEmulator } = await import('../emulator');
      const { ensureEngineEnv } = await import('../runner/engine-env');
      // Without a Python of the user's, sessions use the managed environment: create it now, with
      // progress on the terminal, rather than inside the first session's start.
      const python =
        options.python ??
        env.glue_python ??
        (await ensureEngineEnv({ env, onProgress: (line) => process.stderr.write(`${line}\n`) }));
      const emulator = await startEmulator({
        python,
        provisionMs: options.provisionMs ?? 0,
      });
      const [credentials] = emulator.credentials;
      return {
        description: `Glue backend on the embedded Glue API emulator at ${emulator.endpoint}, no AWS account`,
        env: emulatorKernelEnv(env, emulator.endpoint, credentials, emulator.region, emulator.accountId),
        stop: () => emulator.stop(),
      };
    }
  }
}
