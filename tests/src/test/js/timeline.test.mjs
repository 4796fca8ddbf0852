// Day dividers and runs of one sender (webapp/js/timeline.js), in a time zone that is not UTC,
// so that a local day and a UTC day differ.
import assert from 'node:assert/strict';
import { test } from 'node:test';

process.env.TZ = 'America/New_York';
const { RUN_MS, arrange, dayLabel, localDay } = await import('../../../../webapp/js/timeline.js');

const at = (y, mo, d, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();   // local time
const now = at(2026, 3, 10, 9, 30);
const msg = (ts, user) => ({ ts, user });
const line = (ts) => ({ ts, user: null });   // a presence or connection line, or a direct message

test('a day is the reader\'s local day, not UTC\'s', () => {
  assert.equal(localDay(Date.parse('2026-01-06T03:30:00Z')), 20260105, '22:30 in New York');
  assert.equal(localDay(Date.parse('2026-01-06T05:30:00Z')), 20260106, '00:30 in New York');
  const plan = arrange([msg(Date.parse('2026-01-05T23:30:00Z'), 'ann'), msg(Date.parse('2026-01-06T03:30:00Z'), 'bob'),
    msg(Date.parse('2026-01-06T05:30:00Z'), 'ann')], now);
  assert.deepEqual(plan.map((p) => p.day !== null), [true, false, true], 'a new UTC day is no new local day');
});

test('days are labelled Today, Yesterday, or by date, with the year only when it is another', () => {
  assert.equal(dayLabel(at(2026, 3, 10, 0, 1), now), 'Today');
  assert.equal(dayLabel(at(2026, 3, 9, 23, 59), now), 'Yesterday');
  assert.equal(dayLabel(at(2026, 2, 28), at(2026, 3, 1, 8)), 'Yesterday', 'across the end of a month');
  assert.equal(dayLabel(at(2026, 3, 7), at(2026, 3, 8, 12)), 'Yesterday', 'across the change to summer time');
  const older = dayLabel(at(2026, 3, 2), now);
  assert.equal(older, new Date(at(2026, 3, 2)).toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' }));
  assert.ok(!older.includes('2026'), older);
  assert.ok(dayLabel(at(2025, 12, 31), now).includes('2025'));
});

test('a divider goes before the first item and where the day changes, nowhere else', () => {
  const plan = arrange([
    msg(at(2026, 3, 8, 17, 2), 'sam'), msg(at(2026, 3, 8, 17, 40), 'maya'),
    line(at(2026, 3, 9, 8, 0)), msg(at(2026, 3, 9, 8, 1), 'sam'),
    msg(at(2026, 3, 10, 9, 0), 'maya'), msg(at(2026, 3, 10, 9, 1), 'sam'),
  ], now);
  assert.deepEqual(plan.map((p) => p.day), [
    new Date(at(2026, 3, 8)).toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' }),
    null, 'Yesterday', null, 'Today', null]);
});

test('an item without a time is of the day before it: no divider, and it runs on from nothing', () => {
  const plan = arrange([msg(at(2026, 3, 10, 9), 'ann'), { ts: null, user: 'ann' }, msg(at(2026, 3, 10, 9, 1), 'ann')], now);
  assert.deepEqual(plan, [{ day: 'Today', runsOn: false }, { day: null, runsOn: false }, { day: null, runsOn: false }]);
  assert.deepEqual(arrange([line(null)], now), [{ day: null, runsOn: false }]);
  assert.deepEqual(arrange([], now), []);
});

test('one sender\'s messages within a few minutes of each other run on, each from the one before', () => {
  const t = at(2026, 3, 10, 9);
  const plan = arrange([msg(t, 'ann'), msg(t + 60000, 'ann'), msg(t + 60000 + RUN_MS, 'ann'), msg(t + 60001 + 2 * RUN_MS, 'ann')], now);
  assert.deepEqual(plan.map((p) => p.runsOn), [false, true, true, false], '5 min apart runs on, a millisecond more does not');
});

test('another sender, a line between, or a direct message ends a run', () => {
  const t = at(2026, 3, 10, 9);
  const plan = arrange([msg(t, 'ann'), msg(t + 1000, 'bob'), msg(t + 2000, 'ann'), line(t + 3000), msg(t + 4000, 'ann'),
    line(t + 5000), line(t + 6000)], now);
  assert.deepEqual(plan.map((p) => p.runsOn), [false, false, false, false, false, false, false]);
});

test('a new day ends a run, also a minute after the last message', () => {
  const plan = arrange([msg(at(2026, 3, 9, 23, 59), 'ann'), msg(at(2026, 3, 10, 0, 0), 'ann')], now);
  assert.deepEqual(plan, [{ day: 'Yesterday', runsOn: false }, { day: 'Today', runsOn: false }]);
});
