// A TypeScript program on parley-client's public surface, as clients/js/README.md shows it.
// ClientTypesTest compiles it with tsc and never runs it.
//
// It imports the package by its name, as another project would: package.json's file:
// dependency links node_modules/parley-client to clients/js, so tsc (module nodenext) finds
// it through clients/js/package.json's exports["."], its types condition (tsc
// --traceResolution shows it), and sees edits to index.d.ts without a new npm ci. A paths
// mapping or a relative import would skip exports. Each @ts-expect-error line must fail to
// compile: the declarations are not any.
import {
  ParleyClient, ParleyError, State, OUTBOX_LIMIT, OUTBOX_CHARS, Connection, WebSocketTransport, HttpTransport,
  FallbackTransport, FetchEventSource, Outbox, memorySecrets, newCid, parseFrame, socketUrl, streamUrl,
  transportMode, frameOf,
} from 'parley-client';
import type {
  ClientEvents, ClientOptions, DeleteFrame, EditFrame, Frame, MembersFrame, MessageFrame, PresenceFrame, ReactFrame, Sent,
  StateName, Stored, StoredFrame, Welcome,
} from 'parley-client';

// The README's example (no process.env: tsc runs here without Node's types).
const client = new ParleyClient({
  url: 'ws://localhost:8080/chat',
  room: 'lobby',
  user: 'echo-bot',
  transport: transportMode('?transport=http'), // or 'auto', 'websocket', 'http'
});

client.on('message', async (m) => {
  if (m.user === client.user || !m.text.startsWith('!echo ')) return;
  const { seq } = await client.send(m.text.slice(6), { replyTo: m.seq }); // once, even across reconnects
  console.log(`answered ${m.seq} with ${seq}`);
  await client.edit(seq, m.text.slice(6).toUpperCase());
  const reacted = await client.react(seq, '👍');
  if (reacted.seq !== undefined) await client.react(seq, '👍', false);
  const removed: Stored = await client.delete(seq);
  if (removed.dup) console.log(`${removed.seq} was stored before`);
  await client.send('same thread', { replyTo: m.reply_to }); // absent: not a reply
  await client.history({ before: m.reply_to, limit: undefined });
});
client.on('state', ({ state, transport }) => console.log(`${state} ${transport ?? ''}`));

const welcome = await client.connect();
console.log(`in #${welcome.room} with ${welcome.users.join(', ')}`);

// Every option.
const options: ClientOptions[] = [
  { url: 'wss://example.org/parley/chat', room: 'ops', token: 'header.payload.signature', transport: 'websocket' },
  { url: 'http://localhost:8080/chat', token: async () => 'fresh', transport: 'http', fetch: (url, init) => fetch(url, init) },
  { url: 'ws://localhost:8080/chat', user: 'ada', transport: 'auto', WebSocket, EventSource, fetch },
];
const env: { ROOM?: string; TOKEN?: string } = {};
options.push({ url: 'ws://localhost:8080/chat', room: env.ROOM, user: 'ada', token: env.TOKEN, transport: undefined });
const clients = options.map((o) => new ParleyClient(o));

// Every event, its listener's parameter used as its type says.
const off: Array<() => void> = [
  client.on('message', (m) => m.text.length + m.seq),
  client.on('edit', (e) => `${e.ref}: ${e.text.trim()}`),
  client.on('delete', (d) => d.ref + d.seq),
  client.on('react', (r) => `${r.emoji} ${r.on ? 'on' : 'off'} ${r.ref}`),
  client.on('read', (f) => f.type.length),
  client.on('joined', (f) => f.type),
  client.on('left', (f) => f.type),
  client.on('presence', (p) => `${p.count}: +${p.joined.join(',')} -${p.left.join(',')} and ${p.more} more at ${p.ts}`),
  client.on('typing', (f) => f.type),
  client.on('direct', (f) => f.type),
  client.on('rooms', (f) => f.type),
  client.on('welcome', (w) => w.history.map((h) => h.seq).concat(w.read ?? 0, w.recovered ? 1 : 0)),
  client.on('state', (s) => {
    const name: StateName = s.state;
    const online: boolean = name === State.ONLINE && s.transport !== null;
    return online;
  }),
  client.on('error', (e) => {
    const error: ParleyError = e;
    return error.code === 'name-taken' ? error.message : error.name;
  }),
];
off.forEach((remove) => remove());
const frames: StoredFrame[] = [];
const keep = (f: MessageFrame | EditFrame | DeleteFrame | ReactFrame) => frames.push(f);
client.on('message', keep);
client.on('edit', keep);
client.on('delete', keep);
client.on('react', keep);
const listener = (w: Welcome) => console.log(w.user);
client.on('welcome', listener);
client.off('welcome', listener);

