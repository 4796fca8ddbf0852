// With identity on (config.json says so) the server names users by signed tokens: the page takes
// one from its fragment (#room&token=…, removed from the address bar at once) or fetches one from
// the operator's token URL with the browser's cookies; the connection fetches a fresh one before
// it expires (connection.js). No DOM: fetch is passed in.

const FRESH_ENOUGH_MS = 30000;       // a token closer than this to its expiry is fetched anew before a connect

export class Identity {
  on = false;
  tokenUrl = null;
  token = null;        // the JWT the next join (or auth) sends
  exp = 0;             // its exp, in ms; 0 if it has none we can read
  nameHeldMs = 15000;  // config.json's nameHeldSeconds: how long the server may hold a lost connection's name
  #fetch;

  constructor({ fetch = (...args) => globalThis.fetch(...args) } = {}) {
    this.#fetch = fetch;
  }

  // config.json: whether this server signs users in with tokens (an older server has none: no).
  async loadSettings(url = 'config.json') {
    try {
      const response = await this.#fetch(url, { cache: 'no-store' });
      if (!response.ok) return;
      const settings = await response.json();
      this.on = settings.identity === true;
      this.tokenUrl = typeof settings.tokenUrl === 'string' ? settings.tokenUrl : null;
      if (Number.isInteger(settings.nameHeldSeconds) && settings.nameHeldSeconds > 0) {
        this.nameHeldMs = Math.min(settings.nameHeldSeconds, 3600) * 1000;
      }
    } catch { /* identity stays off */ }
  }

  take(token) {
    this.token = token;
    this.exp = 0;
    try {
      const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (typeof payload.exp === 'number') this.exp = payload.exp * 1000;
    } catch { /* not ours to judge: the server says whether it is a token */ }
  }

  // Whether a connect has to fetch a token first.
  stale(now) {
    return this.on && Boolean(this.tokenUrl) && (!this.token || this.exp - now < FRESH_ENOUGH_MS);
  }

  // A token from the token URL: JSON {"token": "…"} or the token as text.
  async fetchToken() {
    let response;
    try {
      response = await this.#fetch(this.tokenUrl, { credentials: 'include', cache: 'no-store' });
    } catch {
      throw new Error('the sign-in service cannot be reached');
    }
    if (!response.ok) throw new Error(`the sign-in service answered ${response.status}`);
    const json = (response.headers.get('content-type') || '').includes('json');
    const token = json ? (await response.json()).token : (await response.text()).trim();
    if (typeof token !== 'string' || !token) throw new Error('the sign-in service gave no token');
    this.take(token);
  }
}
