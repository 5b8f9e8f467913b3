import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConnectionFileError,
  channelAddress,
  parseConnectionInfo,
  readConnectionFile,
} from '../../../src/jupyter';

const valid = {
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  ip: '127.0.0.1',
  key: 'a-very-secret-key',
  transport: 'tcp',
  signature_scheme: 'hmac-sha256',
  kernel_name: 'glue',
};

describe('connection file', () => {
  it('parses a jupyter_client connection file', () => {
    const info = parseConnectionInfo(valid);
    assert.equal(info.shell_port, 5001);
    assert.equal(info.kernel_name, 'glue');
    assert.equal(channelAddress(info, 'shell'), 'tcp://127.0.0.1:5001');
    assert.equal(channelAddress(info, 'hb'), 'tcp://127.0.0.1:5005');
  });

  it('builds ipc addresses as ip-port', () => {
    const info = parseConnectionInfo({ ...valid, transport: 'ipc', ip: '/tmp/kernel-1' });
    assert.equal(channelAddress(info, 'iopub'), 'ipc:///tmp/kernel-1-5002');
  });

  it('defaults transport and signature_scheme and ignores unknown fields', () => {
    const rest: Record<string, unknown> = { ...valid, extra: true };
    delete rest.transport;
    delete rest.signature_scheme;
    delete rest.kernel_name;
    const info = parseConnectionInfo(rest);
    assert.equal(info.transport, 'tcp');
    assert.equal(info.signature_scheme, 'hmac-sha256');
    assert.equal(info.kernel_name, undefined);
    assert.equal('extra' in info, false);
  });

  it('accepts other hmac schemes and an empty key', () => {
    assert.equal(
      parseConnectionInfo({ ...valid, signature_scheme: 'hmac-sha512' }).signature_scheme,
      'hmac-sha512',
    );
    assert.equal(parseConnectionInfo({ ...valid, key: '' }).key, '');
  });

  it('lists every problem, without the key', () => {
    const bad = { ...valid, transport: 'udp', shell_port: 70000, hb_port: 'x', signature_scheme: 'md5' };
    delete (bad as Record<string, unknown>).ip;
    assert.throws(
      () => parseConnectionInfo(bad),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionFileError);
        const fields = error.issues.map((i) => i.split(':')[0]).sort();
        assert.deepEqual(fields, ['hb_port', 'ip', 'shell_port', 'signature_scheme', 'transport']);
        assert.ok(!error.message.includes(valid.key));
        return true;
      },
    );
    assert.throws(
      () => parseConnectionInfo({ ...valid, signature_scheme: 'hmac-nosuchhash' }),
      /signature_scheme/,
    );
    assert.throws(() => parseConnectionInfo({ ...valid, shell_port: 1.5 }), /shell_port/);
    assert.throws(() => parseConnectionInfo([]), ConnectionFileError);
    assert.throws(() => parseConnectionInfo(null), ConnectionFileError);
  });

  it('reads a file and reports unreadable or non-JSON files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conn-'));
    try {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(good, JSON.stringify(valid));
      assert.equal((await readConnectionFile(good)).hb_port, 5005);
      const broken = path.join(dir, 'broken.json');
      fs.writeFileSync(broken, `{"key": "${valid.key}",`);
      await assert.rejects(readConnectionFile(broken), (error: unknown) => {
        assert.ok(error instanceof ConnectionFileError);
        assert.match(error.message, /not valid JSON/);
        assert.ok(!error.message.includes(valid.key));
        return true;
      });
      await assert.rejects(readConnectionFile(path.join(dir, 'missing.json')), /ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
