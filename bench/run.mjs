// Parley vs the reference servers (Socket.IO, Vert.x, Node ws), in one run: see docs/BENCHMARKS.md.
//
//   bench/run [--quick] [--rooms 100] [--users 20] [--seconds 8] [--servers parley,parley-h2,socketio,vertx,ws]
//             (vertx: bench/vertx, its jar built with Maven on first use; ws: bench/ws-server.mjs)
//             (also parley-own, parley-tyrus: the standalone on one WebSocket engine (PARLEY_WEBSOCKET_ENGINE); parley-hooks; parley-cluster, parley-cluster2, parley-cluster-hooks: need PostgreSQL at 127.0.0.1:5432 and redis-server)
//             [--phases idle,capacity,cpu] [--rates 50000,75000] [--idle 9000] [--hold 15000]
//             [--cpu-rate 40000] [--cpu-warmup 30 (120 for a cluster target)] [--cpu-seconds 20] [--runs 1]
//             (--runs 3: the cpu phase three times, the servers in turn, median and spread printed)
//             [--phases http] [--http-share 0.5]   (the cpu phase all-WebSocket and with that share of
//             members on the HTTP transport: Parley's targets only)
//             [--phases bigroom] [--bigroom 2000,5000]   (one room of that many: bigroom.mjs)
//             [--phases storm] [--storm 15000] [--storm-store h2|postgres]   (a restart of a node that many hold: storm.mjs, Parley only)
//             [--sample 4]   (latency and order on one receiver in 4; the others only counted)
//             [--phases fill] [--fill 20000]   (a node filled to its limit: named only, about 2 minutes a server)
//             [--baseline-jar other/parley-standalone.jar]   (adds the server parley-baseline: that build, memory store)
//             [--java-options "..."] [--parley-url ws://127.0.0.1:8080] [--json file]
//
// Each server under test runs pinned to core 0 (taskset), this generator to core 1 (bench/run);
// a cluster target's nodes, its Redis and its database connections all on core 0.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bigroomPhase } from './bigroom.mjs';
import { connectAll, population, step } from './load.mjs';
import { stormPhase } from './storm.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rooms: { type: 'string' },
    users: { type: 'string' },
    seconds: { type: 'string' },
    servers: { type: 'string' },
    idle: { type: 'string' },
    hold: { type: 'string' },
    'parley-url': { type: 'string' },
    rates: { type: 'string' },
    phases: { type: 'string', default: 'idle,capacity,cpu' },
    'cpu-rate': { type: 'string' },
    'cpu-warmup': { type: 'string' },
    'cpu-seconds': { type: 'string' },
    'baseline-jar': { type: 'string' },
    fill: { type: 'string' },
    sample: { type: 'string' },
    runs: { type: 'string' },
    'http-share': { type: 'string' },
    bigroom: { type: 'string' },
    storm: { type: 'string' },
    'storm-store': { type: 'string', default: 'h2' },
    // as `mvn -Pstart` runs the standalone jar (README)
    'java-options': { type: 'string', default: process.env.PARLEY_BENCH_JAVA_OPTIONS ?? '-XX:+UseSerialGC -Xmn64m' },
    json: { type: 'string' },
  },
});
const quick = args.quick;
const config = {
  rooms: Number(args.rooms ?? (quick ? 4 : 100)),
  users: Number(args.users ?? (quick ? 5 : 20)),
  seconds: Number(args.seconds ?? (quick ? 1 : 8)),
  idle: Number(args.idle ?? (quick ? 100 : 9000)),
  hold: Number(args.hold ?? (quick ? 0 : 15000)),
  servers: (args.servers ?? `parley,parley-h2,socketio,vertx,ws${args['baseline-jar'] ? ',parley-baseline' : ''}`).split(','),
  // the cpu phase: a fixed load below every server's saturation, after a warm-up long enough
  // for the JIT to be done (on one core C2 competes with the server for some 30 s)
  cpuRate: Number(args['cpu-rate'] ?? (quick ? 200 : 40_000)),
  cpuWarmup: Number(args['cpu-warmup'] ?? (quick ? 1 : 30)), // 120 s for a cluster target unless given: cpuWarmup()
  cpuSeconds: Number(args['cpu-seconds'] ?? (quick ? 1 : 20)),
  // the fill phase's limit for a server that states none: this machine's descriptors per process
  fill: Number(args.fill ?? 20_000),
  // latency and order measured on one receiver in `sample`, the others only counted (a
  // cheaper generator, so the capacity search reaches higher)
  sample: Number(args.sample ?? (quick ? 1 : 4)),
  // the cpu phase this many times, the servers in turn (a, b, a, b, …)
  runs: Number(args.runs ?? 1),
  // the http phase: the share of each room's members on the HTTP transport
  httpShare: Number(args['http-share'] ?? 0.5),
  bigroom: (args.bigroom ?? (quick ? '100' : '2000,5000')).split(',').map(Number),
  storm: Number(args.storm ?? (quick ? 200 : 15_000)),
  stormStore: args['storm-store'], // h2 (a folder of its own) or postgres (a database of its own)
};
const P99_LIMIT_MS = 100;
if (config.servers.includes('parley-baseline') && !args['baseline-jar']) {
  console.error('parley-baseline needs --baseline-jar: the build to compare with');
  process.exit(2);
}

// ---------- the servers under test ----------

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command-line tool (psql, createdb, redis-cli, taskset) to its end; returns its output. */
const sh = (command, ...argv) => execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

// what is still running or still exists, so that Ctrl-C leaves no server, Redis or database behind
const children = new Set();
const databasesToDrop = new Set();

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await Promise.all([...children].map(stopChild));
    databasesToDrop.forEach(dropDatabase);
    process.exit(130);
  });
}

