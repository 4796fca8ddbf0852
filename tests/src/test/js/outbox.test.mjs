// The outbox of unacknowledged messages (webapp/js/outbox.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Outbox } from '../../../../webapp/js/outbox.js';

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
