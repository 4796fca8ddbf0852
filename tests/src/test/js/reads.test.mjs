// Read positions: told at most once a second, never backwards (webapp/js/reads.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { READ_EVERY_MS, ReadPositions } from '../../../../webapp/js/reads.js';
import { FakeClock } from './fakes.mjs';

function setUp({ online = true } = {}) {
  const clock = new FakeClock();
  clock.time = 100000;
  const sent = [];
  const state = { online };
  const reads = new ReadPositions({ clock, send: (seq) => { if (!state.online) return false; sent.push(seq); return true; } });
  return { clock, sent, reads, state };
}

test('the first position seen goes out at once; what is seen within the next second goes out as one, the newest', () => {
  const { clock, sent, reads } = setUp();
  reads.welcome(0);
  reads.seen(3);
  assert.deepEqual(sent, [3]);
  reads.seen(4);
  reads.seen(6);
  reads.seen(5);
  clock.advance(READ_EVERY_MS - 1);
  assert.deepEqual(sent, [3], 'not twice within a second');
  clock.advance(1);
  assert.deepEqual(sent, [3, 6]);
  clock.advance(5000);
  assert.deepEqual(sent, [3, 6], 'nothing new seen, nothing sent');
  reads.seen(7);
  assert.deepEqual(sent, [3, 6, 7], 'a second after the last: at once');
});

test('never backwards, and never what the server keeps already', () => {
  const { clock, sent, reads } = setUp();
  reads.welcome(10);
  reads.seen(8);
  reads.seen(10);
  clock.advance(2000);
  assert.deepEqual(sent, []);
  reads.seen(12);
  reads.seen(11);
  clock.advance(2000);
  assert.deepEqual(sent, [12]);
  assert.equal(reads.position, 12);
});

test('a read from our other tab raises the kept position (the divider moves); one from someone else is "seen by"', () => {
  const { clock, sent, reads } = setUp();
  reads.welcome(2);
  assert.equal(reads.heard({ user: 'ann', seq: 5 }, 'ann'), true);
  assert.equal(reads.kept, 5);
  assert.equal(reads.heard({ user: 'ann', seq: 4 }, 'ann'), false, 'never backwards');
  reads.seen(5);
  clock.advance(2000);
  assert.deepEqual(sent, [], 'the server has 5 from the other tab');
  assert.equal(reads.heard({ user: 'bob', seq: 7 }, 'ann'), false);
  reads.heard({ user: 'zoe', seq: 4 }, 'ann');
  assert.deepEqual(reads.seenBy(4), ['bob', 'zoe']);
  assert.deepEqual(reads.seenBy(6), ['bob']);
  reads.forget('bob');
  assert.deepEqual(reads.seenBy(6), []);
});

test('seen while offline goes out after the next welcome, unless that welcome has it already', () => {
  const { clock, sent, reads, state } = setUp({ online: false });
  reads.welcome(1);
  reads.seen(4);
  clock.advance(2000);
  assert.deepEqual(sent, []);
  state.online = true;
  reads.welcome(2);
  assert.deepEqual(sent, [4]);
  reads.seen(6);
  state.online = false;
  clock.advance(2000);
  state.online = true;
  reads.welcome(6);
  clock.advance(2000);
  assert.deepEqual(sent, [4], 'the server kept 6 (another tab told it)');
});

test('another room starts from nothing, with no timer left over', () => {
  const { clock, sent, reads } = setUp();
  reads.welcome(0);
  reads.seen(9);
  reads.seen(10);
  reads.reset();
  assert.equal(clock.pending, 0);
  reads.welcome(0);
  reads.seen(2);
  clock.advance(2000);
  assert.deepEqual(sent, [9, 2], 'the new room\'s position, lower than the old room\'s');
});
