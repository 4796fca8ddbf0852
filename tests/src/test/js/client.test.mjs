// ParleyClient (clients/js/client.js): events, promises and the outbox over a fake WebSocket
// and a fake clock: what a program on the package sees through reconnects.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { MEMBERS_LIMIT, OUTBOX_LIMIT, ParleyClient, ParleyError } from '../../../../clients/js/client.js';
import { FakeClock, FakeEventSource, FakeWebSocket, fakeFetch, settle } from './fakes.mjs';

beforeEach(() => {
  FakeWebSocket.all.length = 0;
  FakeEventSource.all.length = 0;
});

function client(options = {}) {
  const clock = new FakeClock();
  const c = new ParleyClient({
    url: 'ws://127.0.0.1:8080/chat', room: 'lobby', user: 'ada', transport: 'websocket',
    WebSocket: FakeWebSocket, clock, random: () => 0.5, ...options,
  });
  const heard = [];
  for (const type of ['message', 'edit', 'react', 'joined', 'error', 'state']) {
    c.on(type, (e) => heard.push([type, type === 'error' ? e.code : (e.seq ?? e.user ?? e.state)]));
  }
  const socket = () => FakeWebSocket.all[FakeWebSocket.all.length - 1];
  const sent = () => socket().sent.map((data) => JSON.parse(data));
  const receive = (frame) => socket().message(JSON.stringify(frame));
  return { c, clock, heard, socket, sent, receive };
}

const message = (seq, text = `m${seq}`) => ({ type: 'message', room: 'lobby', seq, user: 'bob', text, ts: '2026-12-07T00:00:00.000Z' });
const welcome = (history = [], extra = {}) => ({ type: 'welcome', room: 'lobby', user: 'ada', users: ['ada', 'bob'], history, protocol: '1.1', ...extra });

test('connect opens the room URL, joins, and resolves with the welcome; later frames are events', async () => {
  const { c, heard, socket, sent, receive } = client();
  const connected = c.connect();
  assert.equal(socket().url, 'ws://127.0.0.1:8080/chat/lobby');
  socket().opened();
  assert.deepEqual(sent(), [{ type: 'join', user: 'ada' }]);
  receive(welcome([message(1), message(2)]));
  assert.equal((await connected).user, 'ada');
  assert.equal(c.state, 'online');
  receive(message(2)); // already in the welcome
  receive(message(3));
  receive({ type: 'joined', room: 'lobby', user: 'cy', count: 3, ts: '2026-12-07T00:00:00.000Z' });
  assert.deepEqual(heard.filter(([t]) => t !== 'state'), [['message', 3], ['joined', 'cy']]);
  assert.deepEqual(heard.filter(([t]) => t === 'state').map(([, s]) => s), ['connecting', 'connecting', 'joining', 'online']);
});

test('a reconnect frame before 1001 sets the next attempt between after and twice after; a send waits it out', async () => {
  const { c, clock, heard, socket, sent, receive } = client(); // random() = 0.5: 1.5 times after
  const connected = c.connect();
  socket().opened();
  receive(welcome());
  await connected;
  const sending = c.send('hello');
  receive({ type: 'reconnect', after: 3000 });
  socket().closedByServer(1001, 'server shutting down');
  assert.equal(c.state, 'reconnecting');
  assert.deepEqual(heard.filter(([t]) => t === 'error'), [], 'neither the frame nor the close is an error');
  clock.advance(4499);
  assert.equal(FakeWebSocket.all.length, 1, 'not before 4.5 s');
  clock.advance(1);
  assert.equal(FakeWebSocket.all.length, 2);
  socket().opened();
  receive(welcome([], { recovered: true }));
  const resent = sent().at(-1);
  assert.equal(resent.text, 'hello');
  receive({ type: 'ack', cid: resent.cid, seq: 1 });
  assert.deepEqual(await sending, { seq: 1 });
});

test('over HTTP the reconnect event before the close event counts the same', async () => {
  const fetch = fakeFetch();
  const { c, clock } = client({ transport: 'http', EventSource: FakeEventSource, fetch });
  const connected = c.connect();
  const source = FakeEventSource.all[0];
  assert.equal(source.url, 'http://127.0.0.1:8080/sse/lobby');
  source.emit('connection', { id: 'conn-1' });
  await settle();
  fetch.calls[0].answer(202);
  source.emit('message', welcome());
  await connected;
  source.emit('message', { type: 'reconnect', after: 6000 });
  source.emit('close', { code: 1013, reason: 'try again later' });
  assert.equal(c.state, 'reconnecting');
  clock.advance(8999);
  assert.equal(FakeEventSource.all.length, 1, 'not before 9 s');
  clock.advance(1);
  assert.equal(FakeEventSource.all.length, 2);
});

