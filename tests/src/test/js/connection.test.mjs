// The connection's state machine (clients/js/connection.js) over a fake transport and a fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BACKOFF_CAP_MS, Connection, PING_MS, RETRY_HINT_CAP_MS, State, memorySecrets,
} from '../../../../clients/js/connection.js';
import { FakeClock, FakeTransport, recorder, settle } from './fakes.mjs';

// A connection to #lobby whose dial() hands out fake transports (transports[i] for the i-th attempt).
// identity: null, or a function of the clock that makes one.
function setUp({ identity: makeIdentity = null, random = () => 1, secrets = memorySecrets() } = {}) {
  const clock = new FakeClock();
  const identity = makeIdentity ? makeIdentity(clock) : null;
  const listener = recorder();
  const transports = [];
  const rooms = [];
  let refuseDial = false;
  const dial = (room, handlers) => {
    if (refuseDial) throw new Error('SecurityError');
    const transport = new FakeTransport();
    transport.open(`/chat/${room}`, handlers);
    transports.push(transport);
    rooms.push(room);
    return transport;
  };
  const connection = new Connection({ dial, identity, listener, clock, random, secrets });
  const last = () => transports[transports.length - 1];
  const states = () => listener.calls.filter(([name]) => name === 'changed').map(([, state]) => state);
  const heard = (name) => listener.calls.filter(([n]) => n === name).map(([, ...args]) => args);
  return { clock, identity, listener, transports, rooms, connection, last, states, heard,
    refuseDial: () => { refuseDial = true; } };
}

const welcome = (user, history = [], more = {}) => ({ type: 'welcome', room: 'lobby', user, users: [user], history, ...more });
const message = (seq, user = 'bob', text = `m${seq}`) => ({ type: 'message', room: 'lobby', seq, user, text, ts: '2026-01-01T00:00:00.000Z' });

// Joined as ann, online.
function online(options) {
  const s = setUp(options);
  s.connection.join('ann');
  s.last().opened();
  s.last().receive(welcome('ann'));
  return s;
}

test('join opens a transport, sends join with the name once it is open, and a welcome puts it online', () => {
  const { connection, last, states, heard } = setUp();
  connection.join('ann');
  assert.equal(connection.state, State.CONNECTING);
  assert.deepEqual(last().sent, [], 'nothing before the transport is open');
  last().opened();
  assert.equal(connection.state, State.JOINING);
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann' }]);
  last().receive(welcome('Ann'));
  assert.equal(connection.state, State.ONLINE);
  assert.equal(connection.name, 'Ann', "the server's form of the name");
  assert.deepEqual(states(), [State.CONNECTING, State.JOINING, State.ONLINE]);
  assert.deepEqual(heard('transport'), [['websocket']]);
  const [[frame, info]] = heard('welcome');
  assert.equal(frame.user, 'Ann');
  assert.deepEqual(info, { history: [], rejoined: false, restarted: false, since: 0, upgraded: false });
});

test('frames other than welcome go to the listener; connection errors do not', () => {
  const { last, heard } = online();
  last().receive(message(1));
  last().receive({ type: 'error', code: 'rate-limited', message: 'Slow down.', cid: 'c1' });
  last().receive({ type: 'error', code: 'unauthorized', message: 'No.', cid: 'auth-1' });
  assert.deepEqual(heard('frame').map(([f]) => f.type + (f.code ? `:${f.code}` : '')), ['message', 'error:rate-limited']);
});

test('a lost connection reconnects after a jittered backoff and rejoins with since, the newest seq it saw', () => {
  const { connection, clock, transports, last, heard } = online();
  last().receive(message(1));
  last().receive(message(2));
  last().lose(1006);
  assert.equal(connection.state, State.RECONNECTING);
  assert.deepEqual(heard('closed')[0], [{ code: 1006, reason: '', wasOnline: true, fatal: false, refusal: null }]);
  assert.deepEqual(heard('transport').at(-1), [null]);
  assert.equal(connection.reconnectAt, 500, 'first ceiling 0.5 s (random() = 1)');
  clock.advance(499);
  assert.equal(transports.length, 1);
  clock.advance(1);
  assert.equal(transports.length, 2);
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann', since: 2 }]);
  last().receive(welcome('ann', [message(3)], { recovered: true }));
  assert.deepEqual(heard('welcome').at(-1)[1], { history: [message(3)], rejoined: true, restarted: false, since: 2, upgraded: false });
  assert.equal(connection.seq, 3);
});