async function waitUntil(ready, child, what) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited(child)) throw new Error(`${what} exited with ${child.exitCode ?? child.signalCode}`);
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within 60 s`);
}

const httpAnswers = (url) => async () => {
  try {
    return (await fetch(url)).status < 500;
  } catch {
    return false; // not yet
  }
};

const redisAnswers = (port) => async () => {
  try {
    return sh('redis-cli', '-h', '127.0.0.1', '-p', String(port), 'ping').trim() === 'PONG';
  } catch {
    return false; // not yet
  }
};

/** Starts `command` pinned to core 0 and waits until `ready()`; resolves to the child process. */
async function startPinned(command, env, ready, what, cwd) {
  const child = spawn('taskset', ['-c', '0', ...command], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  child.stderrTail = () => stderr;
  try {
    await waitUntil(ready, child, what);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}`);
  }
  return child;
}

async function stopChild(child) {
  child.kill('SIGTERM');
  await new Promise((r) => (exited(child) ? r() : child.once('exit', r)));
}

/** One standalone Parley node with the given settings (PARLEY_PORT: a free one unless set); resolves to { child, base }. */
async function startParley(name, settings) {
  const port = Number(settings.PARLEY_PORT ?? await freePort());
  const jar = name === 'parley-baseline' ? resolve(args['baseline-jar']) : join(root, 'standalone', 'target', 'parley-standalone.jar');
  const javaOptions = args['java-options'].split(' ').filter(Boolean);
  const env = {
    ...process.env,
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(port),
    PARLEY_DATA: mkdtempSync(join(tmpdir(), 'parley-bench-')),
    ...settings,
  };
  const child = await startPinned(['java', ...javaOptions, '-jar', jar], env, httpAnswers(`http://127.0.0.1:${port}/`), name);
  return { child, base: `ws://127.0.0.1:${port}` };
}

// Webhooks on, to a receiver that is down, so every event waits and is retried: what the chat
// pays for them (docs/SERVER-API.md).
const HOOKS = { PARLEY_WEBHOOK_URL: 'http://127.0.0.1:9/down', PARLEY_WEBHOOK_SECRET: 'bench-webhook-secret-0123456789abcdef' };

// The standalone targets' settings (others: the memory store). parley-hooks: parley-h2 with HOOKS.
const SETTINGS = {
  'parley-own': { PARLEY_STORE: 'memory', PARLEY_WEBSOCKET_ENGINE: 'parley' },
  'parley-tyrus': { PARLEY_STORE: 'memory', PARLEY_WEBSOCKET_ENGINE: 'tyrus' },
  'parley-h2': { PARLEY_STORE: 'jdbc' },
  'parley-hooks': { PARLEY_STORE: 'jdbc', ...HOOKS },
};

// The cluster targets: how many nodes each runs, on a database and a Redis of its own, and
// any settings of their own. parley-cluster-hooks: parley-cluster with HOOKS.
const CLUSTERS = {
  'parley-cluster': { nodes: 1 },
  'parley-cluster2': { nodes: 2 },
  'parley-cluster-hooks': { nodes: 1, settings: HOOKS },
};
const PG = ['-h', '127.0.0.1', '-U', 'postgres'];
const POOL_SIZE = 8; // each node's connections to the database (StandaloneServer)
let databases = 0;

function createDatabase() {
  const database = `parley_bench_${process.pid}_${++databases}`;
  sh('createdb', ...PG, database);
  databasesToDrop.add(database);
  return database;
}

function dropDatabase(database) {
  sh('dropdb', ...PG, '--if-exists', '--force', database);
  databasesToDrop.delete(database);
}

/**
 * The backends serving `database` (a node's pool fills after it is up), pinned to core 0
 * like the servers. PostgreSQL's own processes (walwriter, checkpointer, …) serve every
 * database on the machine and are left alone.
 */
async function pinBackends(database, expected) {
  const query = `select pid from pg_stat_activity where datname = '${database}' and backend_type = 'client backend'`;
  const until = Date.now() + 10_000;
  let pids = [];
  while (pids.length < expected && Date.now() < until) {
    await sleep(200);
    pids = sh('psql', ...PG, '-d', 'postgres', '-Atc', query).split('\n').filter(Boolean).map(Number);
  }
  if (pids.length < expected) console.log(`  (${pids.length} of ${expected} database connections open; those pinned)`);
  pids.forEach((pid) => sh('taskset', '-a', '-cp', '0', String(pid)));
  return pids;
}

/**
 * `nodes` Parley nodes in cluster mode on a fresh PostgreSQL database and a throwaway Redis,
 * each pinned to core 0; stop() stops the nodes and Redis and drops the database.
 */
