// The event stream read through fetch (clients/js/event-stream.js), for Node, which has no
// EventSource: the format's rules, the stream's end, and the HTTP transport on top of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamParser, FetchEventSource, MAX_EVENT_CHARS } from '../../../../clients/js/event-stream.js';
import { HttpTransport } from '../../../../clients/js/transport.js';
import { recorder, settle } from './fakes.mjs';

function parse(...chunks) {
  const events = [];
  const parser = new EventStreamParser((type, data) => events.push([type, data]));
  chunks.forEach((chunk) => parser.push(chunk));
  return events;
}

test('events: their names, data over several lines, comments, fields with no value', () => {
  assert.deepEqual(parse('\uFEFFevent: connection\ndata: {"id":"c1"}\n\n: a heartbeat\n\n'
    + 'data: one\ndata:two\n\ndata\n\nevent: close\nid: 7\nretry: 10\ndata: {}\n\n'), [
    ['connection', '{"id":"c1"}'], ['message', 'one\ntwo'], ['message', ''], ['close', '{}'],
  ]);
});

test('lines end in LF, CRLF or CR, wherever the chunks are cut', () => {
  const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
  const expected = [['a', '1'], ['b', '2'], ['message', '3']];
  assert.deepEqual(parse(text), expected);
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(parse(text.slice(0, cut), text.slice(cut)), expected, `cut at ${cut}`);
  }
  assert.deepEqual(parse(...text), expected, 'one character at a time');
});

test('an event not ended by a blank line is not dispatched; one that never ends is refused', () => {
  assert.deepEqual(parse('data: half'), []);
  const parser = new EventStreamParser(() => {});
  assert.throws(() => parser.push(`data: ${'x'.repeat(MAX_EVENT_CHARS)}`), /too long/);
  const lines = new EventStreamParser(() => {});
  assert.throws(() => { for (let i = 0; i < 1100; i++) lines.push(`data: ${'y'.repeat(1000)}\n`); }, /too long/);
});

// A fetch whose one response is an event stream the test writes to.
function streamingFetch({ status = 200, type = 'text/event-stream' } = {}) {
  let controller;
  const body = new ReadableStream({ start: (c) => { controller = c; } });
  const calls = [];
  const fetch = async (url, options) => {
    calls.push({ url, options });
    return new Response(body, { status, headers: { 'Content-Type': type } });
  };
  const encoder = new TextEncoder();
  return {
    fetch, calls,
    write: (text) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

function listen(source) {
  const seen = [];
  for (const type of ['connection', 'message', 'close', 'error']) {
    source.addEventListener(type, (ev) => seen.push(ev.data === undefined ? [type] : [type, ev.data]));
  }
  return seen;
}

test('FetchEventSource: its events as they come, then error when the stream ends', async () => {
  const server = streamingFetch();
  const source = new FetchEventSource('http://127.0.0.1:1/sse/lobby', { fetch: server.fetch });
  const seen = listen(source);
  server.write('event: connection\ndata: {"id":"c1"}\n\n');
  server.write('data: {"type":"welcome"}\n');
  await settle();
  server.write('\n');
  server.end();
  for (let i = 0; i < 20 && seen.length < 3; i++) await settle();
  assert.deepEqual(seen, [['connection', '{"id":"c1"}'], ['message', '{"type":"welcome"}'], ['error']]);
  assert.equal(server.calls[0].options.headers.Accept, 'text/event-stream');
});

test('FetchEventSource: closed, it says nothing more; a refusal or another type is an error', async () => {
  const server = streamingFetch();
  const source = new FetchEventSource('http://127.0.0.1:1/sse/lobby', { fetch: server.fetch });
  const seen = listen(source);
  source.close();
  server.write('data: late\n\n');
  for (let i = 0; i < 5; i++) await settle();
  assert.deepEqual(seen, []);
  for (const options of [{ status: 503 }, { type: 'text/html' }]) {
    const refused = listen(new FetchEventSource('http://127.0.0.1:1/sse/lobby', { fetch: streamingFetch(options).fetch }));
    for (let i = 0; i < 10 && !refused.length; i++) await settle();
    assert.deepEqual(refused, [['error']], JSON.stringify(options));
  }
});

test('the HTTP transport runs on it: opens on the connection event, frames, a lost stream closes it', async () => {
  const server = streamingFetch();
  const posts = [];
  const fetch = async (url, options = {}) => {
    if (options.method === 'POST' || options.method === 'DELETE') {
      posts.push([options.method, url, options.body]);
      return new Response(null, { status: 204 });
    }
    return server.fetch(url, options);
  };
  class NodeEventSource extends FetchEventSource {
    constructor(url) { super(url, { fetch }); }
  }
  const handlers = recorder();
  const transport = new HttpTransport({ EventSource: NodeEventSource, fetch });
  transport.open('http://127.0.0.1:1/sse/lobby', handlers);
  server.write('event: connection\ndata: {"id":"c1"}\n\ndata: {"type":"welcome","user":"ada"}\n\n');
  for (let i = 0; i < 10 && handlers.calls.length < 2; i++) await settle();
  assert.deepEqual(handlers.calls, [['open', 'http'], ['frame', { type: 'welcome', user: 'ada' }]]);
  assert.equal(transport.send({ type: 'message', text: 'hi' }), true);
  for (let i = 0; i < 10 && !posts.length; i++) await settle();
  assert.deepEqual(posts, [['POST', 'http://127.0.0.1:1/sse/lobby/c1', '{"type":"message","text":"hi"}']]);
  server.end();
  for (let i = 0; i < 10 && handlers.calls.length < 3; i++) await settle();
  assert.deepEqual(handlers.calls[2], ['close', 1006, '']);
  transport.close();
});