test('the backoff doubles per failed attempt up to 15 s and starts over after a welcome', () => {
  const { connection, clock, last } = online();
  const ceilings = [];
  for (let i = 0; i < 8; i++) {
    last().lose(1006);
    ceilings.push(connection.reconnectAt - clock.now());
    clock.advance(connection.reconnectAt - clock.now());
  }
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, BACKOFF_CAP_MS, BACKOFF_CAP_MS, BACKOFF_CAP_MS]);
  last().opened();
  last().receive(welcome('ann'));
  last().lose(1006);
  assert.equal(connection.reconnectAt - clock.now(), 500);
});

test('the delay is random below the ceiling (full jitter)', () => {
  const { connection, clock, last } = online({ random: () => 0.25 });
  last().lose(1006);
  assert.equal(connection.reconnectAt - clock.now(), 125);
});

test('reconnectNow connects at once, but only while waiting to reconnect', () => {
  const { connection, transports, last } = online();
  connection.reconnectNow();
  assert.equal(transports.length, 1, 'online: nothing to do');
  last().lose(1006);
  connection.reconnectNow();
  assert.equal(transports.length, 2);
  assert.equal(connection.state, State.CONNECTING);
});

test('a transport that fails before it opens is retried too, without a line about a lost connection', () => {
  const { connection, clock, transports, last, heard } = setUp();
  connection.join('ann');
  last().lose(1006);
  assert.equal(connection.state, State.RECONNECTING);
  assert.equal(heard('closed')[0][0].wasOnline, false);
  clock.advance(500);
  assert.equal(transports.length, 2);
});

test('a policy close before the welcome is refused for good: no reconnect until join() again', () => {
  const { connection, clock, transports, last, heard } = setUp();
  connection.join('ann');
  last().opened();
  last().receive({ type: 'error', code: 'bad-room', message: 'That is no room.' });
  assert.deepEqual(heard('frame'), [], 'the connection takes it');
  last().lose(1008, 'bad room');
  assert.equal(connection.state, State.REFUSED);
  assert.deepEqual(heard('closed')[0], [{ code: 1008, reason: 'bad room', wasOnline: false, fatal: true, refusal: 'That is no room.' }]);
  clock.advance(60000);
  assert.equal(transports.length, 1);
  assert.equal(connection.wanted, true, 'another room is tried');
  connection.join('ann');
  assert.equal(transports.length, 2);
});

test('a 1008 before the welcome with no error first (origin not allowed) is refused for good too', () => {
  const { connection, last, heard } = setUp();
  connection.join('ann');
  last().opened();
  last().lose(1008, 'origin not allowed');
  assert.equal(connection.state, State.REFUSED);
  assert.deepEqual(heard('closed')[0], [{ code: 1008, reason: 'origin not allowed', wasOnline: false, fatal: true, refusal: null }]);
});

test('an administrator\'s close is not reconnected after, and says why', () => {
  const { connection, clock, transports, last, heard } = online();
  last().lose(1008, 'removed by an administrator');
  assert.equal(connection.state, State.REFUSED);
  assert.equal(heard('closed')[0][0].refusal, 'An administrator removed you from this room.');
  clock.advance(60000);
  assert.equal(transports.length, 1);
});

test('other closes of a member reconnect, 1008 flooding and 1013 included', () => {
  for (const [code, reason] of [[1008, 'flooding'], [1013, 'try again later'], [1001, 'server shutting down'], [1000, 'idle timeout']]) {
    const { connection, last } = online();
    last().lose(code, reason);
    assert.equal(connection.state, State.RECONNECTING, `${code} ${reason}`);
  }
});

// PROTOCOL.md, Parley's additions, Closing: {"type":"reconnect","after":MS} before 1001 and 1013.
test('a reconnect frame before 1001 makes the next attempt wait between after and twice after, not the backoff', () => {
  for (const [r, delay] of [[0, 2000], [0.5, 3000], [0.999, 3998]]) {
    const { connection, clock, transports, last, heard } = online({ random: () => r });
    last().receive({ type: 'reconnect', after: 2000 });
    assert.equal(connection.state, State.ONLINE, 'the frame alone changes nothing');
    assert.deepEqual(heard('frame'), [], 'the connection takes it: the page does not hear it');
    last().lose(1001, 'server shutting down');
    assert.equal(connection.state, State.RECONNECTING);
    assert.equal(connection.reconnectAt - clock.now(), delay, `random() = ${r}`);
    clock.advance(delay - 1);
    assert.equal(transports.length, 1, 'not before');
    clock.advance(1);
    assert.equal(transports.length, 2);
  }
});

