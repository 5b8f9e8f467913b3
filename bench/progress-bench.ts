// Progress-line benchmark: statements of a few seconds on the emulator, through the Glue
// backend and the kernel's own status display (notifierFor), with the statement's Progress set
// through the admin path half-way. Measures how often the status lines change (the budget is at
// most 2 updates a second per line) and counts GetStatement calls against the poll schedule's
// own count and against the same statement run with no display (the ticker must add none).
// Run: node dist/bench/progress-bench.js
import { SettingsStore } from '../src/config/layers';
import { startEmulator } from '../src/emulator';
import type { JsonObject, MimeBundle, OutputSink } from '../src/jupyter/interpreter';
import { notifierFor } from '../src/kernel/glue-interpreter';
import { SILENT_NOTIFIER } from '../src/session/backend';
import { GlueBackend } from '../src/session/glue/glue-backend';
import { simulatePolls, STATEMENT_SCHEDULE } from '../src/session/glue/poll';
import { configSessionRequest } from '../src/session/glue/session-request';
import { textTable } from '../src/text/text-table';
import { runnerPython } from '../test/helpers/tools';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';
const DURATIONS_S = [4, 8];

/** Records when each display changed. */
class TimingSink implements OutputSink {
  readonly updates = new Map<string, number[]>();
  stream(): void {}
  displayData(_data: MimeBundle, _metadata?: JsonObject, displayId?: string): void {
    if (displayId) this.updates.set(displayId, [performance.now()]);
  }
  updateDisplayData(_data: MimeBundle, displayId: string): void {
    this.updates.get(displayId)?.push(performance.now());
  }
  executeResult(): void {}
  error(): void {}
  clearOutput(): void {}
}

/** Sets the Progress of the running statement through the admin path. */
async function setProgress(endpoint: string, token: string, progress: number): Promise<void> {
  const r = (await (await fetch(`${endpoint}/_emulator/sessions`)).json()) as {
    sessions: { id: string; running?: number }[];
  };
  const s = r.sessions.find((x) => x.running !== undefined);
  if (!s) return;
  await fetch(`${endpoint}/_emulator/sessions/${s.id}/statements/${s.running}/progress`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ progress }),
  });
}

/** The most changes of one line within any 1 s window. */
function maxPerSecond(times: number[]): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && times[j] - times[i] < 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

export async function benchProgress(): Promise<Record<string, unknown>> {
  const emulator = await startEmulator({ python: runnerPython(), provisionMs: 0 });
  const [creds] = emulator.credentials;
  const store = new SettingsStore();
  store.set('iam_role', ROLE, '%iam_role');
  store.set('idle_timeout', 30, '%idle_timeout');
  const backend = new GlueBackend({
    kind: 'pyspark',
    clientSettings: () => ({
      region: emulator.region,
      endpoint: emulator.endpoint,
      stsEndpoint: emulator.endpoint,
      iamEndpoint: emulator.endpoint,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    }),
    sessionRequest: configSessionRequest({
      kind: 'pyspark',
      kernelVersion: 'bench',
      settings: () => store.resolve({}, {}),
      jobArguments: () => store.jobArguments(),
    }),
    progressAfterMs: 0,
  });
  const getStatements = (): number =>
    emulator.admin.calls().filter((c) => c.operation === 'GetStatement').length;
  const rows: string[][] = [];
  const results: Record<string, unknown> = {};
  try {
    const signal = new AbortController().signal;
    await backend.run('1', { signal, notify: SILENT_NOTIFIER });
    for (const seconds of DURATIONS_S) {
      const code = `import time\ntime.sleep(${seconds})`;
      // Half-way, a Progress for the bar (the admin path, as a test sets it).
      const setHalf = setTimeout(
        () => void setProgress(emulator.endpoint, emulator.adminToken, 0.5),
        (seconds * 1000) / 2,
      );
      const sink = new TimingSink();
      const notify = notifierFor(sink);
      let before = getStatements();
      await backend.run(code, { signal, notify, executionCount: 1 });
      notify.close();
      clearTimeout(setHalf);
      const withDisplay = getStatements() - before;
      before = getStatements();
      await backend.run(code, { signal, notify: SILENT_NOTIFIER });
      const withoutDisplay = getStatements() - before;
      const lines = [...sink.updates.values()];
      const perSecond = Math.max(0, ...lines.map(maxPerSecond));
      const updates = lines.reduce((n, l) => n + l.length, 0);
      const scheduled = simulatePolls(seconds * 1000, STATEMENT_SCHEDULE).calls;
      results[`${seconds}s`] = {
        updates,
        max_updates_per_second: perSecond,
        get_statement_with_display: withDisplay,
        get_statement_without_display: withoutDisplay,
        get_statement_schedule: scheduled,
      };
      rows.push([
        `sleep(${seconds})`,
        String(updates),
        String(perSecond),
        `${withDisplay} / ${withoutDisplay} / ${scheduled}`,
      ]);
    }
  } finally {
    await backend.close(AbortSignal.timeout(5000)).catch(() => undefined);
    await emulator.stop();
  }
  console.log(
    textTable(
      ['statement', 'line updates', 'max per 1 s (≤ 2)', 'GetStatement: display / none / schedule'],
      rows,
    ),
  );
  return results;
}

if (require.main === module) {
  console.log('Progress lines: update rate and GetStatement calls, on the emulator…');
  benchProgress().then(
    () => undefined,
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
