import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendQueue, SocketClosedError } from '../../../src/jupyter';

/** A socket like zeromq v6's: a second send while one is pending throws EBUSY. */
class BusySocket {
  closed = false;
  sent: string[] = [];
  private busy = false;
  send(frames: Buffer[]): Promise<void> {
    if (this.busy) throw Object.assign(new Error('Socket is busy writing'), { code: 'EBUSY' });
    this.busy = true;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.busy = false;
        this.sent.push(frames.map((f) => f.toString()).join('|'));
        resolve();
      }, 2),
    );
  }
}

describe('SendQueue', () => {
  it('serialises sends in call order', async () => {
    const socket = new BusySocket();
    const queue = new SendQueue(socket);
    await Promise.all(['a', 'b', 'c', 'd'].map((x) => queue.send([Buffer.from(x)])));
    assert.deepEqual(socket.sent, ['a', 'b', 'c', 'd']);
  });

  it('flush waits for everything queued so far', async () => {
    const socket = new BusySocket();
    const queue = new SendQueue(socket);
    void queue.send([Buffer.from('1')]);
    void queue.send([Buffer.from('2')]);
    await queue.flush();
    assert.deepEqual(socket.sent, ['1', '2']);
  });

  it('rejects sends on a closed socket and keeps going after a failure', async () => {
    const socket = new BusySocket();
    const queue = new SendQueue(socket);
    socket.closed = true;
    await assert.rejects(queue.send([Buffer.from('x')]), SocketClosedError);
    socket.closed = false;
    await queue.send([Buffer.from('y')]);
    assert.deepEqual(socket.sent, ['y']);
  });
});
