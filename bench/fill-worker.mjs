// One of the processes that fill a node to its connection limit (bench/run --phases fill):
// each process may hold as many descriptors as the server, so the generator spreads its
// sockets over several, and its source addresses over 127.0.0.0/8 (a /16 per process, an
// address of its own for each connection) so that no address runs out of ports.
//
//   node fill-worker.mjs '{"base":"ws://127.0.0.1:8080","protocol":"parley","count":4500,"prefix":"fill-0","net":1}'
//
// Opens `count` connections through the server's driver (drivers.mjs), `concurrency`
// handshakes at a time, each joining rooms of 20 (`prefix`-r, users u0..u19), and holds
// them (Parley's ping every 25 s, Socket.IO's answer their server's pings). Prints one JSON
// line every 500 ms, { joined, refused, failed, error }, and a last one with done: true and
// the milliseconds it took; refused counts connections closed with 1013 before their
// welcome, failed any other end before it (error: the first such).
import { drivers } from './drivers.mjs';

const { base, protocol, count, prefix, net, concurrency = 100 } = JSON.parse(process.argv[2]);
const connect = drivers[protocol];
const counts = { joined: 0, refused: 0, failed: 0, error: null };

async function open(i) {
  const localAddress = `127.${net}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
  try {
    await connect(base, `${prefix}-${Math.floor(i / 20)}`, `u${i % 20}`, () => {}, { localAddress }); // and held open
    counts.joined++;
  } catch (e) {
    if (/closed 1013/.test(e.message)) {
      counts.refused++;
    } else {
      counts.failed++;
      counts.error ??= e.message;
    }
  }
}

const started = performance.now();
const report = (extra = {}) => console.log(JSON.stringify({ ...counts, ...extra }));
const progress = setInterval(report, 500);
let next = 0;
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
  while (next < count) await open(next++);
}));
clearInterval(progress);
report({ done: true, ms: performance.now() - started });
setInterval(() => {}, 1 << 30); // held until bench/run ends it
process.on('SIGTERM', () => process.exit(0));
