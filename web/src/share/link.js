// The page side of shareable links: keeps the whole state in the URL fragment
// (history.replaceState, throttled: no history entries), opens a link on load
// and when the fragment is changed by hand, shows why a bad link was refused,
// applies the embed view (embed=1, hide=…), and copies the link.
//
// The format itself lives in schema.js (the fields) and codec.js (encoding,
// decoding, validation); this module only gathers the state from the views
// (each view's read()) and gives it back to them (each view's restore()).
//
// For tests and tools, <body> carries data-link: 'none' (no link opened),
// 'restoring', 'restored' or 'error' (then data-link-error is the error code).
import * as S from '../state.js';
import { blank, inkCount } from '../pixels.js';
import { encodeState, decodeState, conformState, LinkError } from './codec.js';
import { defaultState, VIEWS, LINK_VERSION } from './schema.js';

const WRITE_DELAY = 250; // ms between address updates at most
const DEFAULT_FRAGMENT = `v=${LINK_VERSION}`;

// Replaces (or removes) the view fields embed and hide of a fragment; they are
// never guarded by z, so this is plain text surgery.
export function withView(fragment, { embed = false, hide = [] } = {}) {
  const pairs = fragment.replace(/^#/, '').split('&').filter((p) => p && !p.startsWith('embed=') && !p.startsWith('hide='));
  if (embed) pairs.push('embed=1');
  if (hide.length) pairs.push(`hide=${hide.join(',')}`);
  return pairs.join('&');
}

// The address of this page with another fragment.
export function pageUrl(fragment = '') {
  const u = new URL(location.href);
  u.hash = fragment;
  return u.href;
}

// navigator.clipboard, else a selected textarea and execCommand('copy')
// (older browsers, and cross-origin iframes without clipboard-write).
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back
  }
  const active = document.activeElement;
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'visually-hidden';
  (document.querySelector('dialog[open]') || document.body).append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  if (active && active.focus) active.focus();
  return ok;
}

