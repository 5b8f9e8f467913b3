import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageFactory, PROTOCOL_VERSION, parentMsgId, replyType } from '../../../src/jupyter';

describe('MessageFactory', () => {
  it('builds headers with fresh ids, the session, ISO dates and version 5.3', () => {
    const factory = new MessageFactory({ username: 'me' });
    const a = factory.header('status');
    const b = factory.header('status');
    assert.notEqual(a.msg_id, b.msg_id);
    assert.match(a.msg_id, /^[0-9a-f-]{36}$/);
    assert.equal(a.session, factory.session);
    assert.equal(a.username, 'me');
    assert.equal(a.version, PROTOCOL_VERSION);
    assert.equal(PROTOCOL_VERSION, '5.3');
    assert.equal(new Date(a.date).toISOString(), a.date);
    assert.notEqual(new MessageFactory().session, factory.session);
  });

  it('builds replies with the request as parent and its routing ids', () => {
    const factory = new MessageFactory();
    const request = factory.message('complete_request', { code: '' }, { identities: [Buffer.from('id')] });
    const reply = factory.reply(request, { status: 'ok' });
    assert.equal(reply.header.msg_type, 'complete_reply');
    assert.deepEqual(reply.parent_header, request.header);
    assert.deepEqual(reply.identities, [Buffer.from('id')]);
    assert.equal(parentMsgId(reply), request.header.msg_id);
    assert.equal(parentMsgId(request), undefined);
  });

  it('maps request types to reply types', () => {
    assert.equal(replyType('execute_request'), 'execute_reply');
    assert.equal(replyType('kernel_info_request'), 'kernel_info_reply');
    assert.equal(replyType('odd'), 'odd_reply');
  });
});
