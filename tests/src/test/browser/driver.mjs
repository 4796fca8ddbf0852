// The browser tests' driver: the JUnit side (support/BrowserDriver.java) starts `node driver.mjs`
// and sends one JSON request a line on stdin, {"id": 1, "cmd": "click", "page": "p1", ...};
// each gets one line back on stdout, {"id": 1, "result": ...} or {"id": 1, "error": "..."}.
// Chromium is driven over CDP, Firefox over WebDriver BiDi, both by puppeteer-core and both
// the system's own (never a downloaded one). Diagnostics go to stderr.
//
// Elements are named by a puppeteer selector: CSS, ::-p-aria([name="Send"][role="button"]) for
// the accessible name the browser computes, ::-p-label("Admin token") for a labelled control,
// or CSS and aria steps one inside the other (see locate); optionally kept to those whose text contains
// `hasText` and then to the `nth` of them (-1: the last). Actions wait, up to `timeout` ms, for
// exactly one such element that is visible and enabled; reads (`query`) return at once, since
// the Java side polls them until its assertion holds.
import { createInterface } from 'node:readline';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import puppeteer, { Puppeteer } from 'puppeteer-core';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// ::-p-label(Admin token): the form controls that text labels (exactly, white space normalised),
// by a <label> or aria-label, like Playwright's getByLabel. A password field has no role to find it by.
Puppeteer.registerCustomQueryHandler('label', {
  queryAll: (root, text) => {
    const normalize = t => t.replace(/\u200b/g, '').trim().replace(/\s+/g, ' ');
    const byLabel = [...root.querySelectorAll('label')].filter(l => normalize(l.textContent ?? '') === text)
      .map(l => l.control).filter(Boolean);
    const byAria = [...root.querySelectorAll('[aria-label]')].filter(el => normalize(el.getAttribute('aria-label')) === text);
    return [...new Set([...byLabel, ...byAria])];
  },
});

// Firefox reports a WebSocket or an EventSource that could not connect (a server that is down,
// a page offline, a proxy that refuses the upgrade) as a script error, though nothing was
// thrown and the page handles it; Chromium only logs it.
const NOT_THROWN = /^(Firefox can.t establish a connection to the server at (wss?|https?):\/\/|The connection to (wss?|https?):\/\/\S+ was interrupted while the page was loading\.)/;

const browsers = new Map(); // engine -> Browser
const pages = new Map(); // id -> { page, context, origin, errors, dialogs, foreign }
let nextPage = 1;

