// The server's errors in words (webapp/js/errors.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inWords, localTimes } from '../../../../webapp/js/errors.js';

const error = (code, message) => ({ type: 'error', code, message, cid: 'c1' });

test('no-such-message says what did not happen to the deleted message', () => {
  assert.equal(inWords(error('no-such-message', 'No message 7 in #lobby.'), 'edit'),
    'That message is not there any more (it was deleted), so your edit was not saved.');
  assert.equal(inWords(error('no-such-message'), 'react'),
    'That message is not there any more (it was deleted), so your reaction was not added.');
  assert.equal(inWords(error('no-such-message'), 'reply'),
    'The message you replied to is not there any more (it was deleted), so yours was not sent.');
  assert.equal(inWords(error('no-such-message'), 'delete'), 'That message was deleted already.');
  assert.equal(inWords(error('no-such-message')), 'That message is not there any more: it was deleted.');
});

test('forbidden says what one may not do, and the server\'s reason (a mute says until when)', () => {
  const until = new Date('2026-12-06T19:00:00.000Z').toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  assert.equal(inWords(error('forbidden', 'You are muted in #lobby until 2026-12-06T19:00:00.000Z.'), 'message'),
    `You are not allowed to send messages here. The server says: You are muted in #lobby until ${until}.`);
  assert.equal(inWords(error('forbidden'), 'edit'), 'You are not allowed to edit that message: only its author can.');
  assert.equal(inWords(error('forbidden'), 'moderate'), 'You are not allowed to moderate this room: only its moderators can.');
  assert.equal(inWords(error('forbidden', 'You are banned from #lobby.')), 'You are banned from #lobby.', 'nothing of ours: the server\'s sentence');
  assert.equal(inWords(error('forbidden')), 'You are not allowed to do that.');
});

test('other errors are the server\'s sentence, or at least their code', () => {
  assert.equal(inWords(error('too-long', 'A message has at most 20 distinct emoji.'), 'react'), 'A message has at most 20 distinct emoji.');
  assert.equal(inWords({ type: 'error', code: 'bad-text' }, 'react'), 'bad-text');
});

test('a timestamp in the server\'s sentence is said in the reader\'s time; other numbers stay', () => {
  const at = new Date('2026-12-06T19:00:00.000Z').toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  assert.equal(localTimes('until 2026-12-06T19:00:00.000Z, or 2026-12-06T19:00:00Z'), `until ${at}, or ${at}`);
  assert.equal(localTimes('message 2026 of 12'), 'message 2026 of 12');
});