test('a send resolves once with its seq, through a lost connection and a resend with the same cid', async () => {
  const { c, clock, socket, sent, receive } = client();
  const connected = c.connect();
  socket().opened();
  receive(welcome());
  await connected;
  const sending = c.send('hello');
  const first = sent().at(-1);
  assert.equal(first.type, 'message');
  assert.equal(first.text, 'hello');
  socket().closedByServer(1006); // the ack never came
  assert.equal(c.state, 'reconnecting');
  clock.advance(15000);
  socket().opened();
  assert.deepEqual(sent()[0], { type: 'join', user: 'ada', since: 0 });
  receive(welcome([], { recovered: true }));
  const again = sent().at(-1);
  assert.equal(again.cid, first.cid, 'resent with the same cid');
  receive({ type: 'ack', cid: first.cid, seq: 7, dup: true });
  assert.deepEqual(await sending, { seq: 7, dup: true });
});

test('frames a reconnect recovers are events, each once, in seq order', async () => {
  const { c, clock, heard, socket, receive } = client();
  c.connect();
  socket().opened();
  receive(welcome([message(1)]));
  receive(message(2));
  socket().closedByServer(1006);
  clock.advance(15000);
  socket().opened();
  assert.equal(JSON.parse(socket().sent[0]).since, 2);
  receive(welcome([message(2), message(3), { type: 'edit', room: 'lobby', seq: 4, ref: 3, user: 'bob', text: 'x', ts: 't' }],
    { recovered: true }));
  receive(message(4)); // a late copy
  assert.deepEqual(heard.filter(([t]) => t === 'message' || t === 'edit'), [['message', 2], ['message', 3], ['edit', 4]]);
});

test('an error that carries a cid rejects that send only; edit, react, delete and history settle on their answers', async () => {
  const { c, sent, receive, socket } = client();
  c.connect();
  socket().opened();
  receive(welcome());
  const tooLong = c.send('x'.repeat(5000));
  const fine = c.send('fine');
  const [a, b] = sent().slice(-2);
  receive({ type: 'error', code: 'too-long', message: 'at most 4000', cid: a.cid });
  await assert.rejects(tooLong, (e) => e instanceof ParleyError && e.code === 'too-long');
  receive({ type: 'ack', cid: b.cid, seq: 1 });
  assert.deepEqual(await fine, { seq: 1 });

  const edit = c.edit(1, 'fine!');
  const react = c.react(1, '👍');
  const removed = c.delete(1);
  const [e, r, d] = sent().slice(-3);
  assert.deepEqual([e.type, e.ref, e.text, r.type, r.emoji, r.on, d.type, d.ref], ['edit', 1, 'fine!', 'react', '👍', true, 'delete', 1]);
  receive({ type: 'ack', cid: r.cid }); // a reaction that changed nothing: no seq
  receive({ type: 'ack', cid: e.cid, seq: 2 });
  receive({ type: 'error', code: 'forbidden', message: 'not yours', cid: d.cid });
  assert.deepEqual(await react, { seq: undefined });
  assert.deepEqual(await edit, { seq: 2 });
  await assert.rejects(removed, (err) => err.code === 'forbidden');

  await assert.rejects(c.history({ limit: 101 }), RangeError);
  await assert.rejects(c.history({ before: -1 }), RangeError);
  const page = c.history({ before: 2, limit: 10 });
  assert.deepEqual(sent().at(-1), { type: 'history', limit: 10, before: 2 });
  receive({ type: 'history', room: 'lobby', messages: [message(1)] });
  assert.deepEqual((await page).map((m) => m.seq), [1]);
});

test('typing goes only while online; a direct resolves with the server\'s copy or rejects on its error; rooms lists', async () => {
  const { c, sent, receive, socket } = client();
  assert.equal(c.typing(), false, 'offline: nothing goes');
  await assert.rejects(c.direct('bob', 'psst'), (e) => e.code === 'offline');
  c.connect();
  socket().opened();
  receive(welcome());
  assert.equal(c.typing(), true);
  assert.deepEqual(sent().at(-1), { type: 'typing' });

  const heard = [];
  c.on('direct', (d) => heard.push(d.text));
  const psst = c.direct('bob', 'psst');
  const lost = c.direct('nobody', 'hello?');
  const [p, l] = sent().slice(-2);
  assert.deepEqual([p.type, p.to, p.text], ['direct', 'bob', 'psst']);
  receive({ type: 'error', code: 'no-such-user', message: 'nobody here', cid: l.cid });
  await assert.rejects(lost, (e) => e.code === 'no-such-user');
  const copy = { type: 'direct', room: 'lobby', from: 'ada', to: 'bob', text: 'psst', ts: '2026-12-07T00:00:00.000Z' };
  receive(copy);
  assert.deepEqual(await psst, copy);
  assert.deepEqual(heard, ['psst'], 'the copy is an event too');

  const listed = c.rooms();
  assert.deepEqual(sent().at(-1), { type: 'rooms' });
  receive({ type: 'rooms', rooms: [{ room: 'lobby', count: 2, last: 0, unread: 0 }] });
  assert.deepEqual((await listed).map((r) => r.room), ['lobby']);

  const unanswered = c.direct('bob', 'are you there?');
  const pending = c.rooms();
  socket().closedByServer(1006);
  await assert.rejects(unanswered, (e) => e.code === 'offline');
  await assert.rejects(pending, (e) => e.code === 'offline');
});

