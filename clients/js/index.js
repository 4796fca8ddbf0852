// Parley's client library (docs/CLIENTS.md). For now the connection layer the web page runs
// on, moved here whole: the state machine, the transports, the fallback and the outbox. The
// ParleyClient facade of issue 35 comes next, on top of these.
export { Connection, State, memorySecrets, newCid } from './connection.js';
export { WebSocketTransport, HttpTransport, parseFrame, socketUrl, streamUrl } from './transport.js';
export { FallbackTransport, transportMode } from './fallback.js';
export { Outbox, frameOf } from './outbox.js';
export { FetchEventSource } from './event-stream.js';
