// A Parley webhook receiver in Node.js 20+, with nothing but node:http and node:crypto:
// it checks each event's Parley-Signature as docs/SERVER-API.md says, answers 204 to an
// event it can verify and 401 to one it cannot, and prints one JSON line per request.
//
//   WEBHOOK_SECRET=... PORT=9000 node webhook-receiver.mjs
//   PARLEY_WEBHOOK_URL=http://127.0.0.1:9000/parley-events PARLEY_WEBHOOK_SECRET=... (on Parley)
//
// A real receiver would also remember the ids it has handled: delivery is at least once.
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 9000);

/** Whether header (t=UNIX_SECONDS,v1=HEX) signs body with the secret, t within 5 minutes of now. */
export function verify(header, body, now = Date.now()) {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, v1] = match;
  if (Math.abs(now / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const header = request.headers['parley-signature'];
    const verified = verify(header, body);
    let event = null;
    try { event = JSON.parse(body); } catch { /* not JSON: not verified either */ }
    console.log(JSON.stringify({ verified, signature: header ?? null, body, event }));
    response.writeHead(verified ? 204 : 401).end();
  });
}).listen(port, '127.0.0.1', () => console.log(JSON.stringify({ listening: port })));
