// The Glue Spark (Scala) kernel end to end: its sessions are Scala sessions
// (--session-language scala, RequestOrigin GlueSparkKernel), and the emulator, which runs
// Python only, refuses to create one with a clear error that the notebook shows as such
// (issue 7.9: nothing is provisioned that would then refuse every cell).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, assertOk, drive, requestOf, startE2E, stdout } from './harness';

describe('glue_spark through jupyter_client', () => {
  test('Scala sessions are refused at creation with the emulator\'s "Python only" error', async (t) => {
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
      assert.equal(creates.length, 2, 'each code cell asks for a session; none is created');
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
        const error = assertError(cell, /.+/, what);
        assert.match(
          error.evalue ?? '',
          /The Glue emulator runs Python only, so it does not create Scala sessions/,
        );
      }
      assert.deepEqual(e2e.calls('RunStatement'), [], 'no statement runs');
      assertOk(status, '%status');
      assert.match(stdout(status), /There is no current session/);
      assert.deepEqual(e2e.calls('StopSession'), [], 'there is no session to stop');
    } finally {
      await e2e.stop();
    }
  });
});
