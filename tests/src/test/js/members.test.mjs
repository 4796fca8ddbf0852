// The page's member list (webapp/js/members.js): a small room's names kept whole by joined and
// left, a large room's first page, its presence frames and members pages (PROTOCOL.md, "Large
// rooms"), in code point order as the server sorts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberList, byCodePoint } from '../../../../webapp/js/members.js';

const presence = (joined, left, count, more = 0) => ({ type: 'presence', room: 'r', count, joined, left, more, ts: 't' });

test('names sort by code point, as the server sorts them, not by UTF-16 unit or by locale', () => {
  const astral = '\u{1F600}';   // a surrogate pair, above U+FFFF
  const privateUse = '\uE000';
  assert.deepEqual(['b', astral, privateUse, 'B', 'a', 'ab', 'Ä'].sort(byCodePoint),
    ['B', 'a', 'ab', 'b', 'Ä', privateUse, astral]);
  assert.ok(byCodePoint(privateUse, astral) < 0, 'UTF-16 order would put the pair first');
  assert.equal(byCodePoint('same', 'same'), 0);
});

test('a small room: the welcome names everyone, joined and left keep the list whole and counted by its names', () => {
  const list = new MemberList();
  list.welcome({ type: 'welcome', users: ['bob', 'ada'] }, 'ada');
  assert.deepEqual([list.names, list.count, list.more], [['ada', 'bob'], 2, false]);
  list.change({ type: 'joined', user: 'zed', count: 3 });
  list.change({ type: 'left', user: 'bob', count: 2 });
  assert.deepEqual([list.names, list.count], [['ada', 'zed'], 2]);
  list.welcome({ type: 'welcome' }, 'ada');
  assert.deepEqual(list.names, ['ada'], 'a welcome without users: only oneself');
});

test('a large room: the first page and the count; presence adds and removes within it and sets the count', () => {
  const list = new MemberList();
  list.welcome({ type: 'welcome', users: ['ada', 'bob', 'cy'], count: 250, users_more: true }, 'ada');
  assert.deepEqual([list.names, list.count, list.more, list.last], [['ada', 'bob', 'cy'], 250, true, 'cy']);
  assert.equal(list.presence(presence(['bea', 'dan'], ['bob', 'nobody'], 251)), false);
  assert.deepEqual(list.names, ['ada', 'bea', 'cy'], 'dan sorts after the last name held: the next page brings him');
  assert.equal(list.count, 251);
  assert.equal(list.presence(presence([], [], 300, 7)), true, 'unnamed changes: the names must be read again');
});

test('members pages append after the last name, or replace the list from the first; more false ends it', () => {
  const list = new MemberList();
  list.welcome({ type: 'welcome', users: ['ada', 'bob'], count: 5, users_more: true }, 'ada');
  list.page({ type: 'members', users: ['cy', 'dan'], count: 5, more: true });
  assert.deepEqual([list.names, list.more], [['ada', 'bob', 'cy', 'dan'], true]);
  list.page({ type: 'members', users: ['eve'], count: 5, more: false });
  assert.deepEqual([list.names, list.more, list.count], [['ada', 'bob', 'cy', 'dan', 'eve'], false, 5]);
  list.presence(presence(['zed'], ['cy'], 5));
  assert.deepEqual(list.names, ['ada', 'bob', 'dan', 'eve', 'zed'], 'the whole room held: every name that comes is added');
  list.page({ type: 'members', users: ['ada', 'bob'], count: 9, more: true }, { fromStart: true });
  assert.deepEqual([list.names, list.more, list.count], [['ada', 'bob'], true, 9]);
});

test('a room that shrinks below the limit: joined and left carry the count the list shows', () => {
  const list = new MemberList();
  list.welcome({ type: 'welcome', users: ['ada', 'bob', 'cy'], count: 3, users_more: false }, 'ada');
  list.change({ type: 'left', user: 'cy', count: 2 });
  assert.deepEqual([list.names, list.count], [['ada', 'bob'], 2]);
});