async function startCluster(name, nodes, settings = {}) {
  const undo = []; // run in reverse order
  const stop = async () => {
    while (undo.length) await undo.pop()();
  };
  try {
    const database = createDatabase();
    undo.push(async () => dropDatabase(database));
    const redisPort = await freePort();
    const redis = await startPinned(['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no'], process.env, redisAnswers(redisPort), 'redis-server', mkdtempSync(join(tmpdir(), 'parley-redis-')));
    undo.push(() => stopChild(redis));
    const started = [];
    for (let k = 1; k <= nodes; k++) { // one after the other: the first migrates the database
      const node = await startParley(`${name} node ${k}`, {
        PARLEY_STORE: 'jdbc',
        PARLEY_JDBC_URL: `jdbc:postgresql://127.0.0.1:5432/${database}`,
        PARLEY_JDBC_USER: 'postgres',
        PARLEY_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PARLEY_NODE_ID: `bench-${k}`,
        PARLEY_CLUSTER_NAME: 'bench',
        ...settings,
      });
      started.push(node);
      undo.push(() => stopChild(node.child));
    }
    const backends = await pinBackends(database, nodes * POOL_SIZE);
    return {
      name,
      protocol: 'parley',
      bases: started.map((n) => n.base),
      processes: [...started.map((n, k) => ({ part: 'parley', pid: n.child.pid, node: k + 1 })), { part: 'redis', pid: redis.pid },
        ...backends.map((pid) => ({ part: 'postgres', pid }))],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

// The reference servers on Node, each a script of bench/ (started with --expose-gc: collectGarbage)
const NODE_SERVERS = { socketio: 'socketio-server.mjs', ws: 'ws-server.mjs' };

/**
 * Starts one server pinned to core 0; resolves to { name, protocol, bases, processes, stop() }:
 * `bases` the URLs its clients connect to (in turn), `processes` its parts' { part, pid }.
 */
async function start(name) {
  if (args['parley-url'] && name.startsWith('parley')) {
    return { name, protocol: 'parley', bases: [args['parley-url'].replace(/\/$/, '')], processes: [], stop: async () => {} };
  }
  if (CLUSTERS[name]) return startCluster(name, CLUSTERS[name].nodes, CLUSTERS[name].settings);
  let child;
  let base;
  if (NODE_SERVERS[name]) {
    const port = await freePort();
    child = await startPinned(['node', '--expose-gc', join(here, NODE_SERVERS[name]), String(port)], process.env,
      httpAnswers(`http://127.0.0.1:${port}/health`), name);
    base = `ws://127.0.0.1:${port}`;
  } else if (name === 'vertx') {
    const jar = join(here, 'vertx', 'target', 'parley-bench-vertx.jar');
    // built once, before the server starts (not pinned: the build is not measured)
    if (!existsSync(jar)) {
      try {
        sh('mvn', '-B', '-q', '-f', join(here, 'vertx', 'pom.xml'), 'package');
      } catch (e) {
        throw new Error(`mvn -f bench/vertx/pom.xml package failed:\n${e.stdout}${e.stderr}`);
      }
    }
    const port = await freePort();
    child = await startPinned(['java', ...args['java-options'].split(' ').filter(Boolean), '-jar', jar, String(port)],
      process.env, httpAnswers(`http://127.0.0.1:${port}/health`), name);
    base = `ws://127.0.0.1:${port}`;
  } else {
    ({ child, base } = await startParley(name, SETTINGS[name] ?? { PARLEY_STORE: 'memory' }));
  }
  return {
    name,
    protocol: name === 'socketio' ? 'socketio' : 'parley',
    bases: [base],
    processes: [{ part: NODE_SERVERS[name] ? 'node' : name === 'vertx' ? 'vertx' : 'parley', pid: child.pid }],
    log: child.stderrTail,
    stop: () => stopChild(child),
  };
}

/**
 * A full garbage collection in every part of the server that has a collector (jcmd for the
 * JVMs; SIGUSR2 for Node, which socketio-server.mjs and ws-server.mjs answer with gc()), so
 * that a reading of resident memory counts what is live, not how far the young generation had filled: with
 * a 64 MB young generation the difference is up to 7 KB "per connection" of 9,000.
 */
async function collectGarbage(server) {
  for (const { part, pid } of server.processes) {
    if (part === 'node') process.kill(pid, 'SIGUSR2');
    else if (part === 'parley' || part === 'vertx') sh('jcmd', String(pid), 'GC.run');
  }
  await sleep(1000);
}

/** CPU seconds a process has used, { user, system }; 0 once it is gone. */
function cpuTimes(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return { user: 0, system: 0 };
  }
  const fields = stat.split(') ')[1].split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 }; // utime, stime: clock ticks of 1/100 s
}

function cpuSeconds(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** CPU seconds the server's processes have used in all (null when they are not ours to measure). */
function totalCpu(server) {
  const parts = serverCpuSeconds(server);
  return parts === null ? null : Object.values(parts).reduce((a, b) => a + b, 0);
}

/** CPU seconds all the server's processes have used, split { user, system } (null when they are not ours to measure). */
function serverCpuSplit(server) {
  if (server.processes.length === 0) return null;
  const split = { user: 0, system: 0 };
  for (const { pid } of server.processes) {
    const t = cpuTimes(pid);
    split.user += t.user;
    split.system += t.system;
  }
  return split;
}

/** CPU seconds the server's parts have used, { part: seconds } (null when they are not ours to measure). */
function serverCpuSeconds(server) {
  if (server.processes.length === 0) return null;
  const parts = {};
  for (const { part, pid } of server.processes) parts[part] = (parts[part] ?? 0) + cpuSeconds(pid);
  return parts;
}

/**
 * CPU seconds the server's threads have run, from the scheduler's nanosecond count of each
 * (/proc/PID/task/TID/schedstat; finer than stat's 10 ms ticks, which matters over a batch
 * of joins): { all, jit }, jit being HotSpot's compiler threads ("C1/C2 CompilerThread").
 * Null when the server's processes are not ours to measure.
 */
function threadCpu(server) {
  if (server.processes.length === 0) return null;
  const seconds = { all: 0, jit: 0 };
  for (const { pid } of server.processes) {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        const ran = Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
        seconds.all += ran;
        if (/^C\d CompilerThre/.test(readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8'))) seconds.jit += ran;
      } catch {
        // the thread ended
      }
    }
  }
  return seconds;
}

/**
 * Resident set size of the server's processes in MiB, PostgreSQL's backends left out (most
 * of theirs is the shared buffer pool); null when they are not ours to measure.
 */
function rssMiB(server) {
  const own = server.processes.filter((p) => p.part !== 'postgres');
  if (own.length === 0) return null;
  return own.reduce((kib, { pid }) => kib + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]), 0) / 1024;
}

