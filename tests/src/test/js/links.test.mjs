// Web addresses in a message (webapp/js/links.js): which become links, and with what address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkParts } from '../../../../webapp/js/links.js';

const text = (t) => ({ text: t });
const link = (t, href = t) => ({ text: t, href });

// The parts, checked to join up to the text again: nothing is lost or added.
function parts(message) {
  const found = linkParts(message);
  assert.equal(found.map((p) => p.text).join(''), message, 'the parts join up to the text');
  return found;
}

test('text without an address is one part, also when empty', () => {
  assert.deepEqual(parts('no link here'), [text('no link here')]);
  assert.deepEqual(parts(''), [text('')]);
});

test('http and https addresses are links, the text around them stays text', () => {
  assert.deepEqual(parts('see https://example.org/docs?a=1&b=2#top and http://example.com'), [
    text('see '), link('https://example.org/docs?a=1&b=2#top'), text(' and '), link('http://example.com', 'http://example.com/'),
  ]);
  assert.deepEqual(parts('https://example.org/a\nhttps://example.org/b'), [
    link('https://example.org/a'), text('\n'), link('https://example.org/b'),
  ]);
});

test('a sentence\'s punctuation after an address is not part of it', () => {
  assert.deepEqual(parts('Notes: https://example.org/notes.'), [text('Notes: '), link('https://example.org/notes'), text('.')]);
  assert.deepEqual(parts('https://example.org/a, https://example.org/b!?'), [
    link('https://example.org/a'), text(', '), link('https://example.org/b'), text('!?'),
  ]);
  assert.deepEqual(parts('a file: https://example.org/v0.4.0.tar.gz'), [text('a file: '), link('https://example.org/v0.4.0.tar.gz')]);
});

test('a bracket closing around an address is not part of it; one closing its own opening is', () => {
  assert.deepEqual(parts('(see https://example.org/x)'), [text('(see '), link('https://example.org/x'), text(')')]);
  assert.deepEqual(parts('(https://en.wikipedia.org/wiki/Chat_(software))'), [
    text('('), link('https://en.wikipedia.org/wiki/Chat_(software)'), text(')'),
  ]);
  assert.deepEqual(parts('[https://example.org/x]'), [text('['), link('https://example.org/x'), text(']')]);
});

test('the link\'s address is the URL parser\'s form of it', () => {
  assert.deepEqual(parts('HTTPS://EXAMPLE.ORG/Path'), [link('HTTPS://EXAMPLE.ORG/Path', 'https://example.org/Path')]);
  assert.deepEqual(parts('https://bücher.example/ü'), [link('https://bücher.example/ü', 'https://xn--bcher-kva.example/%C3%BC')]);
});

test('no other scheme is a link: javascript:, data:, vbscript:, file:, ftp:, mailto:', () => {
  for (const message of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)', 'file:///etc/passwd', 'ftp://example.org/x', 'mailto:someone@example.org', 'example.org/www-only']) {
    assert.deepEqual(parts(message), [text(message)], message);
  }
});

test('an address inside something else is no address: javascript: around it, or letters before it', () => {
  assert.deepEqual(parts('xhttps://example.org'), [text('xhttps://example.org')]);
  assert.deepEqual(parts('javascript:https://example.org'), [text('javascript:https://example.org')]);
  assert.deepEqual(parts('javascript://https://example.org/%0aalert(1)'), [text('javascript://https://example.org/%0aalert(1)')]);
  assert.deepEqual(parts('user@https://example.org'), [text('user@https://example.org')]);
});

test('what only looks like an address is text: the scheme alone, no host, a bad port', () => {
  for (const message of ['http://', 'https://', 'https:///path', 'https://:80/', 'https://example.org:99999/']) {
    assert.deepEqual(parts(message), [text(message)], message);
  }
  assert.deepEqual(parts('http://exa mple.org'), [link('http://exa', 'http://exa/'), text(' mple.org')], 'an address ends at a space');
});

test('text that looks like HTML stays text; only an http address in it becomes a link', () => {
  assert.deepEqual(parts('<a href="javascript:alert(1)">click</a>'), [text('<a href="javascript:alert(1)">click</a>')]);
  assert.deepEqual(parts('<a href="https://example.org/x">x</a>'), [
    text('<a href="'), link('https://example.org/x'), text('">x</a>'),
  ]);
  assert.deepEqual(parts('<img src=x onerror=alert(1)> https://example.org/"onmouseover="alert(1)'), [
    text('<img src=x onerror=alert(1)> '), link('https://example.org/'), text('"onmouseover="alert(1)'),
  ]);
});
