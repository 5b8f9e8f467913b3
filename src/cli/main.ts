#!/usr/bin/env node
// The glue-kernel command: install · uninstall · kernel · run · sessions · emulator · setup · docs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { KERNEL_VERSION } from '../kernel/version';
import type { KernelKind } from '../session/kinds';
import { installKernelSpecs, secretEnvNames, uninstallKernelSpecs, type InstallScope } from './kernelspec';
import type { SessionsAwsOptions, SessionsListOptions } from './sessions-command';
import type { SetupOptions } from './setup-command';

function scopeFrom(options: { user?: boolean; sysPrefix?: boolean; prefix?: string }): InstallScope {
  const chosen = [options.user, options.sysPrefix, options.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new InvalidArgumentError('Choose one of --user, --sys-prefix and --prefix DIR.');
  if (options.prefix !== undefined) return { kind: 'prefix', dir: options.prefix };
  if (options.sysPrefix) return { kind: 'sys-prefix' };
  return { kind: 'user' };
}

function parseEnvPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--env takes NAME=VALUE (got "${value}").`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number ≥ 0 (got "${value}").`);
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --region, --profile, --endpoint: resolved with the kernel's settings, as their highest layer. */
function withAwsOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: as the kernel resolves it, e.g. AWS_REGION)')
    .option('--profile <name>', 'AWS profile for credentials and the ~/.aws/config section')
    .option('--endpoint <url>', 'Glue endpoint URL (e.g. a VPC endpoint or the emulator)');
}

