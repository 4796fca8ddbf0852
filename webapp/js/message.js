// A room message in the log, drawn from its state (js/log.js) and drawn again when an event
// changes it: its quoted original (a reply), its text or "message deleted", "edited", its
// reactions, and the controls a reader has on it (reply, react, and on one's own, or as a
// moderator, edit and delete), with the inline editor, the reaction picker and the question
// before a delete. Only the parts that changed are replaced, so that the log's live region
// reads out what changed and not the whole message again. Every control is a button with an
// accessible name; none needs a pointer. The page gives what it knows and does (`page`, app.js).

import { button, h, textEl as wordsEl } from './render.js';

// The picker's emoji: a few common ones (a server takes any of up to 16 code points).
export const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀'];

// page: {me, moderator, v11 (a 1.1 server: the log's controls work), current(seq) (the message's
//   state now), quote(seq), reactions(seq), reply(m), edit(m, text), remove(m), react(m, emoji,
//   on), showOriginal(seq)}; edit, remove and react return false when they could not send.
export function drawMessage(el, m, page) {
  const bubble = el.querySelector('.bubble');
  bubble.querySelector(':scope > .text:not([data-slot])')?.remove();   // messageEl's, before the first draw
  el.classList.toggle('deleted', m.deleted);
  slot(bubble, 'quote', m.replyTo === null ? null : JSON.stringify(page.quote(m.replyTo)), () => quoteEl(m, page));
  slot(bubble, 'text', JSON.stringify([m.deleted, m.text]), () => textEl(m));
  slot(bubble, 'edited', m.edited && !m.deleted ? m.edited : null, () => editedEl(m));
  const reactions = m.deleted ? [] : page.reactions(m.seq);
  slot(bubble, 'reactions', reactions.length ? JSON.stringify([reactions, page.v11]) : null,
    () => reactionsEl(m, reactions, page));
  const mine = m.user === page.me;
  slot(bubble, 'tools', !m.deleted && page.v11 ? JSON.stringify([mine, page.moderator]) : null, () => toolsEl(m, page));
  if (m.deleted) for (const open of bubble.querySelectorAll('.editor, .picker, .confirm')) open.remove();
}

// The bubble's parts after its meta line, in this order.
const SLOTS = ['quote', 'text', 'edited', 'reactions', 'tools'];

// One part of the bubble, kept while its key stays the same: replaced, added in its place, or
// taken away (key null).
function slot(bubble, name, key, make) {
  const old = bubble.querySelector(`:scope > [data-slot="${name}"]`);
  if (key === null) { old?.remove(); return; }
  if (old && old.dataset.key === key) return;
  const el = make();
  el.dataset.slot = name;
  el.dataset.key = key;
  if (old) {
    if (old.hidden) el.hidden = true;   // the text while its editor is open
    old.replaceWith(el);
    return;
  }
  const later = SLOTS.slice(SLOTS.indexOf(name) + 1).map((n) => `:scope > [data-slot="${n}"]`).join(', ');
  bubble.insertBefore(el, later ? bubble.querySelector(later) : null);
}

// The line a reply starts with: who wrote the original and how it began; activated, it brings
// the original into view.
function quoteEl(m, page) {
  const q = page.quote(m.replyTo);
  const b = button('', 'quote', () => page.showOriginal(m.replyTo));
  const said = !q ? 'an earlier message' : q.deleted ? 'message deleted' : q.text;
  if (q) b.append(h('span', 'quote-author', q.user), ' ');
  b.append(h('span', q?.deleted || !q ? 'quote-text gone' : 'quote-text', said));
  b.setAttribute('aria-label', q ? `In reply to ${q.user}: ${said} (show the original)` : 'In reply to an earlier message (show it)');
  b.title = 'Show the original message';
  return b;
}

function textEl(m) {
  return m.deleted ? h('p', 'text gone', 'message deleted') : wordsEl(m.text);
}

function editedEl(m) {
  const span = h('span', 'edited', 'edited');
  const d = new Date(m.edited);
  if (!Number.isNaN(d.getTime())) span.title = `Edited ${d.toLocaleString()}`;
  return span;
}

// Under a message, a button per emoji with its count; it says who reacted, and pressing it
// adds one's own reaction or takes it back.
function reactionsEl(m, reactions, page) {
  const div = h('div', 'reactions');
  div.setAttribute('role', 'group');
  div.setAttribute('aria-label', 'Reactions');
  for (const { emoji, users, mine } of reactions) {
    const b = button('', mine ? 'reaction mine' : 'reaction', () => page.react(m, emoji, !mine));
    b.append(h('span', 'reaction-emoji', emoji), ' ', h('span', 'reaction-count', String(users.length)));
    b.setAttribute('aria-label', `${emoji} ${users.length}: ${users.join(', ')}`);
    b.setAttribute('aria-pressed', String(mine));
    b.title = `${names(users)} reacted with ${emoji}. ${mine ? 'Press to take yours back.' : 'Press to add yours.'}`;
    b.disabled = !page.v11;
    div.append(b);
  }
  return div;
}

function names(users) {
  return users.length < 2 ? users.join('') : `${users.slice(0, -1).join(', ')} and ${users[users.length - 1]}`;
}

