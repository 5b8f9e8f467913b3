// `glue-kernel kernel --kind pyspark|spark -f CONNECTION_FILE`: what kernel.json runs.
// Wires the protocol server, the interpreter, the magics and the backend chosen by the
// environment, and owns the process lifecycle (parent death, SIGTERM, SIGINT).
import { installSignalHandlers, KernelServer, parentPidFromEnv, readConnectionFile, watchParent } from '../jupyter';
import { GlueInterpreter } from '../kernel/glue-interpreter';
import { createLogger, parseLogLevel, redactor, type Logger } from '../log/logger';
import { createRegistry } from '../magics';
import { createBackend } from '../session/factory';
import type { KernelKind } from '../session/kinds';

export interface KernelCommandOptions {
  kind: KernelKind;
  connectionFile: string;
  env?: NodeJS.ProcessEnv;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toUpperCase()];
}

export async function runKernel(options: KernelCommandOptions): Promise<number> {
  const env = options.env ?? process.env;
  // The SDK's Node-version notice is for developers of this package, not for notebook users.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const logger: Logger = createLogger(parseLogLevel(envValue(env, 'glue_log_level')), `glue-kernel:${options.kind}`);
  const connection = await readConnectionFile(options.connectionFile);
  redactor.register(connection.key);

  const backend = createBackend({ kind: options.kind, env, logger });
  const interpreter = new GlueInterpreter({
    kind: options.kind,
    backend,
    registry: createRegistry(options.kind),
    logger: logger.child('kernel'),
  });
  const server = await KernelServer.start({ connection, interpreter, logger: logger.child('protocol') });
  logger.info('kernel started', { kind: options.kind, backend: backend.name, pid: process.pid });

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    await server.shutdown(false, reason);
  };

  const parentPid = parentPidFromEnv(env.JPY_PARENT_PID);
  const stopWatchingParent = parentPid ? watchParent(parentPid, () => void stop('parent process exited')) : () => undefined;
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