export function buildProgram(): Command {
  const program = new Command('glue-kernel')
    .description(
      'A Jupyter kernel for AWS Glue interactive sessions, with a local backend and a Glue API emulator.',
    )
    .version(KERNEL_VERSION)
    .showHelpAfterError();

  program
    .command('install')
    .description('Install the Glue PySpark and Glue Spark kernelspecs into Jupyter.')
    .option('--user', 'into the user data directory (the default)')
    .option('--sys-prefix', 'into the active Python environment (virtualenv/conda)')
    .option('--prefix <dir>', 'into DIR/share/jupyter/kernels')
    .addOption(new Option('--backend <name>', 'backend the kernels use').choices(['glue', 'local']))
    .option('--env <NAME=VALUE>', 'an environment variable for the kernels (repeatable)', parseEnvPair)
    .action(
      (options: {
        user?: boolean;
        sysPrefix?: boolean;
        prefix?: string;
        backend?: string;
        env?: Record<string, string>;
      }) => {
        const env = { ...(options.env ?? {}) };
        if (options.backend) env.glue_backend = options.backend;
        for (const spec of installKernelSpecs(scopeFrom(options), env))
          console.log(`Installed kernelspec ${spec.name} in ${spec.dir}`);
        const secrets = secretEnvNames(env);
        if (secrets.length > 0)
          console.log(
            `kernel.json holds ${secrets.join(', ')}: it is readable by you only (mode 0600). ` +
              'Prefer a profile in ~/.aws/credentials (%profile) to keys in a kernelspec.',
          );
      },
    );

  program
    .command('uninstall')
    .description('Remove the kernelspecs installed by `glue-kernel install`.')
    .option('--user', 'from the user data directory (the default)')
    .option('--sys-prefix', 'from the active Python environment')
    .option('--prefix <dir>', 'from DIR/share/jupyter/kernels')
    .action((options: { user?: boolean; sysPrefix?: boolean; prefix?: string }) => {
      const removed = uninstallKernelSpecs(scopeFrom(options));
      if (removed.length === 0) console.log('No glue-kernel kernelspecs were installed there.');
      for (const spec of removed) console.log(`Removed kernelspec ${spec.name} from ${spec.dir}`);
    });

  program
    .command('kernel')
    .description('Run a kernel (this is what kernel.json starts; Jupyter passes the connection file).')
    .addOption(new Option('--kind <kind>', 'which kernel').choices(['pyspark', 'spark']).default('pyspark'))
    .requiredOption('-f, --connection-file <file>', 'the Jupyter connection file')
    .action(async (options: { kind: KernelKind; connectionFile: string }) => {
      const { runKernel } = await import('./kernel-command');
      process.exitCode = await runKernel({ kind: options.kind, connectionFile: options.connectionFile });
    });

  program
    .command('run')
    .description('Run a notebook headlessly through the kernel and save its outputs.')
    .argument('<notebook>', 'the .ipynb file')
    .option('-o, --output <file>', 'where to write the executed notebook (default: in place)')
    .addOption(
      new Option('--kernel <kind>', 'kernel to use (default: from the notebook)').choices([
        'pyspark',
        'spark',
      ]),
    )
    .addOption(
      new Option(
        '--backend <name>',
        'local: Python on this machine; emulator: the embedded Glue emulator; glue: AWS',
      )
        .choices(['local', 'emulator', 'glue'])
        .default('emulator'),
    )
    .option(
      '--python <path>',
      "Python for the local runner / emulator sessions, used as is (default: glue_python, else glue-kernel's managed environment)",
    )
    .option('--cell-timeout <seconds>', 'give up on a cell after this long (0 = never)', parseInteger, 600)
    .option('--allow-errors', 'keep going after a cell fails (exit status stays 0)')
    .option(
      '-p, --parameters <NAME=VALUE>',
      'a notebook parameter (repeatable); VALUE is a Python literal, else a string',
      collect,
    )
    .option('-f, --parameters-file <file>', 'notebook parameters from a JSON object (repeatable)', collect)
    .option('--dry-run', 'list the cells that would run, run nothing')
    .action(async (notebook: string, options: RunCommandOptions) => {
      const { runNotebookCommand } = await import('../notebook/run-command');
      process.exitCode = await runNotebookCommand(notebook, options);
    });

  const sessions = program
    .command('sessions')
    .description(
      'List, stop and delete Glue interactive sessions, e.g. ones a crashed kernel left running (billed until their idle timeout).',
    );

  withAwsOptions(sessions.command('list').description('List the Glue interactive sessions in the region.'))
    .option('--json', 'print JSON (Id, Status, CreatedOn) instead of a table')
    .action(async (options: SessionsListOptions) => {
      const { listSessionsCommand } = await import('./sessions-command');
      process.exitCode = await listSessionsCommand(options);
    });

  withAwsOptions(
    sessions.command('stop').description('Stop sessions (StopSession); they stay listed as STOPPED.'),
  )
    .argument('<id...>', 'session ids')
    .action(async (ids: string[], options: SessionsAwsOptions) => {
      const { stopSessionsCommand } = await import('./sessions-command');
      process.exitCode = await stopSessionsCommand(ids, options);
    });

  withAwsOptions(
    sessions.command('delete').description('Delete sessions (DeleteSession), stopping running ones.'),
  )
    .argument('<id...>', 'session ids')
    .action(async (ids: string[], options: SessionsAwsOptions) => {
      const { deleteSessionsCommand } = await import('./sessions-command');
      process.exitCode = await deleteSessionsCommand(ids, options);
    });

  program
    .command('emulator')
    .description('Run the Glue API emulator: a local Glue interactive-sessions endpoint for any AWS SDK.')
    .option('--host <host>', 'address to bind (loopback unless you say otherwise)', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', parseInteger, 0)
    .option(
      '--credentials <KEY:SECRET>',
      'accepted credentials (repeatable; default: a generated pair)',
      collect,
    )
    .option('--provision-ms <ms>', 'how long a session stays PROVISIONING', parseInteger)
    .option('--minute-ms <ms>', 'how long an emulated minute lasts (timeouts)', parseInteger)
    .option(
      '--python <path>',
      "Python that runs the statements, used as is (default: glue-kernel's managed environment)",
    )
    .option('--keep-statements <n>', 'finished statements kept per session (default 1000)', parseInteger)
    .option('--keep-calls <n>', 'API calls kept in the admin call log (default 10000)', parseInteger)
    .option(
      '--rate <LIMIT|OPERATION=LIMIT>',
      'API quota per access key in calls per second, for all Glue calls (20) or one operation (GetStatement=5); over it: ThrottlingException (repeatable)',
      collect,
    )
    .action(async (options: EmulatorCommandOptions) => {
      const { runEmulatorCommand } = await import('./emulator-command');
      process.exitCode = await runEmulatorCommand(options);
    });

  program
    .command('setup')
    .description(
      "Create glue-kernel's Python environment (DuckDB, pandas, matplotlib) for local sessions, as the first local session would.",
    )
    .option('--check', 'only report what is there (exit status 1 when it is missing)')
    .option('--rebuild', 'remove the environment and create it again')
    .option('--dir <path>', 'its folder (default: glue_engine_dir, else $XDG_DATA_HOME/glue-kernel/engine)')
    .option(
      '--index-url <url>',
      "pip's package index (default: glue_pip_index_url, else pip's configuration)",
    )
    .action(async (options: SetupOptions) => {
      const { setupCommand } = await import('./setup-command');
      process.exitCode = await setupCommand(options);
    });

  program
    .command('docs')
    .description('Print the magic reference (docs/magics.md) generated from the magic definitions.')
    .option('--write', 'write docs/magics.md instead of printing it')
    .action(async (options: { write?: boolean }) => {
      const { docsCommand } = await import('./docs-command');
      docsCommand(Boolean(options.write));
    });

  return program;
}

export interface RunCommandOptions {
  output?: string;
  kernel?: KernelKind;
  backend: 'local' | 'emulator' | 'glue';
  python?: string;
  cellTimeout: number;
  allowErrors?: boolean;
  parameters?: string[];
  parametersFile?: string[];
  dryRun?: boolean;
}

export interface EmulatorCommandOptions {
  host: string;
  port: number;
  credentials?: string[];
  provisionMs?: number;
  minuteMs?: number;
  python?: string;
  keepStatements?: number;
  keepCalls?: number;
  rate?: string[];
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(`glue-kernel: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
