import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelInfoFor } from '../../../src/kernel/kernel-info';
import { describeEndpoint } from '../../../src/session/glue/endpoint-kind';
import { planLines } from '../../../src/session/glue/session-start';
import { billedDpuSeconds, estimatedCost, usageLine, usageRows } from '../../../src/session/usage';
import { minutesText } from '../../../src/text/time';

describe('usage and cost', () => {
  it('bills per second with a 1-minute minimum', () => {
    assert.equal(billedDpuSeconds({ sessionId: 's', executionSeconds: 30, dpuSeconds: 150 }), 300);
    assert.equal(billedDpuSeconds({ sessionId: 's', executionSeconds: 600, dpuSeconds: 3000 }), 3000);
    assert.equal(billedDpuSeconds({ sessionId: 's' }), undefined);
    // 5 DPU for an hour at $0.44 per DPU-hour.
    assert.equal(
      estimatedCost({ sessionId: 's', executionSeconds: 3600, dpuSeconds: 18_000 }, 0.44)?.toFixed(2),
      '2.20',
    );
  });

  it('says it in one line and in %status rows', () => {
    const usage = { sessionId: 'abc', executionSeconds: 725, dpuSeconds: 3625 };
    assert.equal(
      usageLine(usage, 0.44),
      'Session abc ran 12 min 05 s: 3625.0 DPU-seconds, about $0.44 at $0.44 per DPU-hour (estimate).',
    );
    assert.deepEqual(
      new Map(usageRows(usage, 0.29)).get('Estimated Cost'),
      '$0.29 (estimate at $0.29 per DPU-hour, 1-minute minimum; glue_dpu_hour_price)',
    );
    assert.match(usageLine({ sessionId: 'x' }, 0.44), /reported no DPU-seconds/);
  });
});

describe('what the kernel says before creating a session', () => {
  it('lists every effective value, marking the service defaults', () => {
    const lines = planLines(
      {
        Id: 'id-1',
        Role: 'arn:aws:iam::123456789012:role/R',
        Command: { Name: 'glueetl' },
        GlueVersion: '5.0',
      },
      { region: 'eu-west-1' },
    );
    assert.deepEqual(lines, [
      'Session Type: etl',
      'Glue Version: 5.0',
      'Worker Type: G.1X (service default)',
      'Number of Workers: 5 (service default)',
      'Idle Timeout: 2880 min (48 h) (service default)',
      'Timeout: 2880 min (48 h) (service default)',
      'Role: arn:aws:iam::123456789012:role/R',
      'Region: eu-west-1',
      'Session ID: id-1',
    ]);
    const set = planLines(
      { Id: 'i', Role: 'r', Command: {}, MaxCapacity: 2, IdleTimeout: 30, Timeout: 120 },
      { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' },
    );
    assert.ok(set.includes('Max Capacity: 2 DPU'));
    assert.ok(set.includes('Idle Timeout: 30 min'));
    assert.ok(set.includes('Timeout: 120 min (2 h)'));
    assert.ok(set.some((l) => /^Endpoint: http:\/\/127\.0\.0\.1:9000 \(a local endpoint/.test(l)));
    assert.ok(!set.some((l) => l.startsWith('Worker Type')));
  });

  it('names the endpoint kind and minutes with units', () => {
    assert.equal(describeEndpoint(undefined), undefined);
    assert.match(
      describeEndpoint('https://glue.us-east-1.amazonaws.com')!,
      /an AWS endpoint: sessions are billed/,
    );
    assert.match(describeEndpoint('https://vpce-1.glue.eu-west-1.vpce.amazonaws.com')!, /billed/);
    assert.match(describeEndpoint('http://localhost:8080')!, /not AWS, nothing billed/);
    assert.match(describeEndpoint('https://glue.example.com')!, /not an AWS address/);
    assert.equal(minutesText(90), '90 min (1 h 30 min)');
  });

  it('puts a non-AWS endpoint in the banner', () => {
    assert.match(
      kernelInfoFor('pyspark', 'glue', 'http://127.0.0.1:5000').banner,
      /Glue endpoint: http:\/\/127\.0\.0\.1:5000 \(a local endpoint/,
    );
    assert.doesNotMatch(kernelInfoFor('pyspark', 'glue').banner, /endpoint/);
    assert.doesNotMatch(kernelInfoFor('pyspark', 'local', 'http://127.0.0.1:5000').banner, /endpoint/);
  });
});
