// The server's errors about something we asked for, in words for people (PROTOCOL.md; 1.1 adds
// no-such-message and forbidden): what did not happen, and why as the server put it. No DOM.

// what: the request that failed: 'message', 'reply' (a message with reply_to), 'edit', 'delete',
// 'react', 'moderate', or null when the error answers nothing of ours (a ban, say).
const NOT_THERE = {
  reply: 'The message you replied to is not there any more (it was deleted), so yours was not sent.',
  edit: 'That message is not there any more (it was deleted), so your edit was not saved.',
  delete: 'That message was deleted already.',
  react: 'That message is not there any more (it was deleted), so your reaction was not added.',
};
const NOT_ALLOWED = {
  message: 'send messages here', reply: 'send messages here', edit: 'edit that message: only its author can',
  delete: 'delete that message: only its author or a moderator can', react: 'react to messages here',
  moderate: 'moderate this room: only its moderators can',
};

export function inWords(error, what = null) {
  const said = typeof error.message === 'string' && error.message ? localTimes(error.message) : null;
  if (error.code === 'no-such-message') return NOT_THERE[what] || 'That message is not there any more: it was deleted.';
  if (error.code === 'forbidden') {
    if (!NOT_ALLOWED[what]) return said || 'You are not allowed to do that.';
    return `You are not allowed to ${NOT_ALLOWED[what]}.${said ? ` The server says: ${said}` : ''}`;
  }
  return said || error.code || 'Something went wrong.';
}

// A server's sentence with its timestamps (a mute's end: "until 2026-12-06T19:00:00.000Z") in the
// reader's local time.
const TS = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;
export function localTimes(text) {
  return text.replace(TS, (ts) => {
    const d = new Date(ts);
    return Number.isNaN(d.getTime()) ? ts : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  });
}
