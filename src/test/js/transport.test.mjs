// The WebSocket transport (webapp/js/transport.js) over a fake WebSocket, and the URLs.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { WebSocketTransport, contextPath, parseFrame, socketUrl } from '../../../webapp/js/transport.js';
import { FakeWebSocket, recorder } from './fakes.mjs';

beforeEach(() => {
  FakeWebSocket.all.length = 0;
});

test('the URLs follow the page: its context root, its scheme', () => {
  const war = { pathname: '/parley/', protocol: 'https:', host: 'chat.example.com' };
  const standalone = { pathname: '/', protocol: 'http:', host: 'localhost:8080' };
  assert.equal(contextPath(war), '/parley');
  assert.equal(contextPath(standalone), '');
  assert.equal(socketUrl(war, 'lobby'), 'wss://chat.example.com/parley/chat/lobby');
  assert.equal(socketUrl(standalone, 'lobby'), 'ws://localhost:8080/chat/lobby');
});

test('only JSON objects with a string type are frames', () => {
  assert.deepEqual(parseFrame('{"type":"pong"}'), { type: 'pong' });
  for (const data of ['nope', '[]', 'null', '{"type":1}', '"message"']) assert.equal(parseFrame(data), null, data);
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