const commands = {
  async launch({ engine, executable }) {
    if (!browsers.has(engine)) {
      const options = engine === 'firefox'
        ? { browser: 'firefox', protocol: 'webDriverBiDi', executablePath: executable, headless: true }
        : { browser: 'chrome', executablePath: executable, headless: true, args: CHROMIUM_FLAGS };
      browsers.set(engine, await puppeteer.launch({ ...options, defaultViewport: null }));
    }
    return await browsers.get(engine).version();
  },

  /**
   * A new person: a browser context of its own (cookies, storage) with one page in its own window;
   * or, with `sameAs`, another page of that page's person (its context: cookies and localStorage
   * shared, sessionStorage its own), as a tab of theirs would be; in a window of its own too, so
   * that neither is a hidden tab the browser slows down.
   */
  async newPage({ engine, width, height, sameAs }) {
    const context = sameAs ? pageEntry(sameAs).context : await browser(engine).createBrowserContext();
    const page = await context.newPage({ type: 'window' });
    await page.setViewport({ width, height });
    const id = `p${nextPage++}`;
    const entry = { page, context, origin: '', errors: [], dialogs: [], foreign: [] };
    page.on('pageerror', error => {
      const message = String(error?.message ?? error);
      if (!NOT_THROWN.test(message)) entry.errors.push(message);
    });
    page.on('dialog', dialog => {
      entry.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('request', request => {
      const url = request.url();
      if (!url.startsWith(entry.origin) && !url.startsWith('data:')) entry.foreign.push(url);
    });
    pages.set(id, entry);
    return id;
  },

  async goto({ page, url }) {
    const entry = pageEntry(page);
    const target = new URL(url);
    entry.origin = `${target.protocol}//${target.host}/`;
    await entry.page.goto(url, { waitUntil: 'load' });
    return null;
  },

  async url({ page }) {
    return pageOf(page).url();
  },

  /** Reloads the page, as F5 does, and waits for it to load. */
  async reload({ page }) {
    await pageOf(page).reload({ waitUntil: 'load' });
    return null;
  },

  async click(args) {
    await withElement(args, element => element.click());
    return null;
  },

  /** Like a paste: replaces the field's value with one input event, no key events. */
  async fill(args) {
    const done = await withElement(args, element => element.evaluate((el, value) => {
      el.focus();
      el.select?.();
      document.execCommand(value === '' ? 'delete' : 'insertText', false, value);
      return el.value === value;
    }, args.value));
    if (!done) throw new Error(`${describe(args)}: the field did not take the value ${JSON.stringify(args.value)}`);
    return null;
  },

  /** Focuses the element, then presses a key ("Enter", "Shift+Enter"). */
  async press(args) {
    await withElement(args, async element => {
      await element.focus();
      await pressKey(pageOf(args.page), args.key);
    });
    return null;
  },

  /** Focuses the element, then types the text a key at a time. */
  async type(args) {
    await withElement(args, async element => {
      await element.focus();
      await pageOf(args.page).keyboard.type(args.text);
    });
    return null;
  },

  /** Keys to whatever has the focus. */
  async keyboard({ page, press, type }) {
    if (type !== undefined) await pageOf(page).keyboard.type(type);
    if (press !== undefined) await pressKey(pageOf(page), press);
    return null;
  },

  /** What the Java side asserts on, for every matching element: its text, value, visibility, focus, place in the viewport. */
  async query(args) {
    const found = await locate(args);
    try {
      return await found.evaluate(async (elements, fields) => await Promise.all(elements.map(async el => {
        const state = {};
        if (fields.includes('text')) state.text = el.textContent ?? '';
        if (fields.includes('value')) state.value = 'value' in el ? String(el.value) : null;
        if (fields.includes('focused')) state.focused = document.activeElement === el;
        if (fields.includes('visible')) {
          const box = el.getBoundingClientRect();
          state.visible = box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true });
        }
        if (fields.includes('inViewport')) {
          state.inViewport = await new Promise(resolve => {
            const observer = new IntersectionObserver(entries => {
              observer.disconnect();
              resolve(entries[0].intersectionRatio > 0);
            });
            observer.observe(el);
          });
        }
        return state;
      })), args.fields ?? ['text']);
    } finally {
      await found.dispose();
    }
  },

  /** `fn` is a function's source, called in the page with `arg`; returns what it returns (JSON). */
  async evaluate({ page, fn, arg }) {
    const result = await pageOf(page).evaluate(`(${fn})(${JSON.stringify(arg ?? null)})`);
    return result === undefined ? null : result;
  },

  async viewport({ page, width, height }) {
    await pageOf(page).setViewport({ width, height });
    return null;
  },

  async screenshot({ page, path, fullPage }) {
    await mkdir(dirname(path), { recursive: true });
    await pageOf(page).screenshot({ path, fullPage: Boolean(fullPage) });
    return null;
  },

  async offline({ page, offline }) {
    await pageOf(page).setOfflineMode(offline);
    return null;
  },

  /** A cookie in the page's context (its person's cookie jar). */
  async cookie({ page, name, value, domain, path }) {
    await pageEntry(page).context.setCookie({ name, value, domain, path });
    return null;
  },

  /** What the page did that it should not have: script errors, dialogs, requests to other origins. */
  async events({ page }) {
    const { errors, dialogs, foreign } = pageEntry(page);
    return { errors, dialogs, foreign };
  },

  /** Closes the page, and its context with its person's last page. */
  async close({ page }) {
    const entry = pages.get(page);
    pages.delete(page);
    if (!entry) return null;
    if ([...pages.values()].some(other => other.context === entry.context)) await entry.page.close();
    else await entry.context.close();
    return null;
  },

  async quit() {
    await Promise.allSettled([...browsers.values()].map(b => b.close()));
    browsers.clear();
    return null;
  },
};

function browser(engine) {
  const found = browsers.get(engine);
  if (!found) throw new Error(`${engine} is not launched`);
  return found;
}

function pageEntry(id) {
  const entry = pages.get(id);
  if (!entry) throw new Error(`no page ${id}`);
  return entry;
}

function pageOf(id) {
  return pageEntry(id).page;
}

function describe({ selector, hasText, nth }) {
  let text = selector;
  if (hasText !== undefined && hasText !== null) text += ` with text ${JSON.stringify(hasText)}`;
  if (nth !== undefined && nth !== null) text += nth === -1 ? ' (the last)' : ` (number ${nth + 1})`;
  return text;
}

