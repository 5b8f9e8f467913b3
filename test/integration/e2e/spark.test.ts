// The Glue Spark (Scala) kernel end to end: its sessions are Scala sessions
// (--session-language scala, RequestOrigin GlueSparkKernel), and the emulator, which runs
// Python only, answers every statement with a clear error that the notebook shows as such.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, assertOk, drive, requestOf, startE2E, stdout } from './harness';

describe('glue_spark through jupyter_client', () => {
  test('Scala sessions; statements get the emulator\'s "Python only" error', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernel: 'glue_spark',
        kernelEnv: e2e.baseEnv(),
        steps: [
          { code: '%number_of_workers 2\n%worker_type G.1X' },
          { code: 'val x = 6 * 7\nprintln(x)' },
          { code: '%%sql\nSELECT 1' },
          { code: '%status' },
          { shutdown: true },
        ],
      });
      if (!d) return;
      const [settings, scala, sql, status] = d.results;
      assertOk(settings, 'settings');
      const creates = e2e.calls('CreateSession');
      assert.equal(creates.length, 1);
      const req = requestOf(creates) as {
        Id: string;
        Command: { Name: string };
        DefaultArguments: Record<string, string>;
        RequestOrigin: string;
        NumberOfWorkers: number;
        WorkerType: string;
      };
      assert.equal(req.DefaultArguments['--session-language'], 'scala');
      assert.equal(req.RequestOrigin, 'GlueSparkKernel');
      assert.equal(req.Command.Name, 'glueetl');
      assert.equal(req.NumberOfWorkers, 2);
      assert.equal(req.WorkerType, 'G.1X');

      for (const [cell, what] of [
        [scala, 'a Scala statement'],
        [sql, '%%sql'],
      ] as const) {
        const error = assertError(cell, 'UnsupportedLanguage', what);
        assert.match(error.evalue ?? '', /The Glue emulator runs Python only: this is a Scala session/);
        assert.equal(cell.output_before_reply, true);
      }
      const codes = e2e.calls('RunStatement').map((c) => c.request?.Code);
      assert.equal(codes[0], 'val x = 6 * 7\nprintln(x)');
      assert.match(
        String(codes[1]),
        /^\{\n  val glueKernelFrame = spark\.sql\("SELECT 1"\)\n/,
        '%%sql sends Scala',
      );
      assertOk(status, '%status');
      assert.match(stdout(status), /Arguments Passed[\s\S]*--session-language scala/);
      assert.deepEqual(
        e2e.calls('StopSession').map((c) => c.request?.Id),
        [req.Id],
        'shutdown stops the Scala session',
      );
    } finally {
      await e2e.stop();
    }
  });
});
