// One member of ExactlyOnceTest's conversation, on clients/js's ParleyClient in Node:
//   node member.mjs URL ROOM USER TRANSPORT COUNT TOTAL
// Prints JSON lines: {"ready"} once in the room; after "go" on stdin sends COUNT messages
// ("USER i"), 40 ms apart, without waiting for one to be stored before the next; {"acked"}
// with each text's seq once all are stored; {"seen"} once TOTAL messages were heard (each
// message event: [seq, user, text]), and then it leaves.
import { ParleyClient } from '../../../../clients/js/index.js';

const [url, room, user, transport, count, total] = process.argv.slice(2);
const client = new ParleyClient({ url, room, user, transport });
const seen = [];
let welcomes = 0;
let resolveAll;
const heardAll = new Promise((resolve) => { resolveAll = resolve; });
client.on('welcome', () => { welcomes += 1; });
client.on('message', (m) => {
  seen.push([m.seq, m.user, m.text]);
  if (seen.length >= Number(total)) resolveAll();
});
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

await client.connect();
say({ ready: true });
await new Promise((resolve) => process.stdin.once('data', resolve));
const sends = [];
for (let i = 0; i < Number(count); i++) {
  const text = `${user} ${i}`;
  sends.push(client.send(text).then(({ seq }) => [text, seq]));
  await new Promise((resolve) => setTimeout(resolve, 40));
}
say({ acked: await Promise.all(sends) });
await heardAll;
say({ seen, welcomes });
client.close();
process.exit(0);
