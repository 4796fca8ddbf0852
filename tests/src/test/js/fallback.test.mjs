// WebSocket first, HTTP where it fails (clients/js/fallback.js), over fake transports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FallbackTransport, OPEN_TIMEOUT_MS, PROBE_CAP_MS, PROBE_FIRST_MS, transportMode } from '../../../../clients/js/fallback.js';
import { FakeClock, FakeTransport, recorder } from './fakes.mjs';

const URLS = { websocket: 'ws://h/chat/lobby', http: '/sse/lobby' };

// One attempt: made[] holds the transports it made, in order.
function attempt({ mode = 'auto', clock = new FakeClock(), throwing = null } = {}) {
  const made = [];
  const make = (kind) => () => {
    if (throwing === kind) throw new Error('SecurityError');
    const transport = new FakeTransport(kind);
    made.push(transport);
    return transport;
  };
  const handlers = recorder();
  const transport = new FallbackTransport({ mode, websocket: make('websocket'), http: make('http'), timers: clock });
  transport.open(URLS, handlers);
  return { transport, made, handlers, clock };
}

test('WebSocket first: when it opens, that is the transport', () => {
  const { transport, made, handlers, clock } = attempt();
  assert.deepEqual(made.map((t) => [t.kind, t.url]), [['websocket', URLS.websocket]]);
  made[0].opened();
  assert.deepEqual(handlers.calls, [['open', 'websocket']]);
  assert.equal(transport.kind, 'websocket');
  clock.advance(10 * OPEN_TIMEOUT_MS);
  assert.equal(made.length, 1, 'the deadline is off once open');
});

test('a WebSocket that closes before it opens falls back to HTTP at once, in the same attempt', () => {
  const { transport, made, handlers } = attempt();
  made[0].lose(1006);
  assert.deepEqual(made.map((t) => [t.kind, t.url]), [['websocket', URLS.websocket], ['http', URLS.http]]);
  assert.deepEqual(handlers.calls, [], 'the failed WebSocket is not reported');
  made[1].opened();
  made[1].receive({ type: 'welcome' });
  made[1].lose(1008, 'flooding');
  assert.deepEqual(handlers.calls, [['open', 'http'], ['frame', { type: 'welcome' }], ['close', 1008, 'flooding']]);
  assert.equal(transport.kind, 'http');
});

test('a WebSocket not open within 3 s is given up for HTTP, but left to open late', () => {
  const { made, clock } = attempt();
  clock.advance(OPEN_TIMEOUT_MS - 1);
  assert.equal(made.length, 1);
  clock.advance(1);
  assert.deepEqual(made.map((t) => t.kind), ['websocket', 'http']);
  assert.equal(made[0].closed, false, 'Firefox may only be delaying it');
});

test('a late WebSocket that opens while HTTP is still opening takes its place', () => {
  const { transport, made, handlers, clock } = attempt();
  clock.advance(OPEN_TIMEOUT_MS);
  made[0].opened();
  assert.equal(made[1].closed, true);
  assert.equal(transport.kind, 'websocket');
  made[1].opened();
  made[0].receive({ type: 'welcome' });
  assert.deepEqual(handlers.calls, [['open', 'websocket'], ['frame', { type: 'welcome' }]]);
  assert.equal(transport.send({ type: 'ping' }), true);
  assert.deepEqual(made[0].sent, [{ type: 'ping' }]);
});

test('a late WebSocket that opens once HTTP is in use is closed, and the connection is asked to upgrade', () => {
  const { transport, made, handlers, clock } = attempt();
  clock.advance(OPEN_TIMEOUT_MS);
  made[1].opened();
  made[0].opened();
  assert.equal(made[0].closed, true);
  assert.equal(made[1].closed, false, 'the connection hangs HTTP up when it connects again');
  assert.deepEqual(handlers.calls, [['open', 'http'], ['upgrade']]);
  assert.equal(transport.kind, 'http');
});

test('after a refused WebSocket, HTTP tries WebSocket again after 15 s, then at doubling intervals up to 5 min', () => {
  const { made, handlers, clock } = attempt();
  made[0].lose(1006);
  made[1].opened();
  const probes = () => made.filter((t) => t.kind === 'websocket').length - 1;
  const times = [];
  for (let i = 0; i < 7; i++) {
    const before = probes();
    const start = clock.time;
    while (probes() === before) clock.advance(1000);
    times.push(clock.time - start);
    made.at(-1).lose(1006);
  }
  assert.deepEqual(times, [PROBE_FIRST_MS, 2 * PROBE_FIRST_MS, 4 * PROBE_FIRST_MS, 8 * PROBE_FIRST_MS, 16 * PROBE_FIRST_MS,
    PROBE_CAP_MS, PROBE_CAP_MS]);
  clock.advance(PROBE_CAP_MS);
  made.at(-1).receive({ type: 'stray' });
  made.at(-1).opened();
  assert.deepEqual(handlers.calls, [['open', 'http'], ['upgrade']], 'a probe\'s frames are not the connection\'s');
});

