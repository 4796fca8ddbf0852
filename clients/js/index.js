// Parley's client library (README.md, docs/CLIENTS.md): ParleyClient, and the connection
// layer under it that Parley's web page runs on.
export { ParleyClient, ParleyError, OUTBOX_LIMIT, OUTBOX_CHARS } from './client.js';
export { Connection, State, memorySecrets, newCid } from './connection.js';
export { WebSocketTransport, HttpTransport, parseFrame, socketUrl, streamUrl } from './transport.js';
export { FallbackTransport, transportMode } from './fallback.js';
export { Outbox, frameOf } from './outbox.js';
export { FetchEventSource } from './event-stream.js';