// history, markRead, the getters, the errors, close.
const older: StoredFrame[] = await client.history({ before: welcome.history[0]?.seq ?? 1, limit: 50 });
const newest = await client.history();
client.typing();
const copy = await client.direct('bob', 'psst');
console.log(copy.from, copy.to, copy.text.length);
for (const entry of await client.rooms()) console.log(entry.room, entry.count, entry.unread ?? 0);
// A large room's names: the welcome's first page, then members() after its last name.
const names: string[] = [...welcome.users];
let page: MembersFrame | null = welcome.users_more === true ? await client.members({ after: names.at(-1), limit: 500 }) : null;
while (page) {
  names.push(...page.users);
  page = page.more ? await client.members({ after: page.users.at(-1), limit: undefined }) : null;
}
const first: MembersFrame = await client.members();
const changes = (p: PresenceFrame): number => p.joined.length + p.left.length + p.more;
console.log(names.length, welcome.count ?? names.length, first.count, first.room, changes);
await client.markRead(older.concat(newest).reduce((top, f) => Math.max(top, f.seq), 0));
const where: string = `${client.room} ${client.user} ${client.state} ${client.transport ?? 'none'}`;
try {
  const again: Sent = await client.send(where, { replyTo: 1, cid: newCid() });
  console.log(again.seq.toFixed(), again.dup === true);
} catch (e) {
  if (e instanceof ParleyError && e.code === 'outbox-full') console.log(OUTBOX_LIMIT, OUTBOX_CHARS);
}
const failed = new ParleyError('closed', 'the client was closed');
const thrown: Error = failed;
client.close();
clients.forEach((c) => c.close());

// The lower layers, as the page uses them.
const event: keyof ClientEvents = 'welcome';
const frame: Frame | null = parseFrame('{"type":"pong"}');
const item: Frame = frameOf({ type: 'message', text: 'hi' });
const urls: string[] = [
  socketUrl({ protocol: 'https:', host: 'example.org', pathname: '/parley/' }, 'lobby'),
  streamUrl({ pathname: '/parley/' }, 'lobby'),
];
const connection = new Connection({ dial: () => null, listener: {}, random: Math.random, secrets: memorySecrets() });
connection.join('ada');
const sent: boolean = connection.send({ type: 'ping' });
const layers = [
  new WebSocketTransport({ WebSocket }),
  new HttpTransport({ EventSource, fetch }),
  new FallbackTransport({ mode: 'auto', websocket: () => null, http: () => null }),
  new Outbox(),
];
const stream = new FetchEventSource('http://localhost:8080/sse/lobby', { fetch });
stream.addEventListener('message', (e) => e.data?.length);
stream.close();
connection.leave();
console.log(event, frame, item, urls, sent, layers, thrown, connection.online, connection.transportKind);

// What must not compile.
// @ts-expect-error: no such event
client.on('mesage', () => {});
// @ts-expect-error: a text, not a number
client.send(42);
// @ts-expect-error: no such transport
new ParleyClient({ url: 'ws://localhost:8080/chat', user: 'ada', transport: 'sse' });
// @ts-expect-error: url is required
new ParleyClient({ user: 'ada' });
// @ts-expect-error: a message's seq is a number
client.on('message', (m) => m.seq.startsWith('1'));
// @ts-expect-error: a state event's state is one of the states
client.on('state', (s) => s.state === 'connected');
// @ts-expect-error: code is read-only
failed.code = 'other';
// @ts-expect-error: a reaction may store nothing, so its seq may be absent
client.react(1, '👍').then((r) => r.seq.toFixed());
// @ts-expect-error: history's options are named
client.history(10);
// @ts-expect-error: members pages after a name
client.members({ after: 3 });
// @ts-expect-error: a presence frame's joined is a list of names
client.on('presence', (p) => p.joined.toFixed());