// ---------- phases ----------

/** `count` connections in rooms of 20. */
const roomsOf20 = (prefix, count) => population(prefix, Math.ceil(count / 20), 20).slice(0, count);

/**
 * The first connections a process takes also pay for what it compiles, and the code cache,
 * compiler arenas and metaspace that go with it (measured on Parley: 16 MB of native memory,
 * 1.8 KB "per connection" of 9,000): `count` opened and closed, then a full collection, take
 * that out of a reading of resident memory that follows, on every server alike.
 */
async function warmUp(server, prefix, count) {
  const warm = await connectAll(server, roomsOf20(prefix, count), 200, () => () => {});
  warm.conns.forEach((c) => c.close());
  await sleep(1000);
  await collectGarbage(server);
}

/** Idle connections: set-up rate, RSS per connection, then holding `hold` in all while delivering. */
async function idlePhase(server) {
  let delivered = 0;
  const onMessageFor = () => () => { delivered++; };
  await warmUp(server, 'warm', Math.min(2000, config.idle));
  const before = rssMiB(server);
  const first = await connectAll(server, roomsOf20('idle', config.idle), 200, onMessageFor);
  await sleep(1000);
  await collectGarbage(server);
  const after = rssMiB(server);
  const result = {
    connectRate: first.perSecond,
    idleBytesPerConnection: before === null ? null : ((after - before) * 1024 * 1024) / config.idle,
  };
  let all = first.conns;
  if (config.hold > config.idle) {
    const rest = await connectAll(server, roomsOf20('hold', config.hold - config.idle), 200, onMessageFor);
    all = all.concat(rest.conns);
    // one message from the first user of every room of 20: each must reach all 20
    const senders = all.filter((_, i) => i % 20 === 0);
    const expected = senders.length * 20;
    senders.forEach((c, i) => c.send(`${i}|0|0|hold`)); // onMessage only counts here
    const until = Date.now() + 15_000;
    while (delivered < expected && Date.now() < until) await sleep(20);
    result.held = all.length;
    result.heldDelivered = `${delivered}/${expected}`;
    result.heldRssMiB = rssMiB(server);
  }
  all.forEach((c) => c.close());
  return result;
}

const passes = (r) => r.lost === 0 && r.outOfOrder === 0 && r.errors === 0 && r.p99 <= P99_LIMIT_MS;

/** " (parley 60 redis 5 postgres 30)": the shares of a server of several parts, in %. */
function cpuParts(parts) {
  if (!parts || Object.keys(parts).length < 2) return '';
  return ` (${Object.entries(parts).map(([part, share]) => `${part} ${(share * 100).toFixed(0)}`).join(' ')})`;
}

function printStep(server, r) {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  console.log(`  ${server.name.padEnd(15)} offered ${String(r.offered).padStart(7)}/s delivered ${String(r.delivered)
    .padStart(7)}/s  p50 ${f(r.p50).padStart(6)} p99 ${f(r.p99).padStart(7)} max ${f(r.max).padStart(7)} ms  lost ${r.lost
  } order ${r.outOfOrder} err ${r.errors}  cpu server ${r.serverCpu === null ? '-' : (r.serverCpu * 100).toFixed(0)
  }%${cpuParts(r.serverCpuParts)} generator ${(r.generatorCpu * 100).toFixed(0)}%  ${passes(r) ? 'ok' : 'FAIL'}`);
}

/**
 * Warm-up steps at `deliveries` until the server's CPU over one has not fallen by more than
 * 5 points from the one before (JIT done), at most `max` of them.
 */
async function warmUntilSteady(server, scenario, deliveries, seconds, max) {
  let previous = Infinity;
  for (let i = 1; i <= max; i++) {
    const r = await step(server, { ...scenario, deliveries, seconds, label: `warm${i}`,
      serverCpuSeconds: () => serverCpuSeconds(server) });
    console.log(`  warm-up ${i}: ${deliveries}/s for ${seconds} s, cpu server ${r.serverCpu === null ? '-'
      : `${(r.serverCpu * 100).toFixed(0)}%`}`);
    if (r.serverCpu === null || previous - r.serverCpu < 0.05) return;
    previous = r.serverCpu;
  }
}

/**
 * Raises the load ×1.5 from 10,000 deliveries/s until a step fails (or lowers it ÷1.5 until one
 * passes), then bisects twice between the last pass and the fail.
 */
