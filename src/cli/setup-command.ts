// `glue-kernel setup [--check] [--rebuild]`: creates (or reports) the managed Python environment
// the local runner uses when glue_python is not set. The folder and the pip index resolve as in
// the kernel (engine_dir, pip_index_url: environment, ~/.aws/config), --dir/--index-url on top.
import { ConfigError, loadConfigFile, SettingsStore, type Env } from '../config';
import {
  checkEngineEnv,
  describeManifest,
  EngineEnvError,
  ensureEngineEnv,
  removeEngineEnv,
  type EngineEnvOptions,
} from '../runner/engine-env';

export interface SetupOptions {
  check?: boolean;
  rebuild?: boolean;
  dir?: string;
  indexUrl?: string;
}

export interface SetupIo {
  env: Env;
  out(text: string): void;
  err(text: string): void;
}

const processIo: SetupIo = {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export async function setupCommand(options: SetupOptions, io: SetupIo = processIo): Promise<number> {
  if (options.check && options.rebuild) {
    io.err('glue-kernel setup: choose one of --check and --rebuild.');
    return 2;
  }
  let python: string | undefined;
  let engine: EngineEnvOptions;
  try {
    const store = new SettingsStore();
    if (options.dir !== undefined) store.set('engine_dir', options.dir, '--dir');
    if (options.indexUrl !== undefined) store.set('pip_index_url', options.indexUrl, '--index-url');
    const values = store.resolve(io.env, await loadConfigFile()).values;
    python = values.python;
    engine = {
      dir: values.engine_dir,
      pipIndexUrl: values.pip_index_url,
      env: io.env,
      onProgress: (line) => io.err(line),
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`glue-kernel setup: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (python)
    io.out(
      `Note: glue_python is set (${python}), so the kernel and the emulator run that Python as is and do not use this environment.`,
    );

  if (options.check) {
    const status = checkEngineEnv(engine);
    switch (status.state) {
      case 'ready':
        io.out(`glue-kernel's Python environment: ${status.dir}`);
        io.out(`  ${describeManifest(status.manifest)}`);
        io.out(`  created ${status.manifest.createdAt} from ${status.manifest.basePython}`);
        return 0;
      case 'missing':
        io.out(
          `glue-kernel's Python environment is not created yet (${status.dir}); \`glue-kernel setup\` or the first local session creates it.`,
        );
        return 1;
      case 'broken':
        io.out(
          `glue-kernel's Python environment is incomplete: ${status.problem}. Run \`glue-kernel setup --rebuild\`.`,
        );
        return 1;
    }
  }

  try {
    if (options.rebuild) await removeEngineEnv(engine);
    const before = checkEngineEnv(engine);
    const venvPython = await ensureEngineEnv(engine);
    const after = checkEngineEnv(engine);
    if (before.state === 'ready' && after.state === 'ready')
      io.out(
        `glue-kernel's Python environment is already there: ${after.dir} (${describeManifest(after.manifest)}).`,
      );
    io.out(venvPython);
    return 0;
  } catch (error) {
    if (error instanceof EngineEnvError) {
      io.err(`glue-kernel setup: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