test('no probes once HTTP is lost or the transport is closed', () => {
  const lost = attempt();
  lost.clock.advance(OPEN_TIMEOUT_MS);
  lost.made[1].opened();
  lost.made[1].lose(1006);
  assert.equal(lost.made[0].closed, true, 'the late WebSocket is given up');
  lost.clock.advance(10 * PROBE_CAP_MS);
  assert.equal(lost.made.length, 2);
  assert.deepEqual(lost.handlers.calls, [['open', 'http'], ['close', 1006, '']]);

  const closed = attempt();
  closed.made[0].lose(1006);
  closed.made[1].opened();
  closed.transport.close();
  assert.equal(closed.made[1].closed, true);
  closed.clock.advance(10 * PROBE_CAP_MS);
  assert.equal(closed.made.length, 2);
});

test('every attempt tries WebSocket first again, with the whole deadline, after one fell back', () => {
  attempt().made[0].lose(1006);
  const { made, clock } = attempt();
  assert.equal(made[0].kind, 'websocket');
  clock.advance(OPEN_TIMEOUT_MS - 1);
  assert.deepEqual(made.map((t) => t.kind), ['websocket'], 'Firefox delays a WebSocket to a host where one failed');
  made[0].opened();
  assert.deepEqual(made.map((t) => t.kind), ['websocket']);
});

test('a WebSocket the page may not even create falls back too', () => {
  const { made } = attempt({ throwing: 'websocket' });
  assert.deepEqual(made.map((t) => t.kind), ['http']);
});

test('a WebSocket lost after it opened is a lost connection, not a fallback', () => {
  const { made, handlers } = attempt();
  made[0].opened();
  made[0].lose(1006);
  assert.equal(made.length, 1);
  assert.deepEqual(handlers.calls, [['open', 'websocket'], ['close', 1006, '']]);
});

test('an HTTP fallback that fails too is a lost connection', () => {
  const { made, handlers } = attempt();
  made[0].lose(1006);
  made[1].lose(1006);
  assert.deepEqual(handlers.calls, [['close', 1006, '']]);
});

test('closing during the WebSocket attempt closes it, and no HTTP follows', () => {
  const { transport, made, clock } = attempt();
  transport.close();
  assert.equal(made[0].closed, true);
  clock.advance(OPEN_TIMEOUT_MS);
  assert.equal(made.length, 1);
  assert.equal(transport.send({ type: 'ping' }), false);
});

test('send goes to the transport in use', () => {
  const { transport, made } = attempt();
  made[0].lose(1006);
  made[1].opened();
  assert.equal(transport.send({ type: 'ping' }), true);
  assert.deepEqual(made[1].sent, [{ type: 'ping' }]);
});

test('?transport=http uses HTTP only; ?transport=websocket WebSocket only, with no deadline', () => {
  assert.deepEqual(attempt({ mode: 'http' }).made.map((t) => t.kind), ['http']);
  const ws = attempt({ mode: 'websocket' });
  ws.clock.advance(60000);
  ws.made[0].lose(1006);
  assert.deepEqual(ws.made.map((t) => t.kind), ['websocket']);
  assert.deepEqual(ws.handlers.calls, [['close', 1006, '']]);
});

test('a forced transport carries frames once it opened (it did not: ?transport=http sent nothing)', () => {
  for (const mode of ['http', 'websocket']) {
    const { transport, made, handlers } = attempt({ mode });
    assert.equal(transport.send({ type: 'ping' }), false, `${mode}: not open yet`);
    made[0].opened();
    assert.deepEqual(handlers.calls, [['open', mode]]);
    assert.equal(transport.send({ type: 'join', user: 'ada' }), true, mode);
    assert.deepEqual(made[0].sent, [{ type: 'join', user: 'ada' }]);
  }
});

test('a forced transport the page cannot create throws, for the connection to say so', () => {
  assert.throws(() => attempt({ mode: 'websocket', throwing: 'websocket' }));
  assert.throws(() => attempt({ mode: 'http', throwing: 'http' }));
});

test('the page address picks the mode; anything else is auto', () => {
  assert.equal(transportMode('?transport=http'), 'http');
  assert.equal(transportMode('?x=1&transport=websocket'), 'websocket');
  for (const search of ['', '?transport=HTTP', '?transport=sse', '?other=http']) assert.equal(transportMode(search), 'auto', search);
});