async function capacityPhase(server) {
  const scenario = { rooms: config.rooms, users: config.users };
  // a step that cannot even set up (a join refused) fails, and ends the search: its
  // connections may still be open
  const measure = async (deliveries) => {
    let r;
    try {
      r = await step(server, { ...scenario, deliveries, seconds: config.seconds, label: `s${Math.round(deliveries)}`,
        sample: config.sample, serverCpuSeconds: () => serverCpuSeconds(server) });
    } catch (e) {
      console.log(`  ${server.name.padEnd(15)} offered ${String(deliveries).padStart(7)}/s  FAIL: ${e.message}`);
      return { offered: deliveries, error: e.message };
    }
    r.rssMiB = rssMiB(server);
    printStep(server, r);
    return r;
  };
  // warm-up (JIT, pools), not counted
  await step(server, { ...scenario, deliveries: 2000, seconds: quick ? 1 : 3, label: 'warm' });
  if (quick) return { best: await measure(200) };
  if (CLUSTERS[server.name]) {
    // a cluster node has more to compile (JDBC driver, Lettuce, Netty): C2 takes a third of
    // the core for about 40 s and goes on for a minute or two, and with the short warm-up
    // the first steps failed while it did
    await warmUntilSteady(server, scenario, 10_000, 15, 8);
  } else {
    await step(server, { ...scenario, deliveries: 20_000, seconds: 4, label: 'warmer' });
  }
  if (args.rates) {
    let best = null;
    for (const rate of args.rates.split(',').map(Number)) {
      const r = await measure(rate);
      if (passes(r)) best = r;
      if (r.error) break;
    }
    return { best };
  }
  let best = null;
  let fail = null;
  let rate = 10_000;
  while (!fail && rate <= 2_000_000) {
    const r = await measure(rate);
    if (passes(r)) { best = r; rate = Math.round(rate * 1.5); } else fail = r;
  }
  // a server that fails the first step: ÷1.5 until one passes
  while (!best && !fail.error && rate >= 1500) {
    rate = Math.round(rate / 1.5);
    const r = await measure(rate);
    if (passes(r)) best = r; else fail = r;
  }
  for (let i = 0; i < 2 && fail && !fail.error && best; i++) {
    const mid = Math.round((best.offered + fail.offered) / 2);
    const r = await measure(mid);
    if (passes(r)) best = r; else fail = r;
  }
  return { best };
}

/**
 * The cpu phase's warm-up: --cpu-warmup, else 30 s, or 120 s for a cluster target (more to
 * compile: its capacity steps went on falling for a minute or two, and a 30 s warm-up left
 * its cpu step at p99 288 ms).
 */
const cpuWarmup = (name) => (args['cpu-warmup'] || !CLUSTERS[name] ? config.cpuWarmup : quick ? 1 : 120);

/** A cluster's CPU seconds by node and part ({ 'node 1', 'node 2', redis, postgres }); null for another server. */
function nodeCpuSeconds(server) {
  if (!server.processes.some((p) => p.node)) return null;
  const parts = {};
  for (const { part, pid, node } of server.processes) {
    const key = node ? `node ${node}` : part;
    parts[key] = (parts[key] ?? 0) + cpuSeconds(pid);
  }
  return parts;
}

/**
 * Server CPU per delivery at a fixed load (config.cpuRate) after a warm-up at that load: the
 * figure that tells servers apart where capacity steps are too coarse, and the generator too
 * busy, to. A fresh process, like the capacity phase's. `httpShare` of each room's members on
 * the HTTP transport. A cluster's nodes are printed each with the deliveries to its own
 * members (the clients are on the nodes in turn).
 */
async function cpuPhase(server, { httpShare = 0 } = {}) {
  const warmup = cpuWarmup(server.name);
  const scenario = { rooms: config.rooms, users: config.users, deliveries: config.cpuRate, sample: config.sample, httpShare };
  await step(server, { ...scenario, seconds: warmup, label: 'cpuwarm' });
  // split into the server's own code (user) and the kernel's work for it (system): on
  // loopback the kernel's share of a write includes the receiving side's TCP processing
  const r = await step(server, { ...scenario, seconds: config.cpuSeconds, label: 'cpu',
    serverCpuSeconds: () => serverCpuSplit(server), serverParts: () => nodeCpuSeconds(server) });
  r.rssMiB = rssMiB(server);
  printStep(server, r);
  const perDelivery = (seconds) => (seconds * 1e6) / r.received;
  r.cpuMicrosPerDelivery = r.serverCpuUsed === null ? null : perDelivery(r.serverCpuUsed);
  const split = r.serverCpuParts === null ? ''
    : ` (user ${perDelivery(r.serverCpuParts.user * r.seconds).toFixed(2)}, system ${perDelivery(r.serverCpuParts.system * r.seconds).toFixed(2)})`;
  console.log(`  cpu${httpShare ? ` (${httpShare} of the members on HTTP)` : ''}: ${r.cpuMicrosPerDelivery === null ? '-'
    : r.cpuMicrosPerDelivery.toFixed(2)} µs per delivery${split} at ${config.cpuRate}/s after ${warmup} s`
    + `${passes(r) ? '' : ' (the step FAILED: not a fair figure)'}`);
  if (r.serverPartsUsed) {
    const nodes = server.bases.length;
    r.nodeMicrosPerDelivery = Object.fromEntries(Object.entries(r.serverPartsUsed)
      .map(([part, used]) => [part, part.startsWith('node') ? (used * 1e6 * nodes) / r.received : perDelivery(used)]));
    console.log(`  cpu by node: ${Object.entries(r.nodeMicrosPerDelivery).map(([part, micros]) => `${part} ${micros.toFixed(2)}`)
      .join(', ')} µs per delivery (a node's: per delivery to its own members; redis, postgres: per delivery in all)`);
  }
  return r;
}

const FILL_WORKERS = 4;
const FILL_LEFT = 500;
const FILL_JOINS = 100;
const FILL_BATCHES = 3;

/** Until the server has used under 5 % of its core over a second (30 s at most). */
async function quiet(server) {
  const until = Date.now() + 30_000;
  let before = totalCpu(server);
  while (before !== null && Date.now() < until) {
    await sleep(1000);
    const now = totalCpu(server);
    if (now - before < 0.05) return;
    before = now;
  }
}

/**
 * One fill-worker.mjs process on core 1, opening `spec.count` connections; `done` resolves
 * to its last report ({ joined, refused, failed, error, ms }).
 */
