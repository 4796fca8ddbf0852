// One room of N members (bench/run --phases bigroom; docs/PERFORMANCE.md, issue 36, step 1):
// how long N take to open and join (quadratic in N where every join is announced to everyone
// already in the room and welcomed with every name: the peers, and Parley up to its
// PARLEY_PRESENCE_LIMIT; docs/PROTOCOL.md, "Large rooms"), then the cpu phase's fixed rate
// into that one room: 40,000 deliveries/s is 40,000/N messages a second, each to all N.
//
// The generator counts presence frames (joined, left, or the coalesced presence a large room
// may send instead) and reads nothing else of them, nor of a welcome beyond its type: it works
// whether a welcome lists every name or only the first page of them.
import { performance } from 'node:perf_hooks';
import { connectAll, step } from './load.mjs';

const IN_FLIGHT = 200; // handshakes and joins in flight: the batches the room fills in
const SENDERS = 20;    // the members who talk, as many as in the cpu phase's rooms; the others read

const sumOf = (conns, key) => conns.reduce((a, c) => a + c[key], 0);

/** One room of `size` on a fresh server, after the cpu phase's warm-up: the joins, then the fixed rate. */
export async function bigroomPhase(server, size, { config, totalCpu, serverCpuSeconds, printStep, passes, quiet, cpuWarmup }) {
  const warmup = cpuWarmup(server.name);
  await step(server, { rooms: config.rooms, users: config.users, deliveries: config.cpuRate, seconds: warmup,
    label: 'bigwarm', sample: config.sample });
  await quiet(server);

  // the room filled, then the server left to send the last joins' announcements
  let joins;
  const fill = async (specs, onMessageFor) => {
    const cpuBefore = totalCpu(server);
    const generatorBefore = process.cpuUsage();
    const started = performance.now();
    const opened = await connectAll(server, specs, IN_FLIGHT, onMessageFor);
    const seconds = (performance.now() - started) / 1000;
    await quiet(server);
    const generator = process.cpuUsage(generatorBefore);
    const wall = (performance.now() - started) / 1000;
    joins = {
      seconds,
      settledSeconds: wall,
      serverCpu: cpuBefore === null ? null : totalCpu(server) - cpuBefore,
      generatorCpu: (generator.user + generator.system) / 1e6 / wall,
      presence: sumOf(opened.conns, 'presence'),
      closed: opened.conns.filter((c) => c.closed !== undefined).length,
    };
    return opened;
  };
  const r = await step(server, { rooms: 1, users: size, senders: Math.min(SENDERS, size), deliveries: config.cpuRate,
    seconds: config.cpuSeconds, label: `big${size}`, sample: config.sample, connect: fill,
    serverCpuSeconds: () => serverCpuSeconds(server) });
  printStep(server, r);

  const f = (x, digits) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));
  const perDelivery = (seconds) => (seconds === null ? null : (seconds * 1e6) / r.received);
  const result = {
    size,
    joinSeconds: joins.seconds,
    joinSettledSeconds: joins.settledSeconds,
    joinServerCpu: joins.serverCpu,
    joinGeneratorCpu: joins.generatorCpu,
    presenceAtJoins: joins.presence,
    closedAtJoins: joins.closed,
    messagesPerSecond: config.cpuRate / size,
    p50: r.p50,
    p99: r.p99,
    max: r.max,
    lost: r.lost,
    passes: passes(r),
    cpuMicrosPerDelivery: perDelivery(r.serverCpuUsed),
    cpuMicrosPerDeliveryWithJoins: perDelivery(r.serverCpuUsed === null ? null : r.serverCpuUsed + joins.serverCpu),
  };
  console.log(`  bigroom ${size}: opened and joined in ${f(joins.seconds, 1)} s (${f(size / joins.seconds, 0)}/s; the server quiet `
    + `after ${f(joins.settledSeconds, 1)} s), server CPU ${f(joins.serverCpu, 1)} s (${f(joins.serverCpu === null ? null
      : (joins.serverCpu * 1000) / size, 2)} ms a join), generator ${f(joins.generatorCpu * 100, 0)}%; `
    + `${joins.presence} presence frames received (each join to all before it: ${(size * (size - 1)) / 2})`
    + `${joins.closed ? `, ${joins.closed} members closed` : ''}`);
  console.log(`  bigroom ${size}: ${f(result.messagesPerSecond, 1)} messages/s, p50 ${f(r.p50, 1)} p99 ${f(r.p99, 1)} max `
    + `${f(r.max, 1)} ms; CPU ${f(result.cpuMicrosPerDeliveryWithJoins, 2)} µs per delivery with the joins, `
    + `${f(result.cpuMicrosPerDelivery, 2)} without${result.passes ? '' : ' (the step FAILED: not a fair figure)'}`);
  return result;
}
