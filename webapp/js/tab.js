// What one tab remembers of its chat, in sessionStorage (this tab's only, kept across a reload):
// the name and room of its last welcome, so that a reload joins again by itself, and that
// welcome's secret for taking the name back (PROTOCOL.md, "Taking a name back"; the connection
// asks for it through `secrets`). A new tab starts with nothing, so it never offers the name
// another tab is using.
//
// A browser that duplicates a tab copies its sessionStorage too: the name the first tab is in
// the room with, and the secret that would take that name from it. So the memory also says
// whether its page holds the name now (`live`, from a welcome until the page goes): a page that
// starts and finds it live is such a copy, and forgets everything. The page going (pagehide,
// before every reload too) clears it. No DOM: the storage is passed in (null: storage is off).

const TAB_KEY = 'parley.tab';
const RESUME_KEY = 'parley.resume';

export class TabMemory {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  // At the page's start: {name, room, rejoin} (rejoin: it was in the room when the page went),
  // or null for a new tab, or for a copy of a live one.
  recall() {
    const kept = this.#read(TAB_KEY);
    if (!kept || typeof kept.name !== 'string' || typeof kept.room !== 'string') return null;
    if (kept.live) {
      this.#remove(TAB_KEY);
      this.#remove(RESUME_KEY);
      return null;
    }
    return { name: kept.name, room: kept.room, rejoin: kept.rejoin === true };
  }

  // A welcome: in `room` as `name`.
  joined(name, room) {
    this.#write(TAB_KEY, { name, room, rejoin: true, live: true });
  }

  // Left, or put out of the room for good: a reload asks again, with the name filled in.
  out() {
    const kept = this.#read(TAB_KEY);
    if (kept) this.#write(TAB_KEY, { ...kept, rejoin: false, live: false });
  }

  // The page goes (a reload, another address, the tab closed); a page kept in the back/forward
  // cache that comes back is live again at its next welcome.
  hidden() {
    const kept = this.#read(TAB_KEY);
    if (kept?.live) this.#write(TAB_KEY, { ...kept, live: false });
  }

  // One secret, for one room and name: {get(room, user), set(room, user, secret), forget()}.
  secrets = {
    get: (room, user) => {
      const kept = this.#read(RESUME_KEY);
      return kept && kept.room === room && kept.user === user && typeof kept.secret === 'string' ? kept.secret : null;
    },
    set: (room, user, secret) => this.#write(RESUME_KEY, { room, user, secret }),
    forget: () => this.#remove(RESUME_KEY),
  };

  #read(key) {
    try {
      const value = JSON.parse(this.#storage?.getItem(key) ?? 'null');
      return value && typeof value === 'object' ? value : null;
    } catch { return null; }
  }

  #write(key, value) {
    try { this.#storage?.setItem(key, JSON.stringify(value)); } catch { /* storage full or off */ }
  }

  #remove(key) {
    try { this.#storage?.removeItem(key); } catch { /* storage off */ }
  }
}
