// What a tab remembers of its chat (webapp/js/tab.js), over a fake sessionStorage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TabMemory } from '../../../../webapp/js/tab.js';
import { FakeStorage } from './fakes.mjs';

// A page that joined #lobby as ann and got a secret; then the page goes (a reload), as pagehide says.
function reloaded() {
  const storage = new FakeStorage();
  const page = new TabMemory(storage);
  page.joined('ann', 'lobby');
  page.secrets.set('lobby', 'ann', 's3cret');
  page.hidden();
  return storage;
}

test('a new tab remembers nothing: no name to fill in, no room to join', () => {
  assert.equal(new TabMemory(new FakeStorage()).recall(), null);
});

test('after a reload the tab joins again: its name, its room, and the secret that takes the name back', () => {
  const page = new TabMemory(reloaded());
  assert.deepEqual(page.recall(), { name: 'ann', room: 'lobby', rejoin: true });
  assert.equal(page.secrets.get('lobby', 'ann'), 's3cret');
  assert.equal(page.secrets.get('other', 'ann'), null, 'a secret is for its room');
  assert.equal(page.secrets.get('lobby', 'bob'), null, 'and its name');
});

test('a copy of a tab that is in the room (a duplicated tab) forgets it all: it would take the name from the first', () => {
  const storage = new FakeStorage();
  const first = new TabMemory(storage);
  first.joined('ann', 'lobby');
  first.secrets.set('lobby', 'ann', 's3cret');

  const copy = new TabMemory(storage.copy());
  assert.equal(copy.recall(), null);
  assert.equal(copy.secrets.get('lobby', 'ann'), null);
  assert.equal(first.secrets.get('lobby', 'ann'), 's3cret', 'the first keeps its own');
});

test('after Leave, or a removal for good, a reload asks again with the name filled in', () => {
  const storage = new FakeStorage();
  const page = new TabMemory(storage);
  page.joined('ann', 'lobby');
  page.out();
  assert.deepEqual(new TabMemory(storage).recall(), { name: 'ann', room: 'lobby', rejoin: false });
});

test('a copy of a tab that left is no copy of a live one: it offers the name, without joining', () => {
  const storage = new FakeStorage();
  const first = new TabMemory(storage);
  first.joined('ann', 'lobby');
  first.out();
  assert.deepEqual(new TabMemory(storage.copy()).recall(), { name: 'ann', room: 'lobby', rejoin: false });
});

test('a later welcome, in another room or under another name, is what a reload joins', () => {
  const storage = new FakeStorage();
  const page = new TabMemory(storage);
  page.joined('ann', 'lobby');
  page.joined('anna', 'other');
  page.hidden();
  assert.deepEqual(new TabMemory(storage).recall(), { name: 'anna', room: 'other', rejoin: true });
});

test('storage that is off or throws, or holds something else, is a tab that remembers nothing', () => {
  const off = new TabMemory(null);
  off.joined('ann', 'lobby');
  off.secrets.set('lobby', 'ann', 's');
  assert.equal(off.recall(), null);
  assert.equal(off.secrets.get('lobby', 'ann'), null);

  const throwing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceeded'); },
    removeItem() { throw new Error('SecurityError'); } };
  const page = new TabMemory(throwing);
  page.joined('ann', 'lobby');
  page.hidden();
  assert.equal(page.recall(), null);

  const odd = new FakeStorage();
  odd.setItem('parley.tab', 'not json');
  assert.equal(new TabMemory(odd).recall(), null);
  odd.setItem('parley.tab', JSON.stringify({ name: 7, room: 'lobby' }));
  assert.equal(new TabMemory(odd).recall(), null);
});
