// Emulator benchmark: GetStatement latency and throughput on loopback, and the time from
// CreateSession to READY with provisioning delay 0 (the Python runner's start-up).
// Requests are pre-signed once with the SDK's SigV4 signer (@smithy/signature-v4) and sent
// with node:http over keep-alive sockets, so the numbers measure the emulator (parse, verify
// the signature, validate, answer), not the SDK client. Run: node dist/bench/emulator-bench.js
import * as http from 'node:http';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { runnerPython } from '../test/helpers/tools';
import { smithySign } from '../test/unit/emulator/smithy-sign';

const CREDS = { accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'bench-secret' };
const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';

interface Call {
  target: string;
  body: string;
}

async function presign(emu: RunningEmulator, call: Call): Promise<Record<string, string>> {
  return smithySign({
    host: `127.0.0.1:${emu.port}`,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSGlue.${call.target}`,
      'content-length': String(Buffer.byteLength(call.body)),
    },
    body: call.body,
    service: 'glue',
    ...CREDS,
    contentSha256: true,
  });
}

function send(
  agent: http.Agent,
  port: number,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function call(emu: RunningEmulator, agent: http.Agent, c: Call): Promise<unknown> {
  const r = await send(agent, emu.port, await presign(emu, c), c.body);
  if (r.status !== 200) throw new Error(`${c.target} → ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function waitReady(emu: RunningEmulator, agent: http.Agent, id: string): Promise<void> {
  for (;;) {
    const r = (await call(emu, agent, { target: 'GetSession', body: JSON.stringify({ Id: id }) })) as {
      Session: { Status: string; ErrorMessage?: string };
    };
    if (r.Session.Status === 'READY') return;
    if (r.Session.Status !== 'PROVISIONING')
      throw new Error(`session ${id}: ${r.Session.Status} ${r.Session.ErrorMessage ?? ''}`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

export async function benchEmulator(): Promise<Record<string, number>> {
  const emu = await startEmulator({ credentials: [CREDS], provisionMs: 0, python: runnerPython() });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  try {
    // CreateSession → READY (provisioning delay 0: the runner's start-up is the whole cost).
    const readyMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await call(emu, agent, {
        target: 'CreateSession',
        body: JSON.stringify({ Id: `bench-${i}`, Role: ROLE, Command: { Name: 'glueetl' } }),
      });
      await waitReady(emu, agent, `bench-${i}`);
      readyMs.push(performance.now() - t0);
    }
    const { Id } = (await call(emu, agent, {
      target: 'RunStatement',
      body: JSON.stringify({ SessionId: 'bench-0', Code: '1 + 1' }),
    })) as { Id: number };
    const get = { target: 'GetStatement', body: JSON.stringify({ SessionId: 'bench-0', Id }) };
    const headers = await presign(emu, get);

    // Latency: one client, sequential requests on one keep-alive socket.
    for (let i = 0; i < 300; i++) await send(agent, emu.port, headers, get.body); // warm-up
    const lat: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      const r = await send(agent, emu.port, headers, get.body);
      lat.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`GetStatement → ${r.status} ${r.body}`);
    }
    lat.sort((a, b) => a - b);

    // Throughput: 8 concurrent keep-alive clients for a bounded count and time.
    const clients = 8;
    const total = 12_000;
    let sent = 0;
    let failed = 0;
    const t0 = performance.now();
    const deadline = t0 + 15_000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (sent < total && performance.now() < deadline) {
          sent++;
          const r = await send(agent, emu.port, headers, get.body);
          if (r.status !== 200) failed++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    readyMs.sort((a, b) => a - b);
    return {
      getStatement_p50_ms: round(percentile(lat, 50)),
      getStatement_p90_ms: round(percentile(lat, 90)),
      getStatement_p99_ms: round(percentile(lat, 99)),
      getStatement_rps_8_clients: Math.round(sent / seconds),
      getStatement_failed: failed,
      createSession_to_ready_ms_median: round(readyMs[1]),
      createSession_to_ready_ms_max: round(readyMs[2]),
    };
  } finally {
    agent.destroy();
    await emu.stop();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

if (require.main === module) {
  benchEmulator().then(
    (r) => {
      const width = Math.max(...Object.keys(r).map((k) => k.length));
      console.log('Glue emulator (loopback, pre-signed node:http requests, keep-alive)');
      for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(width)}  ${v}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
