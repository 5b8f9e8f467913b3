// `glue-kernel kernel --kind pyspark|spark -f CONNECTION_FILE`: what kernel.json runs.
// Binds the protocol server first (so kernel_info is answered quickly), then loads the
// settings, magics and backend; owns the process lifecycle (parent death, SIGTERM, SIGINT).
import {
  installSignalHandlers,
  KernelServer,
  parentPidFromEnv,
  readConnectionFile,
  watchParent,
} from '../jupyter';
import type { Interpreter } from '../jupyter/interpreter';
import { DeferredInterpreter, kernelInfoFor } from '../kernel/kernel-info';
import {
  createLogger,
  parseLogLevel,
  redactor,
  registerEnvironmentSecrets,
  type Logger,
} from '../log/logger';
import type { KernelKind } from '../session/kinds';

export interface KernelCommandOptions {
  kind: KernelKind;
  connectionFile: string;
  env?: NodeJS.ProcessEnv;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toUpperCase()];
}

/** Builds the real interpreter: settings (all layers), magics and the backend they choose. */
async function loadInterpreter(
  kind: KernelKind,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<Interpreter> {
  const [{ loadConfigFile, SettingsStore }, { GlueInterpreter }, { createRegistry }, { createBackend }] =
    await Promise.all([
      import('../config'),
      import('../kernel/glue-interpreter'),
      import('../magics'),
      import('../session/factory'),
    ]);
  const settings = new SettingsStore();
  const resolve = async () => settings.resolve(env, await loadConfigFile());
  let initial;
  try {
    initial = await resolve();
  } catch (error) {
    // The first cell reports it (naming the layer and setting); the kernel must still start.
    logger.warn('invalid settings at start-up', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
  const backend = createBackend({
    kind,
    logger,
    initial,
    resolve,
    jobArguments: () => settings.jobArguments(),
  });
  return new GlueInterpreter({
    kind,
    backend,
    registry: createRegistry(kind),
    logger: logger.child('kernel'),
    settings,
    env,
  });
}

export async function runKernel(options: KernelCommandOptions): Promise<number> {
  const env = options.env ?? process.env;
  // The SDK's Node-version notice is for developers of this package, not for notebook users.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const logger: Logger = createLogger(
    parseLogLevel(envValue(env, 'glue_log_level')),
    `glue-kernel:${options.kind}`,
  );
  const connection = await readConnectionFile(options.connectionFile);
  redactor.register(connection.key);
  registerEnvironmentSecrets(env);

  // The banner names the backend from the environment; ~/.aws/config may still change it, and
  // %status always tells the truth.
  const backendHint =
    (envValue(env, 'glue_backend') ?? 'glue').trim().toLowerCase() === 'local' ? 'local' : 'glue';
  const endpointHint = envValue(env, 'glue_endpoint_url') ?? (env.AWS_ENDPOINT_URL_GLUE?.trim() || undefined);
  const interpreter = new DeferredInterpreter(kernelInfoFor(options.kind, backendHint, endpointHint), () =>
    loadInterpreter(options.kind, env, logger),
  );
  const server = await KernelServer.start({ connection, interpreter, logger: logger.child('protocol') });
  logger.info('kernel started', { kind: options.kind, pid: process.pid });
  // The rest (settings schema, magics, backend: ~6 MiB and ~40 ms) loads on the first request
  // that needs it; that request starts a Python process or a Glue session anyway, which takes
  // far longer, while an idle kernel stays small.

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    await server.shutdown(false, reason);
  };

  const parentPid = parentPidFromEnv(env.JPY_PARENT_PID);
  const stopWatchingParent = parentPid
    ? watchParent(parentPid, () => void stop('parent process exited'))
    : () => undefined;
  const removeSignals = installSignalHandlers({
    onInterrupt: () => void server.interrupt(),
    onTerminate: (signal) => void stop(signal),
  });

  await server.closed;
  stopWatchingParent();
  removeSignals();
  logger.info('kernel stopped');
  return 0;
}
