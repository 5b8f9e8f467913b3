// Progress, links and cost end to end (issue 7, parts 5–8): through jupyter_client on the
// emulator, the session and the statement each get a status line in the order they happen,
// ticking once a second and at most twice a second; the statement's own time excludes
// provisioning; a Progress set through the admin path shows as a bar; the Spark UI line appears
// once (one GetDashboardUrl per session); %status and %stop_session show DPU-seconds and cost.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertOk, drive, startE2E, stdout, type Output, type StepResult } from './harness';

const PROVISION_MS = 3000;

/** The texts a display went through: its first display_data, then its updates. */
function displays(cell: StepResult): Map<string, Output[]> {
  const byId = new Map<string, Output[]>();
  for (const o of cell.outputs ?? []) {
    if (!o.display_id) continue;
    byId.set(o.display_id, [...(byId.get(o.display_id) ?? []), o]);
  }
  return byId;
}

/** Sets the running statement's Progress through the admin path, once it is running. */
async function setProgressWhenRunning(
  endpoint: string,
  token: string,
  progress: number,
  signal: AbortSignal,
): Promise<boolean> {
  while (!signal.aborted) {
    const r = (await (await fetch(`${endpoint}/_emulator/sessions`)).json()) as {
      sessions: { id: string; running?: number }[];
    };
    const s = r.sessions.find((x) => x.running !== undefined);
    if (s) {
      const res = await fetch(`${endpoint}/_emulator/sessions/${s.id}/statements/${s.running}/progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ progress }),
      });
      return res.ok;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  return false;
}

describe('progress, Spark UI and cost through jupyter_client', () => {
  test('two status lines in order, ticking, a bar, the statement time alone, Spark UI once, DPU-seconds and cost', async (t) => {
    const e2e = await startE2E({ provisionMs: PROVISION_MS });
    const stop = new AbortController();
    try {
      const progressSet = setProgressWhenRunning(
        e2e.emulator.endpoint,
        e2e.emulator.adminToken,
        0.42,
        stop.signal,
      );
      const d = await drive(t, {
        kernelEnv: { ...e2e.baseEnv(), glue_idle_timeout: '30' },
        endpoint: e2e.emulator.endpoint,
        steps: [
          { code: 'import time\ntime.sleep(6)\nprint("slept")', updates: true },
          { code: '%status' },
          { code: '%stop_session' },
          { code: '%settings' },
        ],
      });
      stop.abort();
      if (!d) return;
      assert.equal(await progressSet, true, 'the admin path set the Progress');
      const [cell, status, stopped, settings] = d.results;
      assertOk(cell, 'the statement');
      const n = cell.execution_count;

      // Two lines, session first, each ending in its own summary.
      const lines = [...displays(cell).values()];
      assert.equal(lines.length, 2, JSON.stringify(cell.outputs, null, 1));
      const [sessionLine, statementLine] = lines;
      assert.match(sessionLine[0].plain ?? '', /^Session \S+: PROVISIONING, \d+ s elapsed$/);
      const sessionEnd = sessionLine[sessionLine.length - 1].plain ?? '';
      const ready = /has been created \(ready after (\d+) s\)/.exec(sessionEnd);
      assert.ok(ready, sessionEnd);
      assert.ok(Number(ready[1]) >= PROVISION_MS / 1000 - 1, `ready after ${ready[1]} s`);
      assert.match(statementLine[0].plain ?? '', new RegExp(`^In \\[${n}\\]: (RUNNING|WAITING)`));
      const statementEnd = statementLine[statementLine.length - 1].plain ?? '';
      const finished = new RegExp(`^In \\[${n}\\]: Statement finished in (\\d+\\.\\d) s\\.$`).exec(
        statementEnd,
      );
      assert.ok(finished, statementEnd);
      const seconds = Number(finished[1]);
      assert.ok(seconds >= 6 && seconds < 6 + PROVISION_MS / 1000 - 0.5, `statement alone: ${seconds} s`);
      assert.ok(sessionLine[0].at! < statementLine[0].at!, 'the session line comes first');

      // The elapsed time ticks in whole seconds, at most two updates a second per line.
      const ticks = new Set(
        [...sessionLine, ...statementLine]
          .map((o) => /, (\d+) s elapsed$/.exec(o.plain ?? '')?.[1])
          .filter(Boolean),
      );
      assert.ok(ticks.size >= 4, `elapsed values seen: ${[...ticks].join(', ')}`);
      for (const line of [sessionLine, statementLine]) {
        for (let i = 2; i < line.length - 1; i++) {
          const gap = line[i].at! - line[i - 1].at!;
          assert.ok(
            gap >= 0.45,
            `updates ${gap.toFixed(3)} s apart: ${line[i - 1].plain} → ${line[i].plain}`,
          );
        }
      }
      assert.ok(
        statementLine.some((o) => /\[█{8}░{12}\] 42%/.test(o.plain ?? '')),
        statementLine.map((o) => o.plain).join('\n'),
      );

      // The Spark UI, once, from one GetDashboardUrl for the session.
      const spark = stdout(cell).match(/Spark UI: (\S+)/g) ?? [];
      assert.equal(spark.length, 1, stdout(cell));
      assert.equal(e2e.calls('GetDashboardUrl').length, 1);
      const url = spark[0].slice('Spark UI: '.length);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /time\.sleep\(6\)/);

      // %status: the emulator is named, running time, DPU-seconds and an estimated cost.
      assertOk(status, '%status');
      const shown = stdout(status);
      assert.match(
        shown,
        /Endpoint\s+http:\/\/127\.0\.0\.1:\d+ \(a local endpoint such as the glue-kernel emulator/,
      );
      assert.match(shown, /Idle Timeout\s+30 min/);
      assert.match(shown, new RegExp(`Spark UI\\s+${url.replace(/[.?]/g, '\\$&')}`));
      assert.match(shown, /Running Time\s+\d+ s/);
      assert.match(shown, /DPU-seconds\s+\d+\.\d/);
      assert.match(shown, /Estimated Cost\s+\$\d+\.\d+ \(estimate at \$0\.44 per DPU-hour/);

      // %stop_session: the same usage, one line.
      assertOk(stopped, '%stop_session');
      assert.match(
        stdout(stopped),
        /Session \S+ ran \d+ s: \d+\.\d DPU-seconds, about \$\d+\.\d+ at \$0\.44 per DPU-hour \(estimate\)\./,
      );

      // %settings: the Glue backend's settings only, and the endpoint with its source.
      assertOk(settings, '%settings');
      const listed = stdout(settings);
      assert.match(
        listed,
        /^endpoint_url\s+http:\/\/127\.0\.0\.1:\d+\s+\(environment variable AWS_ENDPOINT_URL_GLUE\)$/m,
        listed,
      );
      assert.match(listed, /^dpu_hour_price\s+0\.44\s+\(default\)$/m, listed);
      assert.doesNotMatch(
        listed,
        /^(python|local_engine)\s/m,
        'local-backend settings are not shown on Glue',
      );
    } finally {
      stop.abort();
      await e2e.stop();
    }
  });

  test('an interrupt while provisioning shows no statement time; the cell after it says when the session was really ready; restart logs the usage', async (t) => {
    // Long enough that the interrupt lands while the session provisions, even on a loaded machine.
    const e2e = await startE2E({ provisionMs: 12_000 });
    try {
      const d = await drive(t, {
        kernelEnv: { ...e2e.baseEnv(), glue_idle_timeout: '30' },
        endpoint: e2e.emulator.endpoint,
        steps: [
          { code: 'print("never")', interrupt_after: 6, updates: true },
          { code: 'print("after")', updates: true },
          { restart: true },
        ],
      });
      if (!d) return;
      const [interrupted, after] = d.results;
      assert.equal(interrupted.status, 'error');
      const texts = (interrupted.outputs ?? []).map((o) => o.plain ?? o.text ?? '').join('\n');
      assert.doesNotMatch(texts, /Statement (finished|ended)/, texts);
      assert.match(texts, /Session \S+: still PROVISIONING after \d+ m?s\./);
      assertOk(after, 'the cell after the interrupt');
      assert.match(stdout(after), /after/);
      const ready = /has been created \(ready after (\d+) s\)/.exec(
        (after.outputs ?? []).map((o) => o.plain ?? '').join('\n'),
      );
      assert.ok(ready, JSON.stringify(after.outputs, null, 1));
      // Counted from the creation in the first cell, not from this cell's start.
      assert.ok(Number(ready[1]) >= 11, `ready after ${ready[1]} s`);
      assert.match(d.log, /Stopped at shutdown\. Session \S+ ran \d+ s: \d+\.\d DPU-seconds, about \$\d/);
    } finally {
      await e2e.stop();
    }
  });
});
