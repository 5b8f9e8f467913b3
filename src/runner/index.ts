// The Python statement runner: runner.py and its TypeScript driver.
export {
  PythonRunner,
  RunnerStartError,
  RunnerNotRunningError,
  locateRunnerScript,
  type EngineInfo,
  type EngineName,
  type ExecuteOptions,
  type RunnerLogger,
  type RunnerOptions,
} from './python-runner';
export {
  checkEngineEnv,
  ensureEngineEnv,
  removeEngineEnv,
  engineDirFromEnv,
  pipIndexUrlFromEnv,
  describeManifest,
  EngineEnvError,
  ENGINE_PACKAGES,
  type EngineEnvOptions,
  type EngineEnvStatus,
  type ProgressKind,
} from './engine-env';
export type { StatementOutput, StatementOutputData } from './statement-output';
export { foldStreams, runnerDiedOutput, trimTrailingNewline } from './fold';
