// How the log is laid out in time: a divider where a new day begins (the reader's local day),
// and runs of room messages, one sender's within a few minutes of each other, shown under one
// name. No DOM: the page gives the log's items and applies the plan (app.js).

export const RUN_MS = 5 * 60 * 1000;   // a message this close to the one before by the same sender runs on

// The local calendar day of a time (ms), as a number that orders days: 20260105.
export function localDay(ms) {
  const d = new Date(ms);
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}

// "Today", "Yesterday", or the date in the reader's language, the year only when it is not this one's.
export function dayLabel(ms, now) {
  const day = localDay(ms);
  if (day === localDay(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDay(yesterday.getTime())) return 'Yesterday';
  const date = new Date(ms);
  const options = { weekday: 'long', month: 'long', day: 'numeric' };
  if (date.getFullYear() !== new Date(now).getFullYear()) options.year = 'numeric';
  return date.toLocaleDateString(undefined, options);
}

// items, in the log's order: {ts (ms; null if not known), user (the sender of a room message;
// null for anything else: a direct message, a line about presence or the connection)}.
// Returns one entry an item: {day: the label of the divider that goes before it, or null;
// runsOn: it continues the run of the message just before it}. The first item with a time gets
// a divider; an item without a time is taken to be of the day before it.
export function arrange(items, now) {
  let lastDay = null;
  let previous = null;
  return items.map((item) => {
    const known = Number.isFinite(item.ts);
    const day = known ? localDay(item.ts) : lastDay;
    const newDay = known && day !== lastDay;
    const runsOn = !newDay && previous !== null && runsOnFrom(previous, item);
    lastDay = day;
    previous = item;
    return { day: newDay ? dayLabel(item.ts, now) : null, runsOn };
  });
}

function runsOnFrom(previous, item) {
  return item.user != null && item.user === previous.user
    && Number.isFinite(item.ts) && Number.isFinite(previous.ts) && Math.abs(item.ts - previous.ts) <= RUN_MS;
}
