// The "Share / embed" dialog (a modal <dialog>: focus stays inside, Escape
// closes it, focus returns to the button that opened it). It shows the link
// to the current state, and builds an <iframe> snippet and a
// <tdam-playground> snippet with a chosen size and hidden controls, with a
// live preview of the embed.
import { HIDE } from './schema.js';
import { withView, pageUrl, copyText } from './link.js';

const PREVIEW_DELAY = 450;
const DEFAULT_HIDE = ['header', 'capacity', 'explain'];

// Attribute values in the snippets: & < > " escaped.
export function escapeAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// '100%', '640', '640px' -> a CSS length; anything else -> null
export function cssLength(text) {
  const t = String(text).trim();
  if (/^\d{2,4}$/.test(t)) return `${t}px`;
  if (/^\d{2,4}px$/.test(t)) return t;
  if (/^(100|[1-9]?\d)%$/.test(t)) return t;
  return null;
}

export function initShareDialog({ links }) {
  const $ = (id) => document.getElementById(id);
  const dlg = $('share-dialog');
  const openBtn = $('share-open');
  const linkIn = $('share-link');
  const linkInfo = $('share-link-info');
  const widthIn = $('share-width');
  const heightIn = $('share-height');
  const hideList = $('share-hide-list');
  const iframeOut = $('share-iframe');
  const elementOut = $('share-element');
  const status = $('share-status');
  const preview = $('share-preview');
  const sizeNote = $('share-size-note');

  // one checkbox per token of the schema's `hide` field
  const boxes = new Map();
  for (const [token, what] of Object.entries(HIDE)) {
    const id = `share-hide-${token}`;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.value = token;
    box.checked = DEFAULT_HIDE.includes(token);
    const label = document.createElement('label');
    label.htmlFor = id;
    const name = document.createElement('code');
    name.textContent = token;
    label.append(name, ` ${what}`);
    const wrap = document.createElement('span');
    wrap.className = 'check';
    wrap.append(box, label);
    hideList.append(wrap);
    boxes.set(token, box);
  }

  let fragment = '';
  let previewTimer = null;
  let opener = null;

  const hidden = () => [...boxes].filter(([, b]) => b.checked).map(([t]) => t);

  function size() {
    const w = cssLength(widthIn.value) || '100%';
    const h = Math.max(240, Math.min(3000, Math.round(Number(heightIn.value)) || 720));
    widthIn.setAttribute('aria-invalid', cssLength(widthIn.value) ? 'false' : 'true');
    return { w, h };
  }

  function build() {
    const { w, h } = size();
    const hide = hidden();
    const base = pageUrl('');
    const embedUrl = pageUrl(withView(fragment, { embed: true, hide }));
    const stateOnly = withView(fragment);
    const widthAttr = w.endsWith('px') ? w.slice(0, -2) : w;
    iframeOut.value =
      `<iframe src="${escapeAttr(embedUrl)}" width="${escapeAttr(widthAttr)}" height="${h}" ` +
      `title="tdam playground: threshold dense associative memory" loading="lazy" allow="clipboard-write" style="border:0"></iframe>`;
    const script = new URL('embed/tdam-playground.js', base).href;
    elementOut.value =
      `<script type="module" src="${escapeAttr(script)}"></script>\n` +
      `<tdam-playground src="${escapeAttr(base)}" state="${escapeAttr(stateOnly)}" width="${escapeAttr(w)}" height="${h}"${hide.length ? ` hide="${escapeAttr(hide.join(','))}"` : ''}></tdam-playground>`;
    sizeNote.textContent = `The embed is ${w} wide and ${h} px high; the preview below is drawn at that height, at most 560 px.`;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      if (!dlg.open) return;
      if (preview.dataset.src !== embedUrl) {
        preview.dataset.src = embedUrl;
        preview.src = embedUrl;
      }
      preview.style.height = `${Math.min(560, h)}px`;
      preview.style.width = w.endsWith('%') ? w : `min(100%, ${w})`;
    }, PREVIEW_DELAY);
  }

  async function show() {
    opener = document.activeElement;
    fragment = (await links.flush()) || 'v=1';
    const url = pageUrl(withView(fragment, links.view));
    linkIn.value = url;
    linkInfo.textContent = `${url.length.toLocaleString('en-US')} characters. Opening it replays this state: the same patterns, cue and recall, step for step.`;
    status.textContent = '';
    build();
    if (!dlg.open) dlg.showModal();
    linkIn.focus();
    linkIn.select();
  }

  function close() {
    if (dlg.open) dlg.close();
  }

  dlg.addEventListener('close', () => {
    clearTimeout(previewTimer);
    // stop the preview's engine workers
    preview.src = 'about:blank';
    delete preview.dataset.src;
    if (opener && opener.isConnected && opener.focus) opener.focus();
  });
  // a click on the backdrop closes the dialog
  dlg.addEventListener('click', (ev) => {
    if (ev.target === dlg) close();
  });

  openBtn.addEventListener('click', show);
  $('share-close').addEventListener('click', close);
  $('share-done').addEventListener('click', close);
  for (const el of [widthIn, heightIn]) el.addEventListener('input', build);
  hideList.addEventListener('change', build);

  async function copyFrom(el, what) {
    const ok = await copyText(el.value);
    status.textContent = ok ? `${what} copied.` : `Could not copy the ${what.toLowerCase()}: it is selected, press Ctrl+C (⌘C).`;
    if (!ok) {
      el.focus();
      el.select();
    }
  }
  $('share-copy-link').addEventListener('click', () => copyFrom(linkIn, 'Link'));
  $('share-copy-iframe').addEventListener('click', () => copyFrom(iframeOut, 'iframe snippet'));
  $('share-copy-element').addEventListener('click', () => copyFrom(elementOut, 'Element snippet'));

  return { show, close };
}