test('a hint is used once: the attempt after it has the backoff it would have had', () => {
  const { connection, clock, transports, last } = online();
  last().receive({ type: 'reconnect', after: 2000 });
  last().lose(1001, 'server shutting down');
  assert.equal(connection.reconnectAt - clock.now(), 4000, 'random() = 1: twice after');
  clock.advance(4000);
  last().lose(1006); // the node is not back yet
  assert.equal(connection.reconnectAt - clock.now(), 1000, 'the second ceiling, as without the hint');
  clock.advance(1000);
  assert.equal(transports.length, 3);
  last().opened();
  last().receive(welcome('ann'));
  last().lose(1006);
  assert.equal(connection.reconnectAt - clock.now(), 500, 'no hint left over');
});

test('1013 at the connection limit: the hint comes before the welcome could, and sets the delay', () => {
  const { connection, clock, last } = setUp({ random: () => 0.25 });
  connection.join('ann');
  last().opened();
  last().receive({ type: 'reconnect', after: 7000 });
  last().lose(1013, 'try again later');
  assert.equal(connection.state, State.RECONNECTING);
  assert.equal(connection.reconnectAt - clock.now(), 8750);
});

test('1013 and 1001 without a hint reconnect after the backoff, as before', () => {
  for (const [code, reason] of [[1013, 'try again later'], [1001, '']]) {
    const { connection, clock, last } = online();
    last().lose(code, reason);
    assert.equal(connection.reconnectAt - clock.now(), 500, `${code}`);
  }
});

test('a hint that is not a positive number is ignored; one over five minutes counts as five minutes', () => {
  for (const after of ['2000', -1, 0, null, Infinity]) {
    const { connection, clock, last } = online();
    last().receive({ type: 'reconnect', after });
    last().lose(1001, 'server shutting down');
    assert.equal(connection.reconnectAt - clock.now(), 500, `after ${after}`);
  }
  const { connection, clock, last } = online({ random: () => 0 });
  last().receive({ type: 'reconnect', after: 86400000 });
  last().lose(1001, 'server shutting down');
  assert.equal(connection.reconnectAt - clock.now(), RETRY_HINT_CAP_MS);
});

test('a hint belongs to its connection: one the page hung up leaves none', () => {
  const { connection, clock, last } = online();
  last().receive({ type: 'reconnect', after: 9000 });
  connection.switchRoom('other'); // hangs up: the hint goes with that connection
  last().opened();
  last().receive(welcome('ann'));
  last().lose(1006);
  assert.equal(connection.reconnectAt - clock.now(), 500);
});

test('a refused name leaves the transport open for the next name', () => {
  const { connection, transports, last, heard } = setUp();
  connection.join('ann');
  last().opened();
  last().receive({ type: 'error', code: 'name-taken', message: 'That name is taken.' });
  assert.equal(connection.state, State.NAMING);
  assert.deepEqual(heard('nameRefused'), [['That name is taken.', 'name-taken']]);
  assert.equal(last().closed, false);
  assert.equal(connection.wanted, false);
  connection.join('anna');
  assert.equal(transports.length, 1);
  assert.equal(connection.state, State.JOINING);
  assert.deepEqual(last().sent.at(-1), { type: 'join', user: 'anna' });
});

test('a transport that closes while a name is refused goes offline', () => {
  const { connection, last } = setUp();
  connection.join('ann');
  last().opened();
  last().receive({ type: 'error', code: 'bad-name', message: 'Not a name.' });
  last().lose(1000, 'idle timeout');
  assert.equal(connection.state, State.OFFLINE);
});

test('name-taken right after a reconnect is our own ghost: join is sent again, five times at the most', () => {
  const { connection, clock, last, heard } = online();
  last().lose(1006);
  clock.advance(500);
  last().opened();
  for (let i = 1; i <= 5; i++) {
    last().receive({ type: 'error', code: 'name-taken', message: 'Taken.' });
    assert.equal(connection.state, State.JOINING);
    const joins = last().types().filter((t) => t === 'join').length;
    clock.advance(1000 * i);
    assert.equal(last().types().filter((t) => t === 'join').length, joins + 1, `retry ${i} after ${i} s`);
  }
  last().receive({ type: 'error', code: 'name-taken', message: 'Taken.' });
  assert.equal(connection.state, State.NAMING);
  assert.equal(heard('nameRefused').length, 1);
});

