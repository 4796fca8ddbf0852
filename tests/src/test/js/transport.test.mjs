// The transports (clients/js/transport.js): WebSocket, and HTTP as docs/PROTOCOL.md's
// "HTTP transport" section has it, over fakes of WebSocket, EventSource and fetch.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import {
  FIRST_EVENT_MS, HttpTransport, STREAM_SILENT, WebSocketTransport, contextPath, parseFrame, socketUrl, streamUrl,
} from '../../../../clients/js/transport.js';
import { FakeClock, FakeEventSource, FakeWebSocket, fakeFetch, recorder, settle } from './fakes.mjs';

const URL = '/parley/sse/lobby';
const ID = 'ZGV2Lm5vZGUtMQ.x7kqM4n0YbVQ2r1u8Jt5wA';

beforeEach(() => {
  FakeEventSource.all.length = 0;
  FakeWebSocket.all.length = 0;
});

// An HttpTransport opened on URL; open() announces the connection id.
function http(options = {}) {
  const fetch = fakeFetch();
  const handlers = recorder();
  const clock = new FakeClock();
  const transport = new HttpTransport({ EventSource: FakeEventSource, fetch, timers: clock, ...options });
  transport.open(URL, handlers);
  const source = FakeEventSource.all[0];
  const open = () => source.emit('connection', { id: ID });
  const posts = () => fetch.calls.filter((c) => c.method === 'POST');
  const deletes = () => fetch.calls.filter((c) => c.method === 'DELETE');
  return { transport, fetch, handlers, source, open, posts, deletes, clock };
}

test('the URLs follow the page: its context root, its scheme', () => {
  const war = { pathname: '/parley/', protocol: 'https:', host: 'chat.example.com' };
  const standalone = { pathname: '/', protocol: 'http:', host: 'localhost:8080' };
  assert.equal(contextPath(war), '/parley');
  assert.equal(contextPath(standalone), '');
  assert.equal(socketUrl(war, 'lobby'), 'wss://chat.example.com/parley/chat/lobby');
  assert.equal(socketUrl(standalone, 'lobby'), 'ws://localhost:8080/chat/lobby');
  assert.equal(streamUrl(war, 'lobby'), '/parley/sse/lobby');
  assert.equal(streamUrl(standalone, 'a-b'), '/sse/a-b');
});

test('only JSON objects with a string type are frames', () => {
  assert.deepEqual(parseFrame('{"type":"pong"}'), { type: 'pong' });
  for (const data of ['nope', '[]', 'null', '{"type":1}', '"message"']) assert.equal(parseFrame(data), null, data);
});

test('the stream opens at CONTEXT/sse/{room} and is open once its connection event names it', () => {
  const { transport, handlers, source, open } = http();
  assert.equal(source.url, URL);
  assert.equal(transport.send({ type: 'join', user: 'ann' }), false, 'no id yet: nothing to post to');
  assert.deepEqual(handlers.calls, []);
  open();
  assert.deepEqual(handlers.calls, [['open', 'http']]);
});

test('frames arrive as message events; what is not a frame is ignored', () => {
  const { handlers, source, open } = http();
  open();
  source.emit('message', { type: 'welcome', users: ['ann'] });
  source.emit('message', 'not json');
  source.emit('message', { no: 'type' });
  assert.deepEqual(handlers.calls.slice(1), [['frame', { type: 'welcome', users: ['ann'] }]]);
});

test('frames go up as POSTs of JSON to CONTEXT/sse/{room}/{id}, the next only after the previous is answered', async () => {
  const { transport, open, posts } = http();
  open();
  assert.equal(transport.send({ type: 'join', user: 'ann' }), true);
  assert.equal(transport.send({ type: 'message', text: 'one', cid: 'c1' }), true);
  assert.equal(transport.send({ type: 'message', text: 'two', cid: 'c2' }), true);
  assert.equal(posts().length, 1, 'one at a time');
  const [first] = posts();
  assert.equal(first.url, `${URL}/${ID}`);
  assert.equal(first.options.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(first.body), { type: 'join', user: 'ann' });
  first.answer(202);
  await settle();
  assert.equal(posts().length, 2);
  assert.deepEqual(JSON.parse(posts()[1].body), { type: 'message', text: 'one', cid: 'c1' });
  posts()[1].answer(202);
  await settle();
  assert.deepEqual(JSON.parse(posts()[2].body), { type: 'message', text: 'two', cid: 'c2' });
});

