// The load: a population of R rooms x U users, each user sending at a fixed rate (open loop),
// every message checked at every member: latency, loss, order.
import { performance } from 'node:perf_hooks';
import { drivers } from './drivers.mjs';

const PAD = 'x'.repeat(40); // message text ~64 characters, like a short chat line

/** Latency histogram: 0.05 ms buckets up to 2 s, one bucket for everything slower. */
export class Histogram {
  constructor() {
    this.counts = new Uint32Array(40_001);
    this.total = 0;
    this.max = 0;
  }

  record(ms) {
    const bucket = Math.min(this.counts.length - 1, Math.max(0, Math.floor(ms * 20)));
    this.counts[bucket]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  percentile(p) {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, (i + 1) / 20); // a bucket's upper edge, never above the max
    }
    return this.max;
  }
}

/**
 * Opens connections with at most `concurrency` handshakes in flight; returns them and the rate.
 * A server of several nodes (`server.bases`) gets them in turn: consecutive users of a room
 * on different nodes. A spec with `http` uses Parley's HTTP transport.
 */
export async function connectAll(server, specs, concurrency, onMessageFor) {
  const conns = new Array(specs.length);
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      const { room, user, http } = specs[i];
      const connect = drivers[http ? 'parley-http' : server.protocol];
      conns[i] = await connect(server.bases[i % server.bases.length], room, user, onMessageFor(i));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { conns, perSecond: specs.length / seconds };
}

/** R rooms of U users; a share `httpShare` of each room's users (spread over it) on the HTTP transport. */
export function population(prefix, rooms, users, httpShare = 0) {
  const specs = [];
  for (let r = 0; r < rooms; r++) {
    for (let u = 0; u < users; u++) {
      specs.push({ room: `${prefix}-${r}`, user: `u${u}`, http: Math.floor((u + 1) * httpShare) > Math.floor(u * httpShare) });
    }
  }
  return specs;
}

/** Each part's CPU seconds from `before` to `after` ({ part: seconds }), as a share of `wallMs`. */
function cpuShares(before, after, wallMs) {
  if (before === null) return null;
  return Object.fromEntries(Object.keys(before).map((part) => [part, (after[part] - before[part]) / (wallMs / 1000)]));
}

/**
 * One measured step: a fresh population, `deliveries` per second in all for `seconds`, then up
 * to `drainMs` for the stragglers. Latency is from the moment a message was due to be sent, so a
 * server (or generator) that falls behind cannot hide it. `serverCpuSeconds` gives the CPU
 * seconds used so far by each part of the server ({ part: seconds }), or null; `serverParts`
 * another such split, read at the same moments (its CPU seconds over the step: `serverPartsUsed`).
 * Latency and order are checked on one receiver in `sample`; every receiver's deliveries are
 * counted. The first `senders` users of each room send (all by default); `httpShare` of them
 * are on the HTTP transport; `connect(specs, onMessageFor)` opens the population (200
 * handshakes in flight by default).
 */
export async function step(server, { rooms, users, deliveries, seconds, drainMs = 5000, label, sample = 1,
  serverCpuSeconds = () => null, serverParts = () => null, senders = users, httpShare = 0,
  connect = (specs, onMessageFor) => connectAll(server, specs, 200, onMessageFor) }) {
  const n = rooms * users;
  const specs = population(label, rooms, users, httpShare);
  const hist = new Histogram();
  const lastSeen = new Int32Array(n * senders).fill(-1); // per receiver, per sender in its room
  let received = 0;
  let outOfOrder = 0;
  let t0 = 0;
  // latency and order on one receiver in `sample` (every receiver by default), the others
  // only counted: a cheaper generator reaches higher loads
  const onMessageFor = (receiver) => {
    if (receiver % sample !== 0) {
      return Object.assign(() => { received++; }, { countOnly: true });
    }
    return (sender, count, dueMicros) => {
      const slot = receiver * senders + (sender % users);
      if (count <= lastSeen[slot]) outOfOrder++;
      else lastSeen[slot] = count;
      received++;
      hist.record(performance.now() - t0 - dueMicros / 1000);
    };
  };
  const { conns, perSecond: connectRate } = await connect(specs, onMessageFor);

  // senders interleaved across rooms: consecutive sends go to different rooms
  const order = Array.from({ length: rooms * senders }, (_, i) => (i % rooms) * users + (Math.floor(i / rooms) % senders));
  const counts = new Int32Array(n);
  const messagesPerSecond = deliveries / users;
  const total = Math.round(messagesPerSecond * seconds);
  let sent = 0;
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = serverCpuSeconds();
  const partsBefore = serverParts();
  t0 = performance.now();
  await new Promise((done) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * messagesPerSecond) / 1000) + 1); // message k is due at k / rate
      for (; sent < due; sent++) {
        const sender = order[sent % order.length];
        const dueMicros = Math.round((sent * 1e6) / messagesPerSecond);
        conns[sender].send(`${sender}|${counts[sender]++}|${dueMicros}|${PAD}`);
      }
      if (sent >= total) {
        clearInterval(timer);
        done();
      }
    }, 1);
  });
  const sendEnd = performance.now();
  const expected = total * users;
  const drainUntil = sendEnd + drainMs;
  while (received < expected && performance.now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - t0;
  const serverCpuParts = cpuShares(serverCpuBefore, serverCpuSeconds(), wall);
  const partsShares = cpuShares(partsBefore, serverParts(), wall);
  const serverCpu = serverCpuParts === null ? null : Object.values(serverCpuParts).reduce((a, b) => a + b, 0);
  const serverCpuUsed = serverCpu === null ? null : (serverCpu * wall) / 1000; // CPU seconds over the step
  const acks = conns.reduce((a, c) => a + c.acks, 0);
  const errors = conns.reduce((a, c) => a + c.errors, 0);
  const presence = conns.reduce((a, c) => a + c.presence, 0);
  conns.forEach((c) => c.close());
  return {
    seconds: wall / 1000,
    offered: deliveries,
    delivered: Math.round(received / seconds),
    expected,
    received,
    lost: expected - received,
    outOfOrder,
    acks,
    errors,
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    max: hist.max,
    connectRate,
    generatorCpu: (cpu.user + cpu.system) / 1000 / wall,
    serverCpu,
    serverCpuParts,
    serverCpuUsed,
    serverPartsUsed: partsShares && Object.fromEntries(Object.entries(partsShares).map(([part, share]) => [part, (share * wall) / 1000])),
    presence,
  };
}
