// The room's log: messages and the events that change them (webapp/js/log.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoomLog, excerpt, isLogFrame, messageState } from '../../../../webapp/js/log.js';

const ts = (s) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
const message = (seq, user, text, more = {}) => ({ type: 'message', room: 'r', seq, user, text, ts: ts(seq), ...more });
const edit = (seq, ref, text, user = 'ann') => ({ type: 'edit', room: 'r', seq, ref, user, text, ts: ts(seq) });
const del = (seq, ref, user = 'ann') => ({ type: 'delete', room: 'r', seq, ref, user, ts: ts(seq) });
const react = (seq, ref, user, emoji, on = true) => ({ type: 'react', room: 'r', seq, ref, user, emoji, on, ts: ts(seq) });

// The state the page shows: seq -> "user: text [edited] [deleted] {emoji: names}".
function shown(log) {
  return log.seqs().map((seq) => {
    const m = log.get(seq);
    const reactions = [...m.reactions].map(([e, names]) => `${e}=${names.join(',')}`).join(' ');
    return `${seq} ${m.user}: ${m.deleted ? '(deleted)' : m.text}${m.edited ? ' (edited)' : ''}${reactions ? ` {${reactions}}` : ''}`;
  });
}

test('a live edit changes the text and says when; the newest edit wins', () => {
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'helo'));
  assert.deepEqual(log.apply(edit(2, 1, 'hello')), { seq: 1, type: 'edit', created: false });
  assert.equal(log.get(1).edited, ts(2));
  log.apply(edit(3, 1, 'hello!'));
  assert.deepEqual(shown(log), ['1 ann: hello! (edited)']);
});

test('a delete empties the message and drops its reactions; an edit after it changes nothing', () => {
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'secret'));
  log.apply(react(2, 1, 'bob', '👍'));
  assert.deepEqual(log.apply(del(3, 1, 'mod')), { seq: 1, type: 'delete', created: false });
  assert.equal(log.get(1).deletedBy, 'mod');
  assert.equal(log.apply(edit(4, 1, '')), null, 'a deleted message\'s edits are served with text ""');
  assert.equal(log.apply(react(5, 1, 'bob', '🎉')), null);
  assert.equal(log.apply(del(6, 1)), null, 'deleted once');
  assert.deepEqual(shown(log), ['1 ann: (deleted)']);
  assert.equal(log.get(1).text, '');
});

test('reactions: adding one twice or removing one not there changes nothing; names stay sorted; the last one out removes the emoji', () => {
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'hi'));
  assert.ok(log.apply(react(2, 1, 'zoe', '👍')));
  assert.ok(log.apply(react(3, 1, 'bob', '👍')));
  assert.equal(log.apply(react(4, 1, 'bob', '👍')), null, 'bob has it already');
  assert.equal(log.apply(react(5, 1, 'bob', '❤️', false)), null, 'bob never had it');
  assert.deepEqual(log.reactions(1, 'bob'), [{ emoji: '👍', users: ['bob', 'zoe'], mine: true }]);
  assert.ok(log.apply(react(6, 1, 'bob', '👍', false)));
  assert.deepEqual(log.reactions(1, 'bob'), [{ emoji: '👍', users: ['zoe'], mine: false }]);
  assert.ok(log.apply(react(7, 1, 'zoe', '👍', false)));
  assert.deepEqual(log.reactions(1, 'bob'), [], 'no count of 0');
});

test('an event seen twice (live, then again in recovered history) is applied once', () => {
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'hi'));
  log.apply(react(2, 1, 'bob', '👍'));
  log.apply(react(3, 1, 'bob', '👍', false));
  // the recovery repeats 2 and 3 (since was older): replayed in order they end where they were
  const changed = log.applyAll([react(2, 1, 'bob', '👍'), react(3, 1, 'bob', '👍', false)]);
  assert.deepEqual(changed, []);
  assert.deepEqual(log.reactions(1, 'bob'), []);
});

test('history: messages carry their current state and the events after them do not apply again', () => {
  const log = new RoomLog();
  // served now: message 1 was edited twice (seqs 2 and 4) and got a reaction (3) and lost it (5)
  const changed = log.applyAll([
    message(1, 'ann', 'third', { edited: ts(4) }),
    edit(2, 1, 'second'), react(3, 1, 'bob', '👍'), edit(4, 1, 'third'), react(5, 1, 'bob', '👍', false),
    message(6, 'bob', 'yo', { reactions: { '👍': ['zoe', 'ann'], '🎉': [] } }),
  ]);
  assert.deepEqual(changed.map((c) => [c.seq, c.type, c.created]), [[1, 'message', true], [6, 'message', true]]);
  assert.deepEqual(shown(log), ['1 ann: third (edited)', '6 bob: yo {👍=ann,zoe}']);
  log.apply(edit(7, 1, 'fourth'));
  assert.equal(log.get(1).text, 'fourth', 'live on top');
});

