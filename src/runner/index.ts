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
export type { StatementOutput, StatementOutputData } from './statement-output';
export { foldStreams, runnerDiedOutput, trimTrailingNewline } from './fold';
