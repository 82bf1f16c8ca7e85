// <tdam-playground>: the tdam playground as a custom element, for course
// pages. One script tag and the element:
//
//   <script type="module" src="https://example.org/tdam/embed/tdam-playground.js"></script>
//   <tdam-playground state="v=1&z=…&tab=recall&…" height="640" hide="model,capacity"></tdam-playground>
//
// Attributes (all optional; changing one updates the element):
//   src     where the playground is (its folder or its page), resolved against
//           the host page; default: the folder above this script
//   state   a link fragment from the playground's "Copy link" or "Share /
//           embed" (with or without the leading #); default: the empty playground
//   hide    parts to hide, comma- or space-separated (header, tabs, draw,
//           recall, compare, capacity, real, explain, memory, settings, corrupt,
//           model, schedule, share); replaces a hide=… inside `state`
//   height  in px (a number) or any CSS length; default 640
//   width   a CSS length; default 100%
//   title   the iframe's accessible name
//
// The element wraps an <iframe> of the playground in a shadow root, so the
// host page's styles and the playground's never mix, and the playground runs
// on its own origin with its own Content-Security-Policy (single-threaded
// WebAssembly: no special headers are needed on the host page). It adds
// embed=1 to the state: the compact embedded view.
const DEFAULT_BASE = new URL('../', import.meta.url).href;
const DEFAULT_TITLE = 'tdam playground: threshold dense associative memory';
const HIDE_TOKEN = /^[a-z]+$/;

function cssLength(v, fallback) {
  if (v === null || v === '') return fallback;
  const t = String(v).trim();
  if (/^\d+(\.\d+)?$/.test(t)) return `${t}px`;
  if (/^\d+(\.\d+)?(px|em|rem|vh|vw|%|svh|dvh)$/.test(t)) return t;
  return fallback;
}

// The playground's address for these attributes.
export function playgroundUrl({ src = null, state = '', hide = null } = {}, baseURI = document.baseURI) {
  const page = new URL(src || DEFAULT_BASE, baseURI);
  if (!/\.html?$/i.test(page.pathname) && !page.pathname.endsWith('/')) page.pathname += '/';
  const pairs = String(state || '')
    .trim()
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p && !p.startsWith('embed=') && !(hide !== null && p.startsWith('hide=')));
  if (!pairs.length || !pairs[0].startsWith('v=')) pairs.unshift('v=2');
  pairs.push('embed=1');
  if (hide !== null) {
    const tokens = [...new Set(String(hide).split(/[\s,]+/).filter((t) => HIDE_TOKEN.test(t)))];
    if (tokens.length) pairs.push(`hide=${tokens.join(',')}`);
  }
  page.hash = pairs.join('&');
  return page.href;
}

const CSS = `
:host { display: block; width: var(--tdam-width, 100%); max-width: 100%; }
:host([hidden]) { display: none; }
iframe { display: block; width: 100%; height: var(--tdam-height, 640px); border: 0; border-radius: 8px; background: transparent; }
`;

class TdamPlayground extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'state', 'hide', 'height', 'width', 'title'];
  }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    // a constructed stylesheet when the browser has them (no inline <style>,
    // so a strict style-src on the host page does not get in the way)
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = CSS;
      root.append(style);
    }
    this.frame = document.createElement('iframe');
    this.frame.setAttribute('part', 'frame');
    this.frame.loading = 'lazy';
    this.frame.allow = 'clipboard-write';
    this.frame.referrerPolicy = 'no-referrer';
    root.append(this.frame);
  }

  connectedCallback() {
    this.update();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.update();
  }

  // The iframe's current address.
  get url() {
    return playgroundUrl({ src: this.getAttribute('src'), state: this.getAttribute('state'), hide: this.getAttribute('hide') });
  }

  update() {
    this.style.setProperty('--tdam-height', cssLength(this.getAttribute('height'), '640px'));
    this.style.setProperty('--tdam-width', cssLength(this.getAttribute('width'), '100%'));
    this.frame.title = this.getAttribute('title') || DEFAULT_TITLE;
    const url = this.url;
    if (this.frame.getAttribute('src') !== url) this.frame.setAttribute('src', url);
  }
}

if (!customElements.get('tdam-playground')) customElements.define('tdam-playground', TdamPlayground);

export { TdamPlayground };