// A selector as the Java side writes it: ::-p-aria([name="…"][role="…"]) steps (the name is
// optional, both JSON strings) and CSS steps between them, each step inside the one before.
const ARIA_STEP = /::-p-aria\((?:\[name=("(?:[^"\\]|\\.)*")\])?\[role=("(?:[^"\\]|\\.)*")\]\)/g;

/** The selector's steps, or null if it has some other ::-p- selector (left to puppeteer's own $$). */
function steps(selector) {
  const found = [];
  let from = 0;
  const css = text => {
    if (text.trim()) found.push({ css: text.trim() });
  };
  for (const match of selector.matchAll(ARIA_STEP)) {
    css(selector.slice(from, match.index));
    found.push({ name: match[1] === undefined ? undefined : JSON.parse(match[1]), role: JSON.parse(match[2]) });
    from = match.index + match[0].length;
  }
  css(selector.slice(from));
  return found.some(step => step.css?.includes('::-p-')) ? null : found;
}

/**
 * The elements a locator names now (none is an answer too), as a handle to an array. Plain CSS
 * is looked up in the page in one call. An accessible name is the browser's own: each aria step
 * asks the engine's accessibility tree (CDP Accessibility.queryAXTree, BiDi locateNodes), through
 * puppeteer's ElementHandle.queryAXTree, which its ::-p-aria selector uses too; called directly it
 * costs Firefox a third of what page.$$ does.
 */
async function locate({ page, selector, hasText, nth }) {
  const target = pageOf(page);
  const keep = (elements, hasText, nth) => {
    const normalize = text => text.replace(/\u200b/g, '').trim().replace(/\s+/g, ' ');
    if (hasText !== null) elements = elements.filter(el => normalize(el.textContent ?? '').includes(normalize(hasText)));
    if (nth !== null) elements = [nth === -1 ? elements.at(-1) : elements[nth]].filter(Boolean);
    return elements;
  };
  const filter = new Function('hasText', 'nth', '...elements', `return (${keep})(elements, hasText, nth);`);
  if (!selector.includes('::-p-')) {
    return await target.evaluateHandle(new Function('selector', 'hasText', 'nth',
      `return (${keep})([...document.querySelectorAll(selector)], hasText, nth);`), selector, hasText ?? null, nth ?? null);
  }
  const plan = steps(selector);
  const held = [];
  try {
    let elements;
    const documentHandle = await target.evaluateHandle(() => window.document);
    held.push(documentHandle);
    // queryAXTree is puppeteer's, not its documented API: were it gone in another 24.x, $$ does the same, slower
    if (plan === null || typeof documentHandle.queryAXTree !== 'function') {
      elements = await target.$$(selector);
      held.push(...elements);
    } else {
      elements = [documentHandle];
      for (const step of plan) {
        const next = [];
        if (step.css) {
          const found = await target.evaluateHandle((css, ...roots) => [...new Set(roots.flatMap(root =>
            [...root.querySelectorAll(root === document ? css : `:scope ${css}`)]))], step.css, ...elements);
          held.push(found);
          for (const property of (await found.getProperties()).values()) {
            held.push(property);
            next.push(property);
          }
        } else {
          for (const root of elements) {
            for await (const element of root.queryAXTree(step.name, step.role)) {
              held.push(element);
              next.push(element);
            }
          }
        }
        elements = next;
      }
    }
    return await target.evaluateHandle(filter, hasText ?? null, nth ?? null, ...elements);
  } finally {
    await Promise.all(held.map(handle => handle.dispose()));
  }
}

/** Waits for exactly one matching element that is visible and enabled, as a person would before clicking. */
async function actionable(args) {
  const deadline = Date.now() + (args.timeout ?? 10_000);
  let last = 'found none';
  for (;;) {
    const found = await locate(args);
    try {
      const state = await found.evaluate(elements => {
        if (elements.length !== 1) return `found ${elements.length === 0 ? 'none' : elements.length}`;
        const el = elements[0];
        const box = el.getBoundingClientRect();
        if (!(box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true }))) return 'found one, not visible';
        if (el.disabled) return 'found one, disabled';
        return 'ok';
      });
      if (state === 'ok') return await found.evaluateHandle(elements => elements[0]);
      last = state;
    } finally {
      await found.dispose();
    }
    if (Date.now() > deadline) {
      throw new Error(`waited ${args.timeout} ms for one visible, enabled ${describe(args)}: ${last}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

async function withElement(args, act) {
  const element = await actionable(args);
  try {
    return await act(element);
  } finally {
    await element.dispose();
  }
}

/** "Enter", "Tab", "Shift+Enter": the modifiers held while the last key is pressed. */
async function pressKey(page, combination) {
  const keys = combination.split('+');
  const key = keys.pop();
  for (const modifier of keys) await page.keyboard.down(modifier);
  await page.keyboard.press(key);
  for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
}

// One request at a time for each page, in order, and one at a time for those about no page
// (launch, newPage, quit): a test that drives two pages from two threads has them act at once.
const lines = createInterface({ input: process.stdin });
const queues = new Map(); // page id, or '' -> its last request's promise
lines.on('line', line => {
  let key = '';
  try {
    key = JSON.parse(line).page ?? '';
  } catch {
    // handle() says so
  }
  queues.set(key, (queues.get(key) ?? Promise.resolve()).then(() => handle(line)));
});
lines.on('close', () => {
  Promise.allSettled(queues.values()).then(() => commands.quit()).finally(() => process.exit(0));
});

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stderr.write(`driver: not JSON: ${line}\n`);
    return;
  }
  const { id, cmd, ...args } = request;
  let answer;
  try {
    const command = commands[cmd];
    if (!command) throw new Error(`no such command: ${cmd}`);
    answer = { id, result: await command(args) };
  } catch (error) {
    answer = { id, error: String(error?.message ?? error) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
