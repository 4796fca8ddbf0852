// Web addresses in a message, found so that the page can make them links: http and https URLs
// only, each one read by the URL parser, whose form of it is the link's address. The text is
// cut into parts, and nothing else: the page builds the elements (render.js), each part's text
// with textContent, never as markup. No DOM.

// A candidate starts with http:// or https:// where no letter, digit or address character comes
// just before it ("xhttps://" is no address) and a host follows (the parser would read
// https:///x as https://x/), and runs to white space, or to a character that cannot stand
// unescaped in a URL (< > " ` { } | \ ^) or a quote, which more often closes one.
const CANDIDATE = /(?<![\p{L}\p{N}_.+\-/:@])https?:\/\/(?!\/)[^\s<>"'`{}|\\^]+/giu;
// Said after an address more often than in one: a sentence's end, or a bracket that closes
// around the address (the one closing a bracket of its own stays: .../Chat_(software)).
const TRAILING = /[.,:;!?…*]$/u;
const CLOSING = { ')': '(', ']': '[' };

// The text as parts, in order, that join up to it again: {text} or {text, href} for an address.
export function linkParts(text) {
  const parts = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trim(match[0]);
    const href = webAddress(candidate);
    if (!href) continue;
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    parts.push({ text: candidate, href });
    from = match.index + candidate.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from) });
  return parts;
}

function trim(candidate) {
  let url = candidate;
  for (;;) {
    const last = url[url.length - 1];
    if (TRAILING.test(last)) {
      url = url.slice(0, -1);
    } else if (CLOSING[last] && count(url, last) > count(url, CLOSING[last])) {
      url = url.slice(0, -1);
    } else {
      return url;
    }
  }
}

function count(text, ch) {
  return text.split(ch).length - 1;
}

// The parser's form of an http or https URL with a host, or null.
function webAddress(candidate) {
  let url;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
}
