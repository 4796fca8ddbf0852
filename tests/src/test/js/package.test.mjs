// The package clients/js (docs/CLIENTS.md): its entry point, as another project imports it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as client from '../../../../clients/js/index.js';

test('the entry point exports the connection layer the page runs on', () => {
  for (const name of ['ParleyClient', 'ParleyError', 'Connection', 'WebSocketTransport', 'HttpTransport', 'FallbackTransport', 'Outbox', 'FetchEventSource']) {
    assert.equal(typeof client[name], 'function', name);
  }
  assert.equal(client.State.ONLINE, 'online');
  assert.equal(client.transportMode('?transport=http'), 'http');
});

test('package.json points at that entry point, as an ES module with no dependencies', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../../clients/js/package.json', import.meta.url), 'utf8'));
  assert.equal(manifest.type, 'module');
  assert.deepEqual(manifest.exports['.'], { types: './index.d.ts', default: './index.js' });
  assert.equal(manifest.dependencies, undefined);
});

test('every export index.d.ts declares is there, and every export there is declared', () => {
  const declarations = readFileSync(new URL('../../../../clients/js/index.d.ts', import.meta.url), 'utf8');
  const declared = [...declarations.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.toSorted(), Object.keys(client).toSorted());
});