function fillWorker(server, spec) {
  const child = spawn('taskset', ['-c', '1', 'node', join(here, 'fill-worker.mjs'),
    JSON.stringify({ base: server.bases[0], protocol: server.protocol, ...spec })],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let buffered = '';
  const done = new Promise((resolveDone, rejectDone) => {
    child.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const report = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (report.done) resolveDone(report);
      }
    });
    child.once('exit', (code) => rejectDone(new Error(`fill worker exited with ${code}`)));
  });
  return { child, done };
}

/**
 * A node filled to its limit: the connection limit a Parley node states at start, else (a
 * server that states none) --fill, this machine's 20,000 descriptors per process. The
 * generator's sockets are spread over FILL_WORKERS processes (each has the same limit) and
 * their source addresses over 127.0.0.0/8. Fills to 500 below the limit, times three
 * batches of 100 joins one after the other (each into a room of 20 that greets it), then
 * opens 700 more at once, 200 to the limit and 500 beyond it (each to be refused with 1013),
 * then watches the server's CPU for 10 s with everything held: a server that spins at its
 * limit shows here.
 */
async function fillPhase(server) {
  const stated = /connections at most (\d+)/.exec(server.log?.() ?? '');
  const limit = stated ? Number(stated[1]) : config.fill;
  await warmUp(server, 'fillwarm', 2000);
  const rssBefore = rssMiB(server);
  const target = limit - FILL_LEFT;
  const share = Math.ceil(target / FILL_WORKERS);
  const t0 = performance.now();
  const workers = Array.from({ length: FILL_WORKERS }, (_, k) => fillWorker(server, {
    count: Math.min(share, target - k * share), prefix: `fill-${k}`, net: k + 1 }));
  const filled = await Promise.all(workers.map((w) => w.done));
  const openSeconds = (performance.now() - t0) / 1000;
  const sum = (rows, key) => rows.reduce((a, r) => a + r[key], 0);
  const joined = sum(filled, 'joined');
  const firstError = filled.find((r) => r.error)?.error;
  console.log(`  fill: ${joined} of ${target} joined in ${openSeconds.toFixed(1)} s (${(joined / openSeconds).toFixed(0)}/s), `
    + `${sum(filled, 'refused')} refused, ${sum(filled, 'failed')} failed${firstError ? ` (${firstError})` : ''}`);
  await collectGarbage(server);
  const rssFull = rssMiB(server);

  // joins at that size, one after the other, each into a room of 20, once the server is
  // quiet: FILL_BATCHES batches of FILL_JOINS, quiet again before each. The figure is the
  // median batch's, and beside it the median without the JIT compiler threads' CPU: a JVM
  // server compiles its join path around here (the fill's load holds C2 back: its
  // thresholds grow with the compile queue, so what crossed them compiles once the server
  // is quiet and the path runs again), a one-off that is not a join's cost. docs/BENCHMARKS.md
  // ("A join at 17,500 connections").
  const batches = [];
  const joinsHeld = [];
  try {
    for (let b = 0; b < FILL_BATCHES; b++) {
      await quiet(server);
      const before = threadCpu(server);
      const late = Array.from({ length: FILL_JOINS }, (_, k) => {
        const r = b * FILL_JOINS + k;
        return { room: `fill-${r % FILL_WORKERS}-${Math.floor(r / FILL_WORKERS)}`, user: 'late' };
      });
      const joins = await connectAll(server, late, 1, () => () => {});
      joinsHeld.push(...joins.conns);
      const after = threadCpu(server);
      batches.push({
        ms: 1000 / joins.perSecond,
        cpuMs: before === null ? null : ((after.all - before.all) * 1000) / FILL_JOINS,
        jitMs: before === null ? null : ((after.jit - before.jit) * 1000) / FILL_JOINS,
      });
    }
  } catch (e) {
    console.log(`  fill: a join at that size failed: ${e.message}`);
  }
  const batchCpu = medianOf(batches.map((b) => b.cpuMs));
  const typical = batches.find((b) => b.cpuMs === batchCpu.median) ?? batches[0];
  const withoutJit = medianOf(batches.map((b) => b.cpuMs - b.jitMs));

  // to the limit and beyond it: the rest of the room left, then as many again, each of
  // those to be refused with 1013, at once
  const beyondStart = performance.now();
  const beyondWorker = fillWorker(server, { count: 2 * FILL_LEFT - FILL_BATCHES * FILL_JOINS, prefix: 'beyond', net: FILL_WORKERS + 1, concurrency: 250 });
  const beyond = await beyondWorker.done;
  const beyondSeconds = (performance.now() - beyondStart) / 1000;

  // at the limit, nothing happening: the server's CPU should be near nothing
  const idleBefore = threadCpu(server);
  await sleep(10_000);
  const idleAfter = threadCpu(server);
  const idleCpu = idleBefore === null ? null : (idleAfter.all - idleBefore.all) / 10;
  const idleJit = idleBefore === null ? null : (idleAfter.jit - idleBefore.jit) / 10;

  const result = {
    limit,
    stated: Boolean(stated),
    joined,
    openSeconds,
    bytesPerConnection: rssBefore === null || joined === 0 ? null : ((rssFull - rssBefore) * 1024 * 1024) / joined,
    rssFullMiB: rssFull,
    joinMs: typical?.ms ?? null,
    joinCpuMs: typical?.cpuMs ?? null,
    joinCpuWithoutJitMs: withoutJit.median ?? null,
    joinBatches: batches,
    beyond: { ...beyond, seconds: beyondSeconds },
    idleCpuAtLimit: idleCpu,
    idleJitAtLimit: idleJit,
  };
  const f = (x, digits) => (x === null || x === undefined ? '-' : x.toFixed(digits));
  console.log(`  fill: ${f(result.bytesPerConnection / 1024, 1)} KiB per connection (RSS ${f(rssFull, 0)} MiB full); `
    + `a join at that size ${f(result.joinMs, 2)} ms, ${f(result.joinCpuMs, 2)} ms of server CPU, `
    + `${f(result.joinCpuWithoutJitMs, 2)} without the JIT compiler's (batches of ${FILL_JOINS}: ${batches.map((b) => `${f(b.cpuMs, 2)}${b.jitMs ? ` [JIT ${f(b.jitMs, 2)}]` : ''}`).join(', ')} ms); `
    + `${2 * FILL_LEFT - FILL_BATCHES * FILL_JOINS} more, ${FILL_LEFT} of them beyond the limit: ${beyond.joined} joined, ${beyond.refused} refused with 1013, ${beyond.failed} failed otherwise, `
    + `in ${beyondSeconds.toFixed(1)} s; CPU at the limit, idle: ${idleCpu === null ? '-' : (idleCpu * 100).toFixed(1)} %`
    + `${idleJit ? ` (JIT ${(idleJit * 100).toFixed(1)} %)` : ''}`);
  [...workers, beyondWorker].forEach((w) => w.child.kill('SIGTERM'));
  joinsHeld.forEach((c) => c.close());
  await sleep(2000);
  return result;
}

