// Parley vs the reference Socket.IO server, in one run: see docs/BENCHMARKS.md.
//
//   bench/run [--quick] [--rooms 100] [--users 20] [--seconds 8] [--servers parley,parley-h2,socketio]
//             [--phases idle,capacity] [--rates 50000,75000] [--idle 9000] [--hold 15000]
//             [--java-options "..."] [--parley-url ws://127.0.0.1:8080] [--json file]
//
// Each server under test runs pinned to core 0 (taskset), this generator to core 1 (bench/run).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectAll, population, step } from './load.mjs';

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
    phases: { type: 'string', default: 'idle,capacity' },
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
  servers: (args.servers ?? 'parley,parley-h2,socketio').split(','),
};
const P99_LIMIT_MS = 100;

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

async function waitForHttp(url, child, what) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${what} did not start within 60 s`);
}

/** Starts one server pinned to core 0; resolves to { name, protocol, base, pid, stop() }. */
async function start(name) {
  if (args['parley-url'] && name.startsWith('parley')) {
    return { name, protocol: 'parley', base: args['parley-url'].replace(/\/$/, ''), pid: null, stop: async () => {} };
  }
  const port = await freePort();
  let command;
  let env = { ...process.env };
  if (name === 'socketio') {
    command = ['node', join(here, 'socketio-server.mjs'), String(port)];
  } else {
    const jar = join(root, 'target', 'parley-standalone.jar');
    const javaOptions = args['java-options'].split(' ').filter(Boolean);
    command = ['java', ...javaOptions, '-jar', jar];
    env = {
      ...env,
      PARLEY_HOST: '127.0.0.1',
      PARLEY_PORT: String(port),
      PARLEY_STORE: name === 'parley-h2' ? 'jdbc' : 'memory',
      PARLEY_DATA: mkdtempSync(join(tmpdir(), 'parley-bench-')),
    };
  }
  const child = spawn('taskset', ['-c', '0', ...command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/${name === 'socketio' ? 'health' : ''}`, child, name);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}`);
  }
  return {
    name,
    protocol: name === 'socketio' ? 'socketio' : 'parley',
    base: `ws://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}

/** CPU seconds the server process has used (null when it is not ours to measure). */
function cpuSeconds(pid) {
  if (!pid) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Resident set size of the server process in KiB (null when it is not ours to measure). */
function rssKiB(pid) {
  if (!pid) return null;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

// ---------- phases ----------

/** `count` connections in rooms of 20. */
const roomsOf20 = (prefix, count) => population(prefix, Math.ceil(count / 20), 20).slice(0, count);

/** Idle connections: set-up rate, RSS per connection, then holding `hold` in all while delivering. */
async function idlePhase(server) {
  await sleep(1000);
  const before = rssKiB(server.pid);
  let delivered = 0;
  const onMessageFor = () => () => { delivered++; };
  const first = await connectAll(server, roomsOf20('idle', config.idle), 200, onMessageFor);
  await sleep(2000);
  const after = rssKiB(server.pid);
  const result = {
    connectRate: first.perSecond,
    idleBytesPerConnection: before === null ? null : ((after - before) * 1024) / config.idle,
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
    result.heldRssMiB = server.pid ? rssKiB(server.pid) / 1024 : null;
  }
  all.forEach((c) => c.close());
  return result;
}

const passes = (r) => r.lost === 0 && r.outOfOrder === 0 && r.errors === 0 && r.p99 <= P99_LIMIT_MS;

function printStep(server, r) {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  console.log(`  ${server.name.padEnd(10)} offered ${String(r.offered).padStart(7)}/s delivered ${String(r.delivered)
    .padStart(7)}/s  p50 ${f(r.p50).padStart(6)} p99 ${f(r.p99).padStart(7)} max ${f(r.max).padStart(7)} ms  lost ${r.lost
  } order ${r.outOfOrder} err ${r.errors}  cpu server ${r.serverCpu === null ? '-' : (r.serverCpu * 100).toFixed(0)
  }% generator ${(r.generatorCpu * 100).toFixed(0)}%  ${passes(r) ? 'ok' : 'FAIL'}`);
}

/** Raises the load ×1.5 until a step fails, then bisects twice between the last pass and the fail. */
async function capacityPhase(server) {
  const scenario = { rooms: config.rooms, users: config.users };
  const measure = async (deliveries) => {
    const r = await step(server, { ...scenario, deliveries, seconds: config.seconds, label: `s${Math.round(deliveries)}`,
      serverCpuSeconds: () => cpuSeconds(server.pid) });
    r.rssMiB = server.pid ? rssKiB(server.pid) / 1024 : null;
    printStep(server, r);
    return r;
  };
  // warm-up (JIT, pools), not counted
  await step(server, { ...scenario, deliveries: 2000, seconds: quick ? 1 : 3, label: 'warm' });
  if (quick) return { best: await measure(200) };
  await step(server, { ...scenario, deliveries: 20_000, seconds: 4, label: 'warmer' });
  if (args.rates) {
    let best = null;
    for (const rate of args.rates.split(',').map(Number)) {
      const r = await measure(rate);
      if (passes(r)) best = r;
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
  for (let i = 0; i < 2 && fail && best; i++) {
    const mid = Math.round((best.offered + fail.offered) / 2);
    const r = await measure(mid);
    if (passes(r)) best = r; else fail = r;
  }
  return { best };
}

// ---------- the run ----------

const results = {};
console.log(`Scenario: ${config.rooms} rooms x ${config.users} users, ${config.seconds} s per step; `
  + `idle ${config.idle}, hold ${config.hold}; p99 limit ${P99_LIMIT_MS} ms`);
for (const name of config.servers) {
  console.log(`\n${name}`);
  let server = await start(name);
  try {
    const phases = args.phases.split(',');
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
    results[name] = { ...idle, capacity: capacity.best };
  } finally {
    await server.stop();
  }
}

// ---------- the table ----------

const fmt = (x, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
console.log(`\n| server | capacity (deliveries/s) | p50 ms | p99 ms | max ms | server CPU µs per delivery | RSS MiB | connections/s | KiB per idle connection | ${config.hold} held |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [name, r] of Object.entries(results)) {
  const c = r.capacity;
  const cpuPerDelivery = c?.serverCpu ? (c.serverCpu * 1e6) / c.delivered : null;
  console.log(`| ${name} | ${fmt(c?.delivered)} | ${fmt(c?.p50, 1)} | ${fmt(c?.p99, 1)} | ${fmt(c?.max, 1)} | ${fmt(cpuPerDelivery, 1)} | ${fmt(c?.rssMiB)} `
    + `| ${fmt(r.connectRate)} | ${fmt(r.idleBytesPerConnection / 1024, 1)} | ${r.heldDelivered ?? '-'} |`);
}
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : '-');
const cap = (name) => results[name]?.capacity?.delivered;
console.log(`\ncapacity Parley (memory) / Socket.IO: ${ratio(cap('parley'), cap('socketio'))}`);
console.log(`capacity Parley (H2) / Parley (memory): ${ratio(cap('parley-h2'), cap('parley'))}`);
console.log(`idle memory Socket.IO / Parley: ${ratio(results.socketio?.idleBytesPerConnection, results.parley?.idleBytesPerConnection)}`);

const out = args.json ?? join(root, 'target', 'bench', 'result.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ config, results }, null, 2));
console.log(`\n(figures in ${out})`);