test('how long a taken name is tried again follows the server\'s nameHeldSeconds, 5 s apart at the most', () => {
  const settings = () => ({ on: false, nameHeldMs: 60000, stale: () => false });
  const { connection, clock, last } = online({ identity: settings });
  last().lose(1006);
  clock.advance(500);
  last().opened();
  const delays = [];
  while (connection.state === State.JOINING) {
    last().receive({ type: 'error', code: 'name-taken', message: 'Taken.' });
    if (connection.state !== State.JOINING) break;
    const joins = last().types().filter((t) => t === 'join').length;
    let waited = 0;
    while (last().types().filter((t) => t === 'join').length === joins) { clock.advance(1000); waited += 1000; }
    delays.push(waited);
  }
  assert.deepEqual(delays, [1000, 2000, 3000, 4000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000]);
  assert.equal(connection.state, State.NAMING, 'refused after 60 s of tries');
});

test('WebSocket working again after a fallback connects again at once, with since, and says it was an upgrade', () => {
  const { connection, transports, last, states, heard } = online();
  last().receive(message(4));
  const http = last();
  const before = states().length;
  http.handlers.upgrade();
  assert.equal(http.closed, true, 'the old transport is hung up');
  assert.equal(transports.length, 2, 'no backoff');
  assert.deepEqual(heard('closed'), [], 'not a lost connection');
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann', since: 4 }]);
  last().receive(welcome('ann', [], { recovered: true }));
  assert.deepEqual(states().slice(before), [State.CONNECTING, State.JOINING, State.ONLINE]);
  assert.equal(heard('welcome').at(-1)[1].upgraded, true);
  http.lose(1006);
  assert.equal(connection.state, State.ONLINE, 'the old transport no longer counts');
});

test('an upgrade asked for while joining waits for the welcome; one while reconnecting or named is ignored', () => {
  const { connection, transports, last } = setUp();
  connection.join('ann');
  last().opened();
  last().handlers.upgrade();
  assert.equal(transports.length, 1, 'the join is answered first');
  last().receive(welcome('ann'));
  assert.equal(transports.length, 2);
  assert.equal(connection.state, State.CONNECTING);

  const named = setUp();
  named.connection.join('ann');
  named.last().opened();
  named.last().receive({ type: 'error', code: 'name-taken', message: 'taken' });
  named.last().handlers.upgrade();
  assert.equal(named.transports.length, 1);
  assert.equal(named.connection.state, State.NAMING);

  const lost = online();
  const old = lost.last();
  old.lose(1006);
  old.handlers.upgrade();
  assert.equal(lost.transports.length, 1);
  assert.equal(lost.connection.state, State.RECONNECTING);
});

test('an upgrade whose transport is lost before the welcome is an ordinary reconnect', () => {
  const { connection, last, heard } = online();
  last().handlers.upgrade();
  last().lose(1006);
  assert.equal(connection.state, State.RECONNECTING);
  assert.deepEqual(heard('closed').at(-1), [{ code: 1006, reason: '', wasOnline: false, fatal: false, refusal: null }]);
});

test('a reconnect presents the last welcome\'s secret, which takes the name back; another room forgets it', () => {
  const { connection, clock, last } = setUp();
  connection.join('ann');
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann' }], 'no secret on a first join');
  last().receive(welcome('ann', [message(1)], { resume: 'secret-1' }));
  last().lose(1006);
  clock.advance(500);
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann', since: 1, resume: 'secret-1' }]);
  last().receive(welcome('ann', [], { recovered: true, resume: 'secret-2' }));
  last().lose(1006);
  clock.advance(1000);
  last().opened();
  assert.equal(last().sent[0].resume, 'secret-2', 'the newest');
  connection.switchRoom('other');
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann' }]);
});

test('a page loaded again in the tab presents the secret kept for the room and name, and no other', () => {
  const secrets = memorySecrets();
  const first = setUp({ secrets });
  first.connection.join('ann');
  first.last().opened();
  first.last().receive(welcome('Ann', [], { resume: 'secret-1' }));

  const reloaded = setUp({ secrets });
  reloaded.connection.join(' Ann ');
  reloaded.last().opened();
  assert.deepEqual(reloaded.last().sent, [{ type: 'join', user: ' Ann ', resume: 'secret-1' }], 'the server trims names');
  const other = setUp({ secrets });
  other.connection.join('bob');
  other.last().opened();
  assert.deepEqual(other.last().sent, [{ type: 'join', user: 'bob' }], 'not for another name');
  other.connection.leave();
  const after = setUp({ secrets });
  after.connection.join('Ann');
  after.last().opened();
  assert.deepEqual(after.last().sent, [{ type: 'join', user: 'Ann' }], 'leaving forgets it');
});

