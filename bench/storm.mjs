// A restart of a node with N members (bench/run --phases storm; docs/PERFORMANCE.md, issue 36,
// steps 1 and 2). One standalone Parley on H2 in a folder that outlives the process (or on a
// PostgreSQL database of its own: --storm-store postgres) holds N members in rooms of 20, each
// joined with a name; it is sent SIGTERM just after a few messages went into every room (so
// that recoveries have what the close cut off to bring back), and started again on the same
// port and store. The members reconnect as the web client does (clients/js/connection.js):
// after a close, a random delay in [0, min(15 s, 500 ms x 2^attempts)) (full jitter), or, where
// the server sent {"type":"reconnect","after":MS} before closing, a uniformly random one in
// [after, 2 after] first; each rejoins with `since` (the newest seq it saw) and `resume` (its
// last welcome's secret), and a `name-taken` is tried again on the same connection 1 s, 2 s,
// … 5 s later. Printed: how long until every member is back (welcomed, recovered, caught up to
// its room's newest acknowledged seq), the members refused more than once and why, and the
// welcomes' store reads (parley_store_reads_total{kind}).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const ROOM_SIZE = 20;
const IN_FLIGHT = 200;           // handshakes in flight while the members first join
const BURST = 2;                 // messages into every room just before the SIGTERM
const BACKOFF_BASE_MS = 500;     // the web client's (clients/js/connection.js)
const BACKOFF_CAP_MS = 15_000;
const GHOST_RETRY_MAX_MS = 5000;
const LIMIT_MS = 180_000;        // how long the members have to come back
const CAUSES = ['connection refused', '1013', 'name-taken', 'other'];
const OPTIONS = { perMessageDeflate: false, handshakeTimeout: 30_000, skipUTF8Validation: true };
const SEQ = Buffer.from('"seq":');

/** The integer after `"seq":` in a frame (a message's, an ack's), or 0. */
function seqOf(buf) {
  let i = buf.indexOf(SEQ);
  if (i < 0) return 0;
  let seq = 0;
  for (i += SEQ.length; buf[i] >= 48 && buf[i] <= 57; i++) seq = seq * 10 + buf[i] - 48;
  return seq;
}

/** One member, as the web client's connection: joins, keeps its secret and newest seq, reconnects. */
class Member {
  seq = 0;               // the newest seq seen in its room: the next join's `since`
  resume = null;         // the last welcome's secret
  attempts = 0;          // since the last welcome: the backoff's exponent
  hint = null;           // the server's reconnect hint (ms), for the next attempt
  refusals = [];         // the causes of the storm's failed attempts
  welcomes = 0;
  back = false;
  recovered = null;
  brought = 0;           // messages the storm's welcome brought back

  constructor(storm, index) {
    this.storm = storm;
    this.room = `storm-${Math.floor(index / ROOM_SIZE)}`;
    this.user = `u${index % ROOM_SIZE}`;
    this.localAddress = `127.1.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`; // ports of its own
  }

  /** One attempt: open, join, until its welcome or its close. */
  connect() {
    const ws = new WebSocket(`${this.storm.base}/chat/${this.room}`, { ...OPTIONS, localAddress: this.localAddress });
    this.ws = ws;
    const attempt = { welcomed: false, cause: null, ghosts: 0 };
    ws.on('open', () => this.join(ws));
    ws.on('error', (e) => {
      attempt.cause ??= e.code === 'ECONNREFUSED' ? 'connection refused' : 'other';
      attempt.detail ??= e.message;
    });
    ws.on('message', (buf) => this.frame(ws, buf, attempt));
    ws.on('close', (code, reason) => {
      clearInterval(this.ping);
      if (this.storm.over) return;
      if (!attempt.welcomed && this.storm.stormed && attempt.cause !== 'counted') {
        this.refuse(code === 1013 ? '1013' : attempt.cause ?? 'other', attempt.detail ?? `closed ${code} ${reason}`);
      }
      this.reconnect();
    });
  }

  refuse(cause, detail) {
    this.refusals.push(cause);
    if (cause === 'other') this.storm.others.set(detail, (this.storm.others.get(detail) ?? 0) + 1);
  }

  join(ws) {
    const frame = { type: 'join', user: this.user };
    if (this.welcomes > 0) Object.assign(frame, { since: this.seq }, this.resume && { resume: this.resume });
    ws.send(JSON.stringify(frame));
  }