test('a large room: presence is an event with its frame, as joined and left are', async () => {
  const { c, socket, receive } = client();
  const heard = [];
  c.on('presence', (p) => heard.push(p));
  c.connect();
  socket().opened();
  receive(welcome([], { users: ['ada', 'bob'], count: 250, users_more: true }));
  const presence = { type: 'presence', room: 'lobby', count: 251, joined: ['cy', 'dee'], left: ['bob'], more: 0,
    ts: '2026-12-07T00:00:01.000Z' };
  receive(presence);
  assert.deepEqual(heard, [presence]);
});

test('members asks for a page and resolves with the reply, in the order asked; a bad page is refused at once', async () => {
  const { c, sent, receive, socket } = client();
  await assert.rejects(c.members(), (e) => e.code === 'offline');
  c.connect();
  socket().opened();
  receive(welcome());
  await assert.rejects(c.members({ limit: 0 }), RangeError);
  await assert.rejects(c.members({ limit: MEMBERS_LIMIT + 1 }), RangeError);
  await assert.rejects(c.members({ limit: 2.5 }), RangeError);
  await assert.rejects(c.members({ after: 7 }), RangeError);
  await assert.rejects(c.members({ after: 'x'.repeat(129) }), RangeError);
  assert.equal(sent().filter((f) => f.type === 'members').length, 0, 'nothing went for those');

  const first = c.members();
  const next = c.members({ after: 'bob', limit: MEMBERS_LIMIT });
  assert.deepEqual(sent().slice(-2), [{ type: 'members', limit: 100 }, { type: 'members', after: 'bob', limit: 500 }]);
  const one = { type: 'members', room: 'lobby', users: ['ada', 'bob'], count: 4, more: true };
  const two = { type: 'members', room: 'lobby', users: ['cy', 'dee'], count: 4, more: false };
  receive(one);
  receive(two);
  assert.deepEqual(await first, one);
  assert.deepEqual(await next, two);

  const unanswered = c.members({ after: 'dee' });
  socket().closedByServer(1006);
  await assert.rejects(unanswered, (e) => e.code === 'offline', 'a members request is not resent');
});

test('the outbox is bounded; close rejects what waits; a taken name rejects connect', async () => {
  const { c, socket, receive } = client();
  c.connect();
  socket().opened();
  receive(welcome());
  const waiting = [];
  for (let i = 0; i < OUTBOX_LIMIT; i++) waiting.push(c.send(`m${i}`).catch((e) => e.code));
  await assert.rejects(c.send('one more'), (e) => e.code === 'outbox-full');
  c.close();
  assert.deepEqual(new Set(await Promise.all(waiting)), new Set(['closed']));
  assert.equal(c.state, 'offline');

  const other = client({ user: 'bob' });
  const refused = other.c.connect();
  other.socket().opened();
  other.receive({ type: 'error', code: 'name-taken', message: 'bob is here' });
  await assert.rejects(refused, (e) => e.code === 'name-taken');
});

test('markRead: sent at once when online; offline only the newest waits for the welcome', async () => {
  const { c, clock, socket, sent, receive } = client();
  c.connect();
  socket().opened();
  receive(welcome());
  await c.markRead(3);
  assert.deepEqual(sent().at(-1), { type: 'read', seq: 3 });
  socket().closedByServer(1006);
  await c.markRead(5);
  await c.markRead(4);
  clock.advance(15000);
  socket().opened();
  receive(welcome([], { recovered: true }));
  assert.deepEqual(sent().filter((f) => f.type === 'read'), [{ type: 'read', seq: 5 }]);
  await settle();
});

test('the URLs: the WAR\'s context root, TLS, HTTP; a URL that is not a chat URL is refused at once', () => {
  assert.throws(() => new ParleyClient({ url: 'ws://host/elsewhere', user: 'ada' }), /not a chat URL/);
  assert.throws(() => new ParleyClient({ url: 'ws://host/chat' }), /a user or a token/);
  const { c, socket } = client({ url: 'wss://chat.example.com/parley/chat/', room: 'a b' });
  c.connect();
  assert.equal(socket().url, 'wss://chat.example.com/parley/chat/a%20b');
});