test('leave hangs up: the transport is closed and nothing it does later counts', () => {
  const { connection, clock, transports, last, states } = online();
  const transport = last();
  connection.leave();
  assert.equal(transport.closed, true);
  assert.equal(connection.state, State.OFFLINE);
  const before = states().length;
  transport.lose(1006);
  transport.receive(message(9));
  assert.equal(states().length, before);
  assert.equal(connection.seq, 0);
  clock.advance(60000);
  assert.equal(transports.length, 1);
});

test('switching rooms starts the new room afresh: no since, and only if the user wanted to be in', () => {
  const { connection, transports, rooms, last } = online();
  last().receive(message(7));
  connection.switchRoom('other');
  assert.equal(transports[0].closed, true);
  assert.deepEqual(rooms, ['lobby', 'other']);
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann' }]);

  const idle = setUp();
  idle.connection.switchRoom('other');
  assert.equal(idle.transports.length, 0);
  assert.equal(idle.connection.state, State.OFFLINE);
  assert.equal(idle.connection.room, 'other');
});

test('a welcome without recovery whose history is older than what we saw means the room started over', () => {
  const { connection, last, heard } = online();
  last().receive(message(40));
  last().lose(1006);
  connection.reconnectNow();
  last().opened();
  assert.equal(last().sent[0].since, 40);
  last().receive(welcome('ann', [message(1), message(2)], { recovered: false }));
  assert.deepEqual(heard('welcome').at(-1)[1], { history: [message(1), message(2)], rejoined: true, restarted: true, since: 0, upgraded: false });
  assert.equal(connection.seq, 2);
});

test('a ping goes out every 25 s while the transport is open, also before the welcome', () => {
  const { connection, clock, last } = setUp();
  connection.join('ann');
  last().opened();
  clock.advance(PING_MS * 2);
  assert.deepEqual(last().types(), ['join', 'ping', 'ping']);
  last().lose(1006);
  assert.equal(connection.state, State.RECONNECTING);
  assert.equal(clock.pending, 1, 'only the reconnect is left');
});

test('a page that cannot open a transport at all says so and stops', () => {
  const s = setUp();
  s.refuseDial();
  s.connection.join('ann');
  assert.equal(s.connection.state, State.REFUSED);
  assert.equal(s.heard('cannotDial').length, 1);
});

test('pagehide hangs up, and a page shown again from the back/forward cache connects again', () => {
  const { connection, transports, last } = online();
  last().receive(message(3));
  connection.suspend();
  assert.equal(transports[0].closed, true);
  assert.equal(connection.state, State.SUSPENDED);
  connection.resume();
  last().opened();
  assert.deepEqual(last().sent[0], { type: 'join', user: 'ann', since: 3 });

  const idle = setUp();
  idle.connection.suspend();
  idle.connection.resume();
  assert.equal(idle.transports.length, 0);
});

// ---------- identity ----------

// An Identity of identity.js as far as the connection uses it, with a token URL.
function fakeIdentity(clock, { fail = false } = {}) {
  return {
    on: true, tokenUrl: '/token', token: null, exp: 0, fetched: 0,
    stale(now) { return !this.token || this.exp - now < 30000; },
    async fetchToken() {
      this.fetched += 1;
      if (this.fail) throw new Error('the sign-in service answered 401');
      this.token = `t${this.fetched}`;
      this.exp = clock.now() + 10 * 60000;
    },
    fail,
  };
}

const setUpSignedIn = (options) => setUp({ identity: (clock) => fakeIdentity(clock, options) });

test('with identity a token is fetched before the transport opens, and join carries it', async () => {
  const { connection, identity, last, transports } = setUpSignedIn();
  connection.join();
  assert.equal(transports.length, 0, 'not before the token');
  await settle();
  assert.equal(identity.fetched, 1);
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', token: 't1' }]);
});

test('a token that cannot be fetched is said, and tried again with the backoff', async () => {
  const { connection, clock, identity, heard } = setUpSignedIn({ fail: true });
  connection.join();
  await settle();
  assert.deepEqual(heard('signInFailed'), [['the sign-in service answered 401']]);
  assert.equal(connection.state, State.RECONNECTING);
  identity.fail = false;
  clock.advance(500);
  await settle();
  assert.equal(identity.fetched, 2);
});

