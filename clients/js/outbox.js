// Messages written but not yet acknowledged, per room: {cid, kind ('message' or 'direct'), to,
// text, replyTo (a message's seq, or null), sent}. An item stays until its ack (or, for a direct, its copy) or a failure; the page
// hangs its element on the item (item.el), nothing here touches it. No DOM.

export class Outbox {
  #rooms = new Map();

  // The room's items, oldest first (the array itself).
  of(room) {
    if (!this.#rooms.has(room)) this.#rooms.set(room, []);
    return this.#rooms.get(room);
  }

  add(room, item) {
    this.of(room).push(item);
    return item;
  }

  byCid(room, cid) {
    return this.of(room).find((i) => i.cid === cid);
  }

  // Our own direct that came back as `direct` (directs get no ack).
  sentDirect(room, to, text) {
    return this.of(room).find((i) => i.kind === 'direct' && i.sent && i.to === to && i.text === text);
  }

  // The newest one sent and not acknowledged: the likely culprit of a 1009.
  newestSent(room) {
    const sent = this.of(room).filter((i) => i.sent);
    return sent[sent.length - 1];
  }

  remove(item) {
    for (const box of this.#rooms.values()) {
      const i = box.indexOf(item);
      if (i >= 0) box.splice(i, 1);
    }
  }

  // After a welcome, on a new connection: returns what counts as acknowledged already, as
  // [item, seq] pairs, and marks the rest to go out again. A server of protocol 1.1 (dedup) keeps
  // each message's cid and answers a resend of a stored one with `ack` {"dup": true} and its seq,
  // so every item goes out again with its cid and nothing is guessed; an older server's recovered
  // history is searched for our texts (claim).
  rejoined(room, { dedup, history, since, name, shown }) {
    if (!dedup) return this.claim(room, history, since, name, shown);
    for (const item of this.of(room)) item.sent = false;
    return [];
  }

  // An `ack` for one of our items: {item, seq, dup} with the item taken out, or null (not ours, or
  // an ack without seq, which settles nothing here).
  acked(room, frame) {
    const item = this.byCid(room, frame.cid);
    if (!item || !Number.isInteger(frame.seq)) return null;
    this.remove(item);
    return { item, seq: frame.seq, dup: frame.dup === true };
  }

  // A version 1 server: what was sent on the lost connection is not sent any more. A message sent
  // just before a drop may have been stored without our seeing the ack: if the welcome's history
  // has a newer message of ours (seq > since, not shown yet) with the same text, it counts as
  // acked. Returns those as [item, seq] pairs; the rest go out again (directs always: they are
  // never stored). shown(seq): whether the page already shows that seq.
  claim(room, history, since, name, shown) {
    const claimed = new Set();
    const acked = [];
    for (const item of this.of(room)) {
      if (!item.sent) continue;
      item.sent = false;
      if (item.kind !== 'message') continue;
      const m = history.find((x) => (x.type ?? 'message') === 'message' && x.seq > since && x.user === name && x.text === item.text &&
        !claimed.has(x.seq) && !shown(x.seq));
      if (m) { claimed.add(m.seq); acked.push([item, m.seq]); }
    }
    return acked;
  }
}

// The frame an item goes out in, the same every time it is sent (its cid too, for the server's dedup).
export function frameOf(item) {
  if (item.kind === 'direct') return { type: 'direct', to: item.to, text: item.text, cid: item.cid };
  const frame = { type: 'message', text: item.text, cid: item.cid };
  if (Number.isInteger(item.replyTo)) frame.reply_to = item.replyTo;
  return frame;
}
