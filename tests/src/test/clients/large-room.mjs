// LargeRoomClientsTest's member in Node, on clients/js's ParleyClient, in a room that is large
// already (the server's PARLEY_PRESENCE_LIMIT is below its count):
//   node large-room.mjs URL ROOM
// Joins as ada, pages the members two at a time, brings eve in and out on a second client, and
// prints one JSON line: the welcome, the pages, and the presence events ada heard for eve.
import { ParleyClient } from '../../../../clients/js/index.js';

const [url, room] = process.argv.slice(2);
const ada = new ParleyClient({ url, room, user: 'ada', transport: 'websocket' });
const heard = [];
let wake = () => {};
ada.on('presence', (p) => { heard.push(p); wake(); });
const presence = (test) => new Promise((resolve) => {
  const look = () => {
    const found = heard.find(test);
    if (found) resolve(found); else wake = look;
  };
  look();
});

const welcome = await ada.connect();
const pages = [await ada.members({ limit: 2 })];
while (pages.at(-1).more) pages.push(await ada.members({ after: pages.at(-1).users.at(-1), limit: 2 }));
let refused = null;
await ada.members({ limit: 501 }).catch((e) => { refused = e.name; });

const eve = new ParleyClient({ url, room, user: 'eve', transport: 'websocket' });
await eve.connect();
const came = await presence((p) => p.joined.includes('eve'));
eve.close();
const went = await presence((p) => p.left.includes('eve'));
process.stdout.write(`${JSON.stringify({ welcome: { users: welcome.users, count: welcome.count, users_more: welcome.users_more },
  pages: pages.map(({ users, count, more }) => ({ users, count, more })), refused, came, went })}\n`);
ada.close();
process.exit(0);