  frame(ws, buf, attempt) {
    switch (buf[9]) { // every frame starts {"type":"
      case 0x6d: this.seq = Math.max(this.seq, seqOf(buf)); break; // message
      case 0x61: this.storm.acked(this.room, seqOf(buf)); break;   // ack
      case 0x77: attempt.welcomed = true; this.welcomed(ws, JSON.parse(buf)); break;
      case 0x72: if (buf[11] === 0x63) this.hint = JSON.parse(buf).after ?? null; break; // reconnect (not read, rooms)
      case 0x65: {                                                  // error
        const { code } = JSON.parse(buf);
        if (attempt.welcomed) break;
        if (this.storm.stormed) this.refuse(code === 'name-taken' ? 'name-taken' : 'other', `error ${code}`);
        if (code === 'name-taken' && attempt.ghosts < 5) { // the old connection's name still held
          attempt.ghosts++;
          setTimeout(() => ws.readyState === WebSocket.OPEN && this.join(ws), Math.min(GHOST_RETRY_MAX_MS, 1000 * attempt.ghosts));
        } else {
          attempt.cause = 'counted';
          ws.terminate();
        }
        break;
      }
      default: break; // joined, left, presence, pong, …
    }
  }

  welcomed(ws, welcome) {
    this.attempts = 0;
    this.resume = welcome.resume ?? this.resume;
    const newest = welcome.history.at(-1)?.seq ?? 0;
    if (this.storm.gone && !this.back) {
      this.recovered = welcome.recovered === true;
      this.brought += welcome.history.filter((m) => m.seq > this.seq).length;
    }
    this.seq = Math.max(this.seq, newest);
    this.welcomes++;
    // like the web client: a ping every 25 s keeps the connection within the idle timeout
    this.ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25_000);
    this.storm.welcomed(this);
  }

  /** The web client's backoff: full jitter, or the server's hint, [after, 2 after], first. */
  reconnect() {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.attempts, 10));
    const delay = this.hint !== null ? this.hint * (1 + Math.random()) : Math.random() * ceiling;
    this.hint = null;
    this.attempts++;
    setTimeout(() => !this.storm.over && this.connect(), delay);
  }
}