// ---------- the run ----------

// what the phases in modules of their own (bigroom.mjs, storm.mjs) use of this file
const bench = { config, startParley, stopChild, exited, freePort, createDatabase, dropDatabase, totalCpu, serverCpuSeconds,
  printStep, passes, quiet, cpuWarmup };

/** A server's phases (idle, capacity, fill: those named), each in a fresh process (or cluster). */
async function measureServer(name, phases) {
  let server = await start(name);
  try {
    let idle = {};
    if (phases.includes('idle')) {
      idle = await idlePhase(server);
      console.log(`  idle: ${idle.connectRate.toFixed(0)} connections/s, ${idle.idleBytesPerConnection === null ? '-'
        : (idle.idleBytesPerConnection / 1024).toFixed(1)} KiB each${idle.held ? `; ${idle.held} held, delivered ${idle.heldDelivered}` : ''}`);
    }
    let capacity = {};
    if (phases.includes('capacity')) {
      // a fresh process for the load, so the idle phase's garbage does not count against it
      await server.stop();
      server = await start(name);
      capacity = await capacityPhase(server);
    }
    let fill;
    if (phases.includes('fill')) {
      await server.stop();
      server = await start(name);
      fill = await fillPhase(server);
    }
    return { ...idle, capacity: capacity.best, fill };
  } finally {
    await server.stop();
  }
}

/**
 * The median of the runs' figures (of an even number, the lower middle one), with the spread:
 * text "14.10 (13.20–15.90 over 3 runs)", or the one figure of one run.
 */
function medianOf(figures) {
  const sorted = figures.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { text: '-' };
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const spread = sorted.length > 1 ? ` (${sorted[0].toFixed(2)}–${sorted.at(-1).toFixed(2)} over ${sorted.length} runs)` : '';
  return { median, min: sorted[0], max: sorted.at(-1), text: `${median.toFixed(2)}${spread}` };
}

/**
 * The cpu phase `config.runs` times, the servers in turn (a, b, c, a, b, c, …), a fresh process
 * each; with the http phase, a Parley target's turn is two runs, all on WebSocket and with
 * `config.httpShare` of each room's members on the HTTP transport. Then the median of each, the
 * spread beside it; an SSE member's CPU per delivery is derived from each pair of runs.
 */
async function cpuRuns(names, phases) {
  const http = (name) => phases.includes('http') && name.startsWith('parley');
  const shares = (name) => [...(phases.includes('cpu') || http(name) ? [0] : []), ...(http(name) ? [config.httpShare] : [])];
  for (let run = 1; run <= config.runs; run++) {
    for (const name of names) {
      for (const httpShare of shares(name)) {
        console.log(`\n${name}${httpShare ? `, ${httpShare} of the members on HTTP` : ''}${config.runs > 1 ? ` (run ${run})` : ''}`);
        let server = null;
        let r;
        try {
          server = await start(name);
          r = await cpuPhase(server, { httpShare });
        } catch (e) { // the others are still measured; the run fails at the end
          console.log(`  failed: ${e.message}`);
          r = { failed: e.message };
          process.exitCode = 1;
        } finally {
          await server?.stop();
        }
        (results[name][httpShare ? 'httpRuns' : 'cpuRuns'] ??= []).push(r);
      }
    }
  }
  console.log('');
  for (const name of names) {
    const r = results[name];
    if (!r.cpuRuns) continue;
    const failed = r.cpuRuns.filter((run) => !passes(run)).length;
    const cpu = medianOf(r.cpuRuns.map((run) => run.cpuMicrosPerDelivery));
    r.cpu = r.cpuRuns.find((run) => run.cpuMicrosPerDelivery === cpu.median) ?? r.cpuRuns[0]; // no figure: --parley-url
    r.cpuSpread = [cpu.min, cpu.max];
    console.log(`${name}: cpu ${cpu.text} µs per delivery at ${config.cpuRate}/s${failed ? ` (${failed} step(s) FAILED)` : ''}`);
    if (!r.httpRuns) continue;
    // h of each delivery went to an HTTP member, and h of the messages came in POSTs:
    // mixed = (1 - h) ws + h sse, so sse = (mixed - (1 - h) ws) / h
    const h = population('share', 1, config.users, config.httpShare).filter((spec) => spec.http).length / config.users;
    const sse = medianOf(r.httpRuns.map((run, k) => (run.cpuMicrosPerDelivery - (1 - h) * r.cpuRuns[k]?.cpuMicrosPerDelivery) / h));
    const mixed = medianOf(r.httpRuns.map((run) => run.cpuMicrosPerDelivery));
    r.http = { share: h, mixed: mixed.median, sse: sse.median, sseSpread: [sse.min, sse.max] };
    console.log(`${name}: an SSE member ${sse.text} µs per delivery (its POSTs included), a WebSocket member ${cpu.text}; `
      + `with ${h} of the members on HTTP ${mixed.text}${r.httpRuns.some((run) => !passes(run)) ? ' (a step FAILED)' : ''}`);
  }
}

