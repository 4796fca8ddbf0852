// The outbox of unacknowledged messages (clients/js/outbox.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Outbox, frameOf } from '../../../../clients/js/outbox.js';

const item = (cid, text, more = {}) => ({ cid, kind: 'message', to: null, text, sent: true, ...more });
const stored = (seq, user, text) => ({ type: 'message', seq, user, text });

test('a message sent before a drop that the welcome history holds counts as acked, once per stored copy', () => {
  const outbox = new Outbox();
  const a = outbox.add('lobby', item('c1', 'hi'));
  const b = outbox.add('lobby', item('c2', 'hi'));
  const c = outbox.add('lobby', item('c3', 'lost'));
  const history = [stored(4, 'ann', 'hi'), stored(5, 'bob', 'hi'), stored(6, 'ann', 'other')];
  const acked = outbox.claim('lobby', history, 3, 'ann', () => false);
  assert.deepEqual(acked, [[a, 4]], "one stored copy of ann's: one item; bob's is not hers");
  assert.deepEqual([a.sent, b.sent, c.sent], [false, false, false], 'the rest go out again');
});

test('claim looks only past since and at seqs not on the page yet', () => {
  const outbox = new Outbox();
  outbox.add('lobby', item('c1', 'hi'));
  const history = [stored(2, 'ann', 'hi'), stored(3, 'ann', 'hi')];
  assert.deepEqual(outbox.claim('lobby', history, 2, 'ann', (seq) => seq === 3), []);
});

test('directs and unsent items are never claimed (directs are not stored)', () => {
  const outbox = new Outbox();
  outbox.add('lobby', item('c1', 'hi', { kind: 'direct', to: 'bob' }));
  outbox.add('lobby', item('c2', 'hi', { sent: false }));
  assert.deepEqual(outbox.claim('lobby', [stored(1, 'ann', 'hi')], 0, 'ann', () => false), []);
});

test('rooms keep their own items; remove finds an item in any room', () => {
  const outbox = new Outbox();
  const a = outbox.add('lobby', item('c1', 'one'));
  const b = outbox.add('other', item('c2', 'two', { sent: false }));
  assert.equal(outbox.byCid('lobby', 'c2'), undefined);
  assert.equal(outbox.byCid('other', 'c2'), b);
  outbox.remove(b);
  assert.deepEqual(outbox.of('other'), []);
  assert.equal(outbox.newestSent('lobby'), a);
});

test('our own direct is known by its text and target when it comes back', () => {
  const outbox = new Outbox();
  const d = outbox.add('lobby', item('c1', 'psst', { kind: 'direct', to: 'bob' }));
  assert.equal(outbox.sentDirect('lobby', 'carol', 'psst'), undefined);
  assert.equal(outbox.sentDirect('lobby', 'bob', 'psst'), d);
});

test('protocol 1.1: after a rejoin every sent item goes out again with its cid, and nothing is matched by text', () => {
  const outbox = new Outbox();
  const a = outbox.add('lobby', item('c1', 'hi'));
  const b = outbox.add('lobby', item('c2', 'hi', { sent: false }));
  const history = [stored(4, 'ann', 'hi')];
  const acked = outbox.rejoined('lobby', { dedup: true, history, since: 3, name: 'ann', shown: () => false });
  assert.deepEqual(acked, [], 'the server says which were stored');
  assert.deepEqual([a.sent, b.sent], [false, false]);
  assert.deepEqual(frameOf(a), { type: 'message', text: 'hi', cid: 'c1' }, 'the same cid as the first time');
});

test('a version 1 server (no protocol 1.1 in the welcome) still has its history searched for our texts', () => {
  const outbox = new Outbox();
  const a = outbox.add('lobby', item('c1', 'hi'));
  const history = [{ type: 'edit', seq: 4, ref: 1, user: 'ann', text: 'hi' }, stored(5, 'ann', 'hi')];
  assert.deepEqual(outbox.rejoined('lobby', { dedup: false, history, since: 3, name: 'ann', shown: () => false }), [[a, 5]],
    'an edit with the same text is no stored copy');
});

test('an ack with dup settles the resent item with the first copy\'s seq; an ack without seq settles nothing', () => {
  const outbox = new Outbox();
  const a = outbox.add('lobby', item('c1', 'hi'));
  outbox.rejoined('lobby', { dedup: true, history: [], since: 3, name: 'ann', shown: () => false });
  a.sent = true;    // resent
  assert.equal(outbox.acked('lobby', { type: 'ack', cid: 'c9', seq: 4 }), null, 'not ours');
  assert.equal(outbox.acked('lobby', { type: 'ack', cid: 'c1' }), null, 'a reaction that changed nothing has no seq');
  assert.deepEqual(outbox.acked('lobby', { type: 'ack', cid: 'c1', seq: 4, dup: true }), { item: a, seq: 4, dup: true });
  assert.deepEqual(outbox.of('lobby'), []);
  assert.equal(outbox.acked('lobby', { type: 'ack', cid: 'c1', seq: 4, dup: true }), null, 'settled once');
});

test('a reply goes out with reply_to; a direct never has one', () => {
  assert.deepEqual(frameOf(item('c1', 'yes', { replyTo: 7 })), { type: 'message', text: 'yes', cid: 'c1', reply_to: 7 });
  assert.deepEqual(frameOf(item('c2', 'psst', { kind: 'direct', to: 'bob', replyTo: 7 })),
    { type: 'direct', to: 'bob', text: 'psst', cid: 'c2' });
});
