// What read positions cost a room (protocol 1.1): every member of a room of 20 reports its
// position many times a second, the way a page that scrolls fast might, and each member counts
// the `read` frames it receives. The server coalesces each user's positions (at most one frame a
// second per user, the newest winning), so a member receives at most one frame a second from
// each other member, whatever they send. Prints the figures; judges nothing (docs/BENCHMARKS.md).
//
//   node bench/reads.mjs ws://localhost:8080/chat [seconds] [reads per member per second]
import WebSocket from 'ws';

const base = process.argv[2] ?? 'ws://localhost:8080/chat';
const seconds = Number(process.argv[3] ?? 5);
const rate = Number(process.argv[4] ?? 10); // under the default rate limit of 20 frames a second
const MEMBERS = 20;
const room = `reads-${process.pid}`;

function join(user) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/${room}`, { perMessageDeflate: false });
    const member = { ws, reads: 0, newest: 0 };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', user })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data);
      if (frame.type === 'welcome') resolve(member);
      else if (frame.type === 'read') member.reads++;
      else if (frame.type === 'message') member.newest = frame.seq;
    });
    ws.on('error', reject);
  });
}

const members = [];
for (let i = 0; i < MEMBERS; i++) members.push(await join(`m${i}`));
let sent = 0;
// each member reports the newest seq it has seen, `rate` times a second; a message every 250 ms
// moves the positions on, so that most reports are news to the server at first
const timer = setInterval(() => {
  for (const m of members) {
    m.ws.send(JSON.stringify({ type: 'read', seq: m.newest }));
    sent++;
  }
}, 1000 / rate);
const talking = setInterval(() => {
  members[0].ws.send(JSON.stringify({ type: 'message', text: 'more', cid: `c${sent}` }));
}, 250);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
clearInterval(talking);
await new Promise((r) => setTimeout(r, 1500)); // the last coalesced positions
const received = members.map((m) => m.reads);
const perMemberPerSecond = received.reduce((a, b) => a + b, 0) / MEMBERS / seconds;
console.log(`${MEMBERS} members, each sending ${rate} read frames a second for ${seconds} s (${sent} in all),`
  + ' while 4 messages a second move their positions on');
console.log(`read frames received per member: min ${Math.min(...received)}, max ${Math.max(...received)},`
  + ` from ${MEMBERS - 1} others: ${(Math.max(...received) / (MEMBERS - 1)).toFixed(1)} from each other member`
  + ` in ${seconds} s of reports and the 1.5 s after (${perMemberPerSecond.toFixed(1)} a second in all)`);
for (const m of members) m.ws.close();