const phases = args.phases.split(',');
const results = Object.fromEntries(config.servers.map((name) => [name, {}]));
console.log(`Scenario: ${config.rooms} rooms x ${config.users} users, ${config.seconds} s per step; `
  + `idle ${config.idle}, hold ${config.hold}; p99 limit ${P99_LIMIT_MS} ms`);
if (['idle', 'capacity', 'fill'].some((phase) => phases.includes(phase))) {
  for (const name of config.servers) {
    console.log(`\n${name}`);
    try {
      Object.assign(results[name], await measureServer(name, phases));
    } catch (e) { // the others are still measured; the run fails at the end
      console.log(`  failed: ${e.message}`);
      results[name].failed = e.message;
      process.exitCode = 1;
    }
  }
}
if (phases.includes('cpu') || phases.includes('http')) await cpuRuns(config.servers, phases);
if (phases.includes('bigroom')) {
  for (const name of config.servers) {
    for (const size of config.bigroom) {
      console.log(`\n${name}: one room of ${size}`);
      let server = null;
      try {
        server = await start(name);
        (results[name].bigroom ??= {})[size] = await bigroomPhase(server, size, bench);
      } catch (e) {
        console.log(`  failed: ${e.message}`);
        process.exitCode = 1;
      } finally {
        await server?.stop();
      }
    }
  }
}
if (phases.includes('storm')) {
  console.log(`\nparley on ${config.stormStore}: a restart with ${config.storm} members`);
  try {
    results.storm = await stormPhase(bench);
  } catch (e) {
    console.log(`  failed: ${e.message}`);
    process.exitCode = 1;
  }
}

// ---------- the table ----------

const fmt = (x, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
console.log(`\n| server | CPU µs per delivery at ${config.cpuRate}/s | capacity (deliveries/s) | p50 ms | p99 ms | max ms | server CPU µs per delivery at capacity | RSS MiB | connections/s | KiB per idle connection | ${config.hold} held |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const name of config.servers) {
  const r = results[name];
  const c = r.capacity;
  const cpuPerDelivery = c?.serverCpu ? (c.serverCpu * 1e6) / c.delivered : null;
  const cpuAtRate = r.cpu && passes(r.cpu) ? r.cpu.cpuMicrosPerDelivery : null;
  const spread = r.cpuRuns?.length > 1 ? ` (${fmt(r.cpuSpread[0], 2)}–${fmt(r.cpuSpread[1], 2)})` : '';
  console.log(`| ${name} | ${fmt(cpuAtRate, 2)}${spread} | ${fmt(c?.delivered)} | ${fmt(c?.p50, 1)} | ${fmt(c?.p99, 1)} | ${fmt(c?.max, 1)} | ${fmt(cpuPerDelivery, 1)} | ${fmt(c?.rssMiB)} `
    + `| ${fmt(r.connectRate)} | ${fmt(r.idleBytesPerConnection / 1024, 1)} | ${r.heldDelivered ?? '-'} |`);
}
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : '-');
const cpuOf = (name) => (results[name]?.cpu && passes(results[name].cpu) ? results[name].cpu.cpuMicrosPerDelivery : null);
console.log(`\nCPU per delivery Parley (memory) / Socket.IO: ${ratio(cpuOf('parley'), cpuOf('socketio'))}`);
console.log(`CPU per delivery Parley (memory) / Vert.x: ${ratio(cpuOf('parley'), cpuOf('vertx'))}`);
console.log(`CPU per delivery Parley (memory) / Node ws: ${ratio(cpuOf('parley'), cpuOf('ws'))}`);
const cap = (name) => results[name]?.capacity?.delivered;
console.log(`capacity Parley (memory) / Socket.IO: ${ratio(cap('parley'), cap('socketio'))}`);
console.log(`capacity Parley (memory) / Vert.x: ${ratio(cap('parley'), cap('vertx'))}`);
console.log(`capacity Parley (memory) / Node ws: ${ratio(cap('parley'), cap('ws'))}`);
console.log(`capacity Parley (H2) / Parley (memory): ${ratio(cap('parley-h2'), cap('parley'))}`);
console.log(`capacity Parley cluster / Parley (memory): ${ratio(cap('parley-cluster'), cap('parley'))}`);
console.log(`capacity 2 nodes / 1 cluster node: ${ratio(cap('parley-cluster2'), cap('parley-cluster'))}`);
console.log(`idle memory Socket.IO / Parley: ${ratio(results.socketio?.idleBytesPerConnection, results.parley?.idleBytesPerConnection)}`);
console.log(`idle memory Node ws / Parley: ${ratio(results.ws?.idleBytesPerConnection, results.parley?.idleBytesPerConnection)}`);

const out = args.json ?? join(root, 'target', 'bench', 'result.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ config, results }, null, 2));
console.log(`\n(figures in ${out})`);
