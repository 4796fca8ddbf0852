// WebSocket first, HTTP where it fails (webapp/js/fallback.js), over fake transports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FallbackTransport, OPEN_TIMEOUT_MS, transportMode } from '../../../webapp/js/fallback.js';
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

test('a WebSocket not open within 3 s is given up for HTTP', () => {
  const { made, clock } = attempt();
  clock.advance(OPEN_TIMEOUT_MS - 1);
  assert.equal(made.length, 1);
  clock.advance(1);
  assert.equal(made[0].closed, true);
  assert.deepEqual(made.map((t) => t.kind), ['websocket', 'http']);
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

test('a forced transport the page cannot create throws, for the connection to say so', () => {
  assert.throws(() => attempt({ mode: 'websocket', throwing: 'websocket' }));
  assert.throws(() => attempt({ mode: 'http', throwing: 'http' }));
});

test('the page address picks the mode; anything else is auto', () => {
  assert.equal(transportMode('?transport=http'), 'http');
  assert.equal(transportMode('?x=1&transport=websocket'), 'websocket');
  for (const search of ['', '?transport=HTTP', '?transport=sse', '?other=http']) assert.equal(transportMode(search), 'auto', search);
});