test('the queue is bounded: a full queue refuses the frame, and takes frames again as it drains', async () => {
  const { transport, open, posts } = http({ limit: 2 });
  open();
  assert.equal(transport.send({ type: 'ping', n: 1 }), true, 'in flight');
  assert.equal(transport.send({ type: 'ping', n: 2 }), true, 'queued');
  assert.equal(transport.send({ type: 'ping', n: 3 }), true, 'queued');
  assert.equal(transport.send({ type: 'ping', n: 4 }), false, 'full');
  posts()[0].answer(202);
  await settle();
  assert.equal(transport.send({ type: 'ping', n: 5 }), true);
  assert.deepEqual(posts().map((p) => JSON.parse(p.body).n), [1, 2]);
});

test('the close event is the server\'s close: its code and reason, the stream closed, no DELETE', () => {
  const { handlers, source, open, deletes } = http();
  open();
  source.emit('close', { code: 1008, reason: 'origin not allowed' });
  assert.deepEqual(handlers.calls.slice(1), [['close', 1008, 'origin not allowed']]);
  assert.equal(source.closed, true, 'so that EventSource does not reconnect by itself');
  assert.equal(deletes().length, 0);
});

test('a connection refused when it opens reads as a WebSocket would: frames, then the close', () => {
  const { handlers, source } = http();
  source.emit('message', { type: 'error', code: 'bad-room', message: 'No.' });
  source.emit('close', { code: 1008, reason: 'bad room' });
  assert.deepEqual(handlers.calls.map(([name]) => name), ['frame', 'close']);
});

test('an error without a close event is a lost connection (1006): the stream is closed, the connection hung up', () => {
  const { handlers, source, open, deletes } = http();
  open();
  source.emit('error');
  source.emit('error');
  assert.deepEqual(handlers.calls.slice(1), [['close', 1006, '']], 'once');
  assert.equal(source.closed, true, 'EventSource does not reconnect: the page does, with since');
  assert.equal(deletes().length, 1);
  assert.equal(deletes()[0].url, `${URL}/${ID}`);
  assert.equal(deletes()[0].options.keepalive, true);
});

test('a stream that fails before its connection event is lost, with nothing to hang up', () => {
  const { handlers, source, deletes } = http();
  source.emit('error');
  assert.deepEqual(handlers.calls, [['close', 1006, '']]);
  assert.equal(deletes().length, 0);
});

test('a POST the server does not take (404: the connection is gone) is a lost connection; the queue is dropped', async () => {
  const { transport, handlers, source, open, posts, clock } = http();
  open();
  transport.send({ type: 'message', text: 'one' });
  transport.send({ type: 'message', text: 'two' });
  posts()[0].answer(404);
  await settle();
  assert.equal(transport.send({ type: 'ping' }), false, 'nothing more is sent');
  assert.deepEqual(handlers.calls.slice(1), [], 'a moment for the close event');
  clock.advance(999);
  assert.deepEqual(handlers.calls.slice(1), []);
  clock.advance(1);
  assert.deepEqual(handlers.calls.slice(1), [['close', 1006, '']]);
  assert.equal(source.closed, true);
  assert.equal(posts().length, 1, 'two never went');
  assert.equal(transport.send({ type: 'ping' }), false);
  source.emit('message', { type: 'pong' });
  assert.equal(handlers.calls.length, 2, 'nothing after the close');
});

test('the close event that follows a refused POST says why, instead of a lost connection', async () => {
  const { transport, handlers, source, open, posts, clock } = http();
  open();
  transport.send({ type: 'message', text: 'one' });
  posts()[0].answer(404);
  await settle();
  source.emit('close', { code: 1008, reason: 'flooding' });
  clock.advance(5000);
  assert.deepEqual(handlers.calls.slice(1), [['close', 1008, 'flooding']], 'once, with the reason');
});