/** The storm: a node of `config.storm` members restarted; resolves to its figures. */
export async function stormPhase({ config, startParley, stopChild, exited, freePort, createDatabase, dropDatabase }) {
  const n = config.storm;
  const rooms = Math.ceil(n / ROOM_SIZE);
  const port = await freePort();
  const database = config.stormStore === 'postgres' ? createDatabase() : null;
  const settings = {
    PARLEY_STORE: 'jdbc', // H2 in PARLEY_DATA, the same folder for both processes, or the database
    PARLEY_DATA: mkdtempSync(join(tmpdir(), 'parley-storm-')),
    ...database && { PARLEY_JDBC_URL: `jdbc:postgresql://127.0.0.1:5432/${database}`, PARLEY_JDBC_USER: 'postgres' },
    PARLEY_PORT: String(port),
    // no load balancer to drain from: the members are closed at once, with the last
    // messages still going out
    PARLEY_SHUTDOWN_GRACE: '0',
  };
  let node;
  try {
    node = await startParley('parley (storm)', settings);
  } catch (e) {
    if (database) dropDatabase(database);
    throw e;
  }
  const newest = new Map(); // room -> its newest acknowledged seq
  let waiting = null;
  const storm = {
    base: node.base,
    stormed: false,
    over: false,
    welcomes: 0,
    backs: 0,
    others: new Map(), // what the refusals counted as other were, and how many of each
    acked(room, seq) { if (seq > (newest.get(room) ?? 0)) newest.set(room, seq); },
    gone: false, // the old process has exited: a welcome from now on is the new one's
    welcomed(member) {
      if (this.stormed !== this.gone) return; // the old node's, while it closes
      this.welcomes++;
      if (this.gone && !member.back && member.recovered && member.seq >= (newest.get(member.room) ?? 0)) {
        member.back = true;
        this.backs++;
      }
      waiting?.();
    },
  };
  const until = async (done, ms) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((r) => { waiting = r; setTimeout(r, 100); });
  };
  const members = Array.from({ length: n }, (_, i) => new Member(storm, i));
  try {
    // the members join, IN_FLIGHT at a time
    const joinStart = performance.now();
    for (let next = 0; next < n; next++) {
      members[next].connect();
      await until(() => storm.welcomes > next - IN_FLIGHT, 30_000);
    }
    await until(() => storm.welcomes >= n, 60_000);
    if (storm.welcomes < n) throw new Error(`only ${storm.welcomes} of ${n} members joined`);
    console.log(`  storm: ${n} members in ${rooms} rooms of ${ROOM_SIZE} joined in ${((performance.now() - joinStart) / 1000).toFixed(1)} s`);

    // a few messages into every room, then at once the SIGTERM
    members.forEach((m, i) => {
      if (i % ROOM_SIZE < BURST) m.ws.send(`{"type":"message","text":"before the restart","cid":"storm-${i}"}`);
    });
    storm.stormed = true;
    storm.welcomes = 0;
    const t0 = performance.now();
    const since = () => ((performance.now() - t0) / 1000).toFixed(1);
    node.child.kill('SIGTERM');
    await new Promise((r) => (exited(node.child) ? r() : node.child.once('exit', r)));
    storm.gone = true;
    const gone = since();
    const acked = [...newest.values()].length;
    node = await startParley('parley (storm, restarted)', settings);
    const answering = since();
    await until(() => storm.backs >= n || storm.welcomes >= n, LIMIT_MS);
    await until(() => storm.backs >= n, 2000); // welcomes still being read
    const ended = since();
    const allBack = storm.backs >= n ? ended : null;

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const reads = (kind) => {
      const m = new RegExp(`^parley_store_reads_total\\{[^}]*kind="${kind}"[^}]*\\} (\\S+)`, 'm').exec(metrics);
      return m ? Number(m[1]) : null;
    };
    const refusedTwice = members.filter((m) => m.refusals.length > 1);
    // a message stored whose ack the close cut off is not in `newest`: the room's newest is
    // also the highest seq any of its members has
    const roomNewest = new Map();
    members.forEach((m) => roomNewest.set(m.room, Math.max(m.seq, roomNewest.get(m.room) ?? 0)));
    const behind = members.filter((m) => m.seq < roomNewest.get(m.room)).length;
    const byCause = (list) => CAUSES.map((cause) => `${cause} ${list.reduce((a, m) => a + m.refusals.filter((c) => c === cause).length, 0)}`).join(', ');
    const result = {
      members: n,
      rooms,
      roomsWithAnAck: acked,
      goneSeconds: Number(gone),
      answeringSeconds: Number(answering),
      backSeconds: allBack === null ? null : Number(allBack),
      back: storm.backs,
      notRecovered: members.filter((m) => m.recovered === false).length,
      broughtBack: members.reduce((a, m) => a + m.brought, 0),
      behind,
      refusedMoreThanOnce: refusedTwice.length,
      refusals: Object.fromEntries(CAUSES.map((cause) => [cause, members.reduce((a, m) => a + m.refusals.filter((c) => c === cause).length, 0)])),
      recoveryReads: reads('recovery'),
      newestReads: reads('newest'),
    };
    const perRoom = (x) => (x === null ? '-' : `${x} (${(x / rooms).toFixed(2)} a room)`);
    console.log(`  storm: ${BURST} messages into each room, then SIGTERM (${acked} rooms had an ack by then); the node gone at `
      + `${gone} s, started again and answering at ${answering} s; ${allBack !== null
        ? `every member back (welcomed, recovered, caught up) at ${allBack} s`
        : `NOT every member back (welcomed, recovered, caught up): ${storm.backs} of ${n} at ${ended} s`}`);
    console.log(`  storm: ${result.notRecovered} welcomed with recovered false; ${result.broughtBack} messages brought back by `
      + `recoveries; ${behind} members behind the newest seq another member of their room has`);
    console.log(`  storm: refused more than once: ${refusedTwice.length} members (their refusals: ${byCause(refusedTwice)}); `
      + `all refusals: ${byCause(members)}${storm.others.size ? `; other: ${[...storm.others].sort((a, b) => b[1] - a[1])
        .slice(0, 3).map(([detail, count]) => `${detail} (${count})`).join(', ')}` : ''}`);
    console.log(`  storm: store reads after the restart: recovery ${perRoom(result.recoveryReads)}, newest ${perRoom(result.newestReads)}`);
    return result;
  } finally {
    storm.over = true;
    members.forEach((m) => m.ws?.terminate());
    if (!exited(node.child)) await stopChild(node.child);
    if (database) dropDatabase(database);
  }
}