test('leaving while the token is fetched opens nothing', async () => {
  const { connection, transports } = setUpSignedIn();
  connection.join();
  connection.leave();
  await settle();
  assert.equal(transports.length, 0);
  assert.equal(connection.state, State.OFFLINE);
});

test('a fresh token goes out as auth a minute before the current one expires', async () => {
  const { connection, clock, identity, last } = setUpSignedIn();
  connection.join();
  await settle();
  last().opened();
  last().receive(welcome('dora'));
  clock.advance(9 * 60000 - 1);
  assert.equal(identity.fetched, 1);
  clock.advance(1);
  await settle();
  assert.equal(identity.fetched, 2);
  const auth = last().sent.at(-1);
  assert.equal(auth.type, 'auth');
  assert.equal(auth.token, 't2');
  assert.match(auth.cid, /^auth-/);
  assert.equal(connection.state, State.ONLINE);
});

test('a token that ran out while online is dropped, so that the reconnect fetches a new one', async () => {
  const { connection, identity, last, heard } = setUpSignedIn();
  connection.join();
  await settle();
  last().opened();
  last().receive(welcome('dora'));
  last().receive({ type: 'error', code: 'unauthorized', message: 'Your token expired.' });
  assert.equal(identity.token, null);
  assert.deepEqual(heard('frame'), []);
  last().lose(1008, 'token expired');
  assert.equal(connection.state, State.RECONNECTING, 'with a token URL it signs in again');
});

test('without a token URL an expired token is the end: the user opens the chat again', () => {
  const { connection, last, heard } = online({ identity: () => ({ on: true, tokenUrl: null, token: 'x', exp: 0, stale: () => false }) });
  last().lose(1008, 'token expired');
  assert.equal(connection.state, State.REFUSED);
  assert.match(heard('closed')[0][0].refusal, /sign-in has expired/);
});

test('protocol 1.1: since is the newest seq of the room\'s log, edits, deletes and reactions included', () => {
  const { connection, clock, last } = online();
  last().receive(message(1));
  last().receive({ type: 'edit', room: 'lobby', seq: 2, ref: 1, user: 'bob', text: 'x', ts: '2026-01-01T00:00:01.000Z' });
  last().receive({ type: 'react', room: 'lobby', seq: 3, ref: 1, user: 'ann', emoji: '👍', on: true, ts: '2026-01-01T00:00:02.000Z' });
  last().receive({ type: 'delete', room: 'lobby', seq: 4, ref: 1, user: 'bob', ts: '2026-01-01T00:00:03.000Z' });
  last().receive({ type: 'read', room: 'lobby', user: 'bob', seq: 99 });
  last().receive({ type: 'history', room: 'lobby', messages: [message(50)] });
  assert.equal(connection.seq, 4, 'a read position or an older page of history is no seq of ours');
  last().lose(1006);
  clock.advance(connection.reconnectAt - clock.now());
  last().opened();
  assert.deepEqual(last().sent, [{ type: 'join', user: 'ann', since: 4 }]);
});

test('a join refused with forbidden (banned) stops: the page hangs up and says why, and does not try again', () => {
  const { connection, clock, transports, last, heard } = online();
  last().lose(1008, 'banned');
  assert.equal(connection.state, State.REFUSED, 'the ban closes the connection for good');
  assert.equal(heard('closed').at(-1)[0].refusal, 'A moderator banned you from this room.');
  connection.join();
  last().opened();
  last().receive({ type: 'error', code: 'forbidden', message: 'You are banned from #lobby until 2026-12-01T00:00:00Z.' });
  assert.equal(connection.state, State.REFUSED);
  assert.equal(last().closed, true, 'the connection the server kept open is closed');
  assert.deepEqual(heard('closed').at(-1)[0], { code: 1008, reason: 'banned', wasOnline: false, fatal: true,
    refusal: 'You are banned from #lobby until 2026-12-01T00:00:00Z.' });
  clock.advance(60000);
  assert.equal(transports.length, 2, 'no reconnect');
});

test('forbidden while online is the page\'s to show (a muted user\'s message), and the connection stays', () => {
  const { connection, last, heard } = online();
  last().receive({ type: 'error', code: 'forbidden', message: 'You are muted until 12:00.', cid: 'c1' });
  assert.equal(connection.state, State.ONLINE);
  assert.equal(heard('frame').at(-1)[0].code, 'forbidden');
});