test('an older page of history: its messages are as they are now, so the old edits in it are not applied', () => {
  const log = new RoomLog();
  log.applyAll([message(20, 'bob', 'newer', { edited: ts(21) }), edit(21, 20, 'newer')]);
  // the page before seq 20: message 5 was edited at 8 and again at 30 (which this page does not hold)
  const changed = log.applyAll([message(5, 'ann', 'final', { edited: ts(30) }), edit(8, 5, 'draft')]);
  assert.deepEqual(changed.map((c) => c.seq), [5]);
  assert.equal(log.get(5).text, 'final');
  assert.equal(log.get(20).text, 'newer');
});

test('state from history, then live events on top of it', () => {
  const log = new RoomLog();
  log.applyAll([message(1, 'ann', 'a'), message(2, 'bob', 'b', { reply_to: 1 }), message(3, 'ann', '', { deleted: true })]);
  log.apply(edit(4, 1, 'a2'));
  log.apply(react(5, 2, 'ann', '😂'));
  log.apply(message(6, 'zoe', 'c', { reply_to: 2 }));
  log.apply(del(7, 2, 'bob'));
  assert.deepEqual(shown(log), ['1 ann: a2 (edited)', '2 bob: (deleted)', '3 ann: (deleted)', '6 zoe: c']);
  assert.equal(log.get(6).replyTo, 2);
  assert.deepEqual(log.repliesTo(2), [6]);
  assert.equal(log.newest, 7);
  assert.deepEqual(log.quote(2), { seq: 2, user: 'bob', text: '', deleted: true });
  assert.equal(log.quote(99), null, 'an original not loaded');
});

test('a message frame served again with a state older than ours is not taken', () => {
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'a'));
  log.apply(edit(2, 1, 'b'));
  assert.equal(log.apply(message(1, 'ann', 'a')), null, 'the broadcast of 1 again (version 1 < 2)');
  assert.equal(log.get(1).text, 'b');
  assert.deepEqual(log.apply(message(1, 'ann', 'c', { edited: ts(3) }), 3), { seq: 1, type: 'message', created: false });
  assert.equal(log.get(1).text, 'c');
});

test('events for a message not in the log (older than what is loaded) change nothing', () => {
  const log = new RoomLog();
  assert.equal(log.apply(edit(5, 1, 'x')), null);
  assert.equal(log.apply(react(6, 1, 'ann', '👍')), null);
  assert.equal(log.size, 0);
  assert.equal(log.newest, 6);
});

test('frames that are not the log\'s (no seq, other types) are ignored; a version 1 history frame without type is a message', () => {
  const log = new RoomLog();
  assert.equal(isLogFrame({ type: 'read', seq: 3 }), false);
  assert.equal(isLogFrame({ type: 'message' }), false);
  assert.equal(isLogFrame({ seq: 1, user: 'a', text: 'b' }), true);
  assert.equal(log.apply({ type: 'typing', seq: 1 }), null);
  assert.equal(messageState({ seq: 1, user: 'a', text: 'secret', deleted: true }).text, '', 'a deleted message shows no words');
});

test('the first unread: after the read position, by someone else, not deleted', () => {
  const log = new RoomLog();
  log.applyAll([message(1, 'bob', 'a'), message(2, 'ann', 'mine'), message(3, 'bob', '', { deleted: true }), message(4, 'bob', 'b')]);
  assert.equal(log.firstUnread(1, 'ann'), 4);
  assert.equal(log.firstUnread(0, 'ann'), 1);
  assert.equal(log.firstUnread(4, 'ann'), null);
});

test('a quote is the start of the text on one line', () => {
  assert.equal(excerpt('one\n two   three'), 'one two three');
  assert.equal(excerpt('abcdefghij', 5), 'abcd…');
  assert.equal(excerpt('😀😀😀😀😀😀', 4), '😀😀😀…', 'code points, not halves of them');
  const log = new RoomLog();
  log.apply(message(1, 'ann', 'x'.repeat(100)));
  assert.equal([...log.quote(1).text].length, 80);
});

test('the oldest seq counts events too: a page of history holding only events moves it back', () => {
  const log = new RoomLog();
  log.applyAll([message(60, 'ann', 'a'), message(61, 'bob', 'b')]);
  assert.equal(log.oldest, 60);
  log.applyAll([react(10, 3, 'ann', '👍'), react(11, 3, 'bob', '👍')]);
  assert.equal(log.oldest, 10, 'the next page asks before 10, not before 60 again');
  log.clear();
  assert.equal(log.oldest, 0);
});
