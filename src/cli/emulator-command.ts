// `glue-kernel emulator`: runs the Glue API emulator until SIGINT/SIGTERM.
import { runEmulatorCli } from '../emulator';
import type { EmulatorCommandOptions } from './main';

export function runEmulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  return runEmulatorCli(options, { stdout: process.stdout, stderr: process.stderr });
}
