// Debian's jupyter_kernel_test (the Jupyter project's own conformance suite) against our
// kernels on the local backend.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { installedKernelEnv, run } from '../../helpers/kernel-env';
import { jupyterPython, need, REPO_ROOT } from '../../helpers/tools';

test('jupyter_kernel_test passes against glue_pyspark (local) and glue_spark', async (t) => {
  const python = need(
    t,
    jupyterPython(['jupyter_kernel_test', 'pytest']),
    'Debian python3-jupyter-kernel-test and python3-pytest',
  );
  if (!python) return;
  const kernels = installedKernelEnv();
  try {
    const result = await run(
      python,
      [
        '-m',
        'pytest',
        '-q',
        '-p',
        'no:cacheprovider',
        path.join(REPO_ROOT, 'test', 'python', 'test_kernel_conformance.py'),
      ],
      { env: kernels.env, timeoutMs: 240_000 },
    );
    const summary = /(\d+) passed/.exec(result.stdout);
    assert.equal(result.code, 0, `pytest failed:\n${result.stdout}\n${result.stderr}`);
    assert.ok(summary, `no pytest summary:\n${result.stdout}`);
    // 12 tests per class; the Spark class only enables kernel_info, so most of it skips.
    assert.ok(Number(summary[1]) >= 8, `expected at least 8 passing conformance tests:\n${result.stdout}`);
    assert.doesNotMatch(result.stdout, /\d+ (failed|errors?)\b/);
  } finally {
    kernels.cleanup();
  }
});