export function initLinks({ views, tabs, engines }) {
  const body = document.body;
  const alertEl = document.getElementById('link-alert');
  const copyBtn = document.getElementById('copy-link');
  const copyStatus = document.getElementById('copy-status');
  const fullLink = document.getElementById('embed-full');

  let view = { embed: false, hide: [] }; // the view fields, kept from the link that was opened
  let restoring = false;
  let started = false; // the address follows the state only once the initial link is open
  let current = null; // the fragment last written or opened
  let timer = null;
  let writes = 0;

  // ---- the state of the page ----
  function collect() {
    const s = defaultState();
    const corrupt = views.corrupt.read();
    Object.assign(s, views.draw.read(), views.library.read(), corrupt, views.recall.read(), views.compare.read(), views.capacity.read(), views.real.read());
    delete s.paint;
    s.tab = tabs.current();
    s.size = S.state.size;
    s.lib = {
      items: S.state.library.map((x) => ({ name: x.name, size: x.size, bits: x.pixels })),
      drawing: inkCount(S.state.drawing) ? S.state.drawing : null,
      paint: corrupt.paint,
    };
    s.embed = view.embed;
    s.hide = view.hide.slice();
    return conformState(s);
  }

  // The current fragment, written to the address now.
  async function flush() {
    clearTimeout(timer);
    timer = null;
    const my = ++writes;
    let frag;
    try {
      frag = await encodeState(collect());
    } catch (e) {
      body.dataset.linkWriteError = e.message;
      return current;
    }
    delete body.dataset.linkWriteError;
    if (my === writes) {
      current = frag;
      const now = location.hash.slice(1);
      // the default state needs no fragment while the address has none (or a bare view name)
      const quiet = frag === DEFAULT_FRAGMENT && !now.includes('=');
      if (now !== frag && !quiet) history.replaceState(history.state, '', `#${frag}`);
      if (fullLink) fullLink.href = pageUrl(withView(frag));
    }
    return frag;
  }

  // After a bad link the address keeps it (to be read or fixed) until the
  // user changes something: only their own events count then.
  let holding = false;
  function schedule(ev) {
    if (holding) {
      if (!(ev instanceof Event && ev.isTrusted)) return;
      holding = false;
    }
    if (!started || restoring || timer) return;
    timer = setTimeout(flush, WRITE_DELAY);
  }
  const scheduleState = () => schedule();

  // ---- embed view ----
  function applyView() {
    if (view.embed) body.dataset.embed = '1';
    else delete body.dataset.embed;
    if (view.hide.length) body.dataset.hide = view.hide.join(' ');
    else delete body.dataset.hide;
    const hidden = new Set(view.hide);
    // keep at least one tab
    const shown = VIEWS.filter((v) => !hidden.has(v));
    for (const v of VIEWS) document.getElementById(`tab-${v}`).hidden = shown.length ? hidden.has(v) : v !== 'draw';
    if (fullLink) fullLink.hidden = !view.embed;
    tabs.refresh();
  }

  // ---- the alert ----
  function showError(e, initial) {
    alertEl.replaceChildren();
    const p = document.createElement('p');
    const t = document.createElement('strong');
    t.textContent = 'This link could not be opened: ';
    const m = document.createElement('span');
    m.className = 'link-alert__reason';
    const reason = e instanceof LinkError ? e.message : `unexpected error (${e && e.message ? e.message : e})`;
    m.textContent = `${reason}. `;
    const after = document.createElement('span');
    after.textContent = initial ? 'The playground opened in its default state.' : 'The playground kept its state.';
    p.append(t, m, after);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'button--quiet';
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => {
      alertEl.replaceChildren();
      delete alertEl.dataset.code;
    });
    alertEl.dataset.code = e instanceof LinkError ? e.code : 'internal';
    alertEl.append(p, close);
    body.dataset.link = 'error';
    body.dataset.linkError = alertEl.dataset.code;
  }

  function clearError() {
    alertEl.replaceChildren();
    delete alertEl.dataset.code;
    delete body.dataset.linkError;
  }

  // ---- opening a link ----
  async function apply(st) {
    restoring = true;
    body.dataset.link = 'restoring';
    try {
      view = { embed: st.embed, hide: st.hide.slice() };
      applyView();
      S.setSize(st.size);
      views.draw.restore(st);
      S.replaceLibrary(st.lib.items.map((it) => ({ name: it.name, size: it.size, pixels: it.bits })));
      S.setDrawing(st.lib.drawing ? new Uint8Array(st.lib.drawing) : blank(st.size));
      views.library.restore(st);
      views.compare.restore(st);
      views.capacity.restore(st);
      views.real.restore(st);
      await Promise.all([engines.main.ready, engines.recall.ready]).catch(() => {});
      await views.corrupt.restore(st);
      await views.recall.restore(st);
      tabs.select(st.tab, { updateHash: false });
    } finally {
      restoring = false;
    }
    body.dataset.link = 'restored';
  }

  // Opens the link in `fragment`; a fragment without '=' (a view name such as
  // #recall, or an anchor) is no link.
  async function open(fragment, { initial }) {
    if (!fragment || !fragment.includes('=')) {
      if (initial) body.dataset.link = 'none';
      return false;
    }
    let st;
    try {
      st = await decodeState(fragment);
    } catch (e) {
      showError(e, initial);
      if (!(e instanceof LinkError)) console.error(e);
      return false;
    }
    clearError();
    current = fragment;
    await apply(st);
    return true;
  }

  async function start() {
    const ok = await open(location.hash.slice(1), { initial: true });
    holding = !ok && body.dataset.link === 'error';
    started = true;
    if (view.embed && fullLink) fullLink.href = pageUrl(withView(location.hash.slice(1)));
  }

  window.addEventListener('hashchange', () => {
    const frag = location.hash.slice(1);
    if (frag === current) return;
    open(frag, { initial: false });
  });

  // ---- what changes the state ----
  for (const type of ['size', 'drawing', 'library', 'settings', 'cue', 'target', 'run']) S.on(type, scheduleState);
  for (const type of ['input', 'change', 'pointerup', 'keyup', 'toggle']) document.addEventListener(type, schedule, true);

  // ---- Copy link ----
  let statusTimer = null;
  function say(text) {
    copyStatus.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => {
      copyStatus.textContent = '';
    }, 4000);
  }
  copyBtn.addEventListener('click', async () => {
    const frag = (await flush()) || DEFAULT_FRAGMENT;
    // inside an embed, the link to share is the full playground's
    const ok = await copyText(pageUrl(view.embed ? withView(frag) : frag));
    say(ok ? 'Link copied.' : 'Could not copy: use Share / embed and copy the link by hand.');
  });

  return { start, flush, collect, onTab: scheduleState, get view() { return { ...view, hide: view.hide.slice() }; } };
}
