// The kernel environment for each way `glue-kernel run` can execute a notebook.
export interface BackendEnvironment {
  description: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function backendEnvironment(
  backend: 'local' | 'emulator' | 'glue',
  options: { python?: string },
): Promise<BackendEnvironment> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.python) env.glue_python = options.python;
  switch (backend) {
    case 'local':
      env.glue_backend = 'local';
      return { description: 'local backend: Python on this machine, no AWS', env, stop: async () => undefined };
    case 'glue':
      env.glue_backend = 'glue';
      return { description: 'AWS Glue, with your AWS credentials', env, stop: async () => undefined };
    case 'emulator':
      throw new Error('The emulator backend needs the Glue backend, which this build does not have yet: use --backend local.');
  }
}