test('a POST the server refuses (4xx but 404) is its refusal: 1008 with its words, no waiting, no retry of the queue', async () => {
  for (const [status, body, reason] of [
    [403, { error: 'Pages of that origin may not use this server.' }, 'Pages of that origin may not use this server.'],
    [400, { error: 'That is not a connection id.' }, 'That is not a connection id.'],
    [403, null, 'refused with HTTP 403'],    // a proxy's own page
  ]) {
    FakeEventSource.all.length = 0;
    const { transport, handlers, source, open, posts } = http();
    open();
    transport.send({ type: 'join', user: 'ann' });
    transport.send({ type: 'ping' });
    posts()[0].answer(status, body);
    await settle();
    assert.deepEqual(handlers.calls.slice(1), [['close', 1008, reason]]);
    assert.equal(source.closed, true);
    assert.equal(posts().length, 1);
  }
});

test('a stream whose first event does not come within 10 s has failed, saying so (a buffering proxy)', () => {
  const { handlers, source, clock } = http();
  clock.advance(FIRST_EVENT_MS - 1);
  assert.deepEqual(handlers.calls, []);
  clock.advance(1);
  assert.deepEqual(handlers.calls, [['close', 1006, STREAM_SILENT]]);
  assert.equal(source.closed, true);
  FakeEventSource.all.length = 0;
  const on = http();
  on.open();
  on.clock.advance(10 * FIRST_EVENT_MS);
  assert.deepEqual(on.handlers.calls, [['open', 'http']], 'the deadline is off once the first event came');
});

test('a POST over the frame limit (413) closes as the server does, with 1009', async () => {
  const { transport, handlers, open, posts } = http();
  open();
  transport.send({ type: 'message', text: 'x' });
  posts()[0].answer(413);
  await settle();
  assert.deepEqual(handlers.calls.slice(1), [['close', 1009, 'frame too big']]);
});

test('a POST with no answer at all (network down) is a lost connection', async () => {
  const { transport, handlers, open, posts, clock } = http();
  open();
  transport.send({ type: 'ping' });
  posts()[0].fail();
  await settle();
  clock.advance(1000);
  assert.deepEqual(handlers.calls.slice(1), [['close', 1006, '']]);
});

test('close() is the client\'s close: DELETE with keepalive, the stream closed, no close handler, late answers ignored', async () => {
  const { transport, handlers, source, open, posts, deletes } = http();
  open();
  transport.send({ type: 'ping' });
  transport.send({ type: 'ping' });
  transport.close();
  await settle();
  assert.equal(source.closed, true);
  assert.equal(deletes().length, 1);
  assert.equal(deletes()[0].options.keepalive, true);
  posts()[0].answer(202);
  await settle();
  assert.equal(posts().length, 1, 'the queue went with the connection');
  assert.deepEqual(handlers.calls, [['open', 'http']]);
});

test('WebSocket: frames as JSON both ways, the close with its code and reason', () => {
  const handlers = recorder();
  const transport = new WebSocketTransport({ WebSocket: FakeWebSocket });
  transport.open('ws://h/chat/lobby', handlers);
  const ws = FakeWebSocket.all[0];
  assert.equal(transport.send({ type: 'ping' }), false, 'not open yet');
  ws.opened();
  assert.equal(transport.send({ type: 'ping' }), true);
  assert.deepEqual(ws.sent, ['{"type":"ping"}']);
  ws.message('{"type":"pong"}');
  ws.message('garbage');
  ws.closedByServer(1001, 'server shutting down');
  assert.deepEqual(handlers.calls, [['open', 'websocket'], ['frame', { type: 'pong' }], ['close', 1001, 'server shutting down']]);
});

test('WebSocket: close() closes with 1000 and reports nothing', () => {
  const handlers = recorder();
  const transport = new WebSocketTransport({ WebSocket: FakeWebSocket });
  transport.open('ws://h/chat/lobby', handlers);
  const ws = FakeWebSocket.all[0];
  ws.opened();
  transport.close();
  assert.equal(ws.closedWith, 1000);
  ws.closedByServer(1000, '');
  assert.deepEqual(handlers.calls, [['open', 'websocket']]);
});