function toolsEl(m, page) {
  const mine = m.user === page.me;
  const whose = mine ? 'your message' : `${m.user}'s message`;
  const div = h('div', 'msg-tools');
  div.setAttribute('role', 'group');
  div.setAttribute('aria-label', 'Message actions');
  const tool = (text, label, onClick) => {
    const b = button(text, 'tool', onClick);
    b.setAttribute('aria-label', label);
    b.title = label;
    return b;
  };
  div.append(tool('Reply', mine ? 'Reply to your message' : `Reply to ${m.user}`, () => page.reply(m)));
  const reactButton = tool('React', `React to ${whose}`, () => togglePicker(reactButton, m, page));
  reactButton.setAttribute('aria-expanded', 'false');
  div.append(reactButton);
  if (mine) {
    div.append(tool('Edit', `Edit ${whose}`, (e) => openEditor(e.currentTarget, m, page)));
  }
  if (mine || page.moderator) {
    div.append(tool('Delete', `Delete ${whose}`, (e) => confirmDelete(e.currentTarget, m, page)));
  }
  return div;
}

// The reaction picker under the message: a button per emoji; Escape closes it.
function togglePicker(opener, m, page) {
  const bubble = opener.closest('.bubble');
  const open = bubble.querySelector(':scope > .picker');
  if (open) { closeAside(open, opener); return; }
  const picker = h('div', 'picker');
  picker.setAttribute('role', 'group');
  picker.setAttribute('aria-label', 'Pick a reaction');
  picker.id = `picker-${m.seq}`;
  const mine = new Set(page.reactions(m.seq).filter((r) => r.mine).map((r) => r.emoji));
  for (const emoji of EMOJI) {
    const has = mine.has(emoji);
    const b = button(emoji, has ? 'pick mine' : 'pick', () => {
      page.react(m, emoji, !has);
      closeAside(picker, opener);
    });
    b.setAttribute('aria-label', has ? `Take back your ${emoji}` : `React with ${emoji}`);
    b.title = b.getAttribute('aria-label');
    picker.append(b);
  }
  picker.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.stopPropagation(); closeAside(picker, opener); }
  });
  bubble.append(picker);
  opener.setAttribute('aria-expanded', 'true');
  opener.setAttribute('aria-controls', picker.id);
  picker.querySelector('button').focus();
}

function closeAside(el, opener) {
  el.remove();
  if (opener?.isConnected) {
    if (opener.hasAttribute('aria-expanded')) opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  }
}

// The text in an editor in place of the message: Enter saves, Shift+Enter is a new line,
// Escape cancels, and so do the buttons beside it.
function openEditor(opener, drawn, page) {
  const m = page.current(drawn.seq) || drawn;
  const bubble = opener.closest('.bubble');
  if (bubble.querySelector(':scope > .editor')) { bubble.querySelector('.editor textarea').focus(); return; }
  const form = h('form', 'editor');
  form.noValidate = true;
  const field = h('textarea');
  field.value = m.text;
  field.rows = Math.min(6, m.text.split('\n').length);
  field.setAttribute('aria-label', 'Edit message');
  const hint = h('p', 'hint', 'Enter saves, Escape cancels.');
  hint.id = `edit-hint-${m.seq}`;
  field.setAttribute('aria-describedby', hint.id);
  const text = bubble.querySelector(':scope > .text');
  const close = () => {
    form.remove();
    const shown = bubble.querySelector(':scope > .text');   // an edit from elsewhere may have replaced it
    if (shown) shown.hidden = false;
    const again = bubble.querySelector('.tool[aria-label^="Edit"]');
    if (again) again.focus();
  };
  const save = () => {
    const value = field.value;
    if (!/\S/u.test(value)) { hint.textContent = 'A message cannot be empty: delete it instead.'; hint.classList.add('error'); return; }
    if (value !== (page.current(m.seq) || m).text && !page.edit(m, value)) return;   // kept open: the page said why
    close();
  };
  const row = h('div', 'editor-row');
  row.append(button('Save', 'btn btn-small', save), button('Cancel', 'btn btn-quiet btn-small', close));
  form.append(field, row, hint);
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  field.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); save(); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); }
  });
  if (text) text.hidden = true;
  bubble.insertBefore(form, text ? text.nextSibling : null);
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
}

// A delete asks first, in place: Delete or Cancel (Escape).
function confirmDelete(opener, m, page) {
  const bubble = opener.closest('.bubble');
  const open = bubble.querySelector(':scope > .confirm');
  if (open) { open.querySelector('button').focus(); return; }
  const box = h('div', 'confirm');
  box.setAttribute('role', 'group');
  const question = h('p', '', m.user === page.me ? 'Delete this message for everyone?'
    : `Delete ${m.user}'s message for everyone?`);
  question.id = `confirm-${m.seq}`;
  box.setAttribute('aria-labelledby', question.id);
  const cancel = button('Cancel', 'btn btn-quiet btn-small', () => closeAside(box, opener));
  const yes = button('Delete', 'btn btn-small btn-danger', () => {
    if (page.remove(m)) closeAside(box, opener.isConnected ? opener : null);
  });
  const row = h('div', 'editor-row');
  row.append(yes, cancel);
  box.append(question, row);
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.stopPropagation(); closeAside(box, opener); }
  });
  bubble.append(box);
  cancel.focus();
}
