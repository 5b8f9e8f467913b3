// Chooses the backend from the environment (or the kernelspec's env): glue_backend=local
// runs statements in a local Python process; anything else talks to Glue.
import type { Logger } from '../log/logger';
import type { Backend } from './backend';
import type { KernelKind } from './kinds';
import { LocalBackend } from './local/local-backend';

export interface BackendFactoryOptions {
  kind: KernelKind;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

export type BackendName = 'local' | 'glue';

export function backendName(env: NodeJS.ProcessEnv): BackendName {
  const raw = (env.glue_backend ?? env.GLUE_BACKEND ?? 'glue').trim().toLowerCase();
  if (raw === 'local' || raw === 'glue') return raw;
  throw new Error(`glue_backend must be "local" or "glue" (got "${raw}").`);
}

export function createBackend({ kind, env, logger }: BackendFactoryOptions): Backend {
  const name = backendName(env);
  if (name === 'local') {
    return new LocalBackend({
      kind,
      python: env.glue_python ?? env.GLUE_PYTHON ?? 'python3',
      engine: parseEngine(env.glue_local_engine ?? env.GLUE_LOCAL_ENGINE),
      logger: logger.child('local'),
    });
  }
  throw new Error('The Glue backend is not available in this build yet: set glue_backend=local.');
}

function parseEngine(value: string | undefined): 'auto' | 'pyspark' | 'duckdb' | 'plain' {
  const v = (value ?? 'auto').trim().toLowerCase();
  if (v === 'auto' || v === 'pyspark' || v === 'duckdb' || v === 'plain') return v;
  throw new Error(`glue_local_engine must be auto, pyspark, duckdb or plain (got "${value}").`);
}
