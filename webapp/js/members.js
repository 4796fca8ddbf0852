// The member list as the page knows it (PROTOCOL.md, "Large rooms"): the names in code point
// order, as the server sorts them, and the room's count. A small room's welcome names everyone
// and joined and left keep the list whole; a large room's welcome names the first page with
// `count` and `users_more`, `presence` frames say who came and went, and `members` pages on.
//
// While names follow beyond the last one held (`more`), the list is the start of the room: a
// name that sorts after the last one is not added (the next page brings it), so that a page
// asked for after the last name shown leaves no gap.

// Code point order from UTF-16 units: surrogates (characters above U+FFFF) go after U+E000..U+FFFF.
const unit = (c) => (c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);

export function byCodePoint(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}

const strings = (list) => (Array.isArray(list) ? list.filter((x) => typeof x === 'string') : []);

export class MemberList {
  #names = new Set();
  #count = null;     // the room's count from the server (a large room's frames), or null: the names are the room
  #more = false;     // names follow beyond the last one held

  /** The names held, in code point order. */
  get names() { return [...this.#names].sort(byCodePoint); }

  /** How many are in the room: the server's count in a large room, else the names held. */
  get count() { return this.#count ?? this.#names.size; }

  /** Whether names follow beyond the last one held: a page after it brings them. */
  get more() { return this.#more; }

  /** The last name held, which the next page follows. */
  get last() { return this.names.at(-1); }

  has(name) { return this.#names.has(name); }

  /** Everything from a welcome (or a list of names: a small room, complete). */
  reset(names, { count = null, more = false } = {}) {
    this.#names = new Set(strings(names));
    this.#count = Number.isInteger(count) ? count : null;
    this.#more = more === true;
  }

  /** A welcome: all the names, or a large room's first page with its count. */
  welcome(f, me) {
    const names = Array.isArray(f.users) ? f.users : [me];
    this.reset(names, { count: f.count, more: f.users_more });
  }

  /** `joined` or `left`; once the server counts for the list (a large room that was), its count too. */
  change(f) {
    if (f.type === 'joined') this.#add(f.user);
    else this.#names.delete(f.user);
    if (this.#count !== null && Number.isInteger(f.count)) this.#count = f.count;
  }

  /**
   * A `presence` frame. Returns true when its `more` says changes went unnamed, so the names
   * held may be wrong: the page then reads them again.
   */
  presence(f) {
    for (const name of strings(f.left)) this.#names.delete(name);
    for (const name of strings(f.joined)) this.#add(name);
    if (Number.isInteger(f.count)) this.#count = f.count;
    return Number.isInteger(f.more) && f.more > 0;
  }

  /** A `members` page: after the last name (appended), or from the first (what was held gives way). */
  page(f, { fromStart = false } = {}) {
    if (fromStart) this.#names.clear();
    for (const name of strings(f.users)) this.#names.add(name);
    this.#more = f.more === true;
    if (Number.isInteger(f.count)) this.#count = f.count;
  }

  #add(name) {
    if (typeof name !== 'string') return;
    const last = this.last;
    if (this.#more && last !== undefined && byCodePoint(name, last) > 0) return;
    this.#names.add(name);
  }
}
