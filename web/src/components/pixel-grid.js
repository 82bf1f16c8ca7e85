// A square pixel grid drawn on a canvas: read-only (shows a state, with grey
// levels) or editable with the mouse, touch or pen (pointer events) and the
// keyboard (arrow keys move a cursor, Space or Enter toggles the pixel under
// it, Home/End jump to the row's ends). Its binary state is exposed as
// data-pixels ("0110...", row-major) and data-size on the canvas.
import { toBitString } from '../pixels.js';

const colorCache = new WeakMap();

function colors(el) {
  const cs = getComputedStyle(el);
  const get = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    off: get('--px-off', '#ffffff'),
    on: get('--px-on', '#1d2233'),
    grid: get('--px-grid', '#e3e6ee'),
    cursor: get('--px-cursor', '#e8590c'),
    extra: get('--px-extra', '#3b5bdb'),
    overlay: get('--px-overlay', '#e8590c'),
  };
}

function parseColor(c) {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) {
    const n = parseInt(m[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const r = /rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(c);
  if (r) return [Number(r[1]), Number(r[2]), Number(r[3])];
  return [128, 128, 128];
}

function mix(a, b, t) {
  const u = Math.max(0, Math.min(1, t));
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * u)},${Math.round(a[1] + (b[1] - a[1]) * u)},${Math.round(a[2] + (b[2] - a[2]) * u)})`;
}

// Draws pixels (binary) or grey values (0 = background, 1 = ink, above 1 =
// superposed ink shown in the accent colour) on a canvas of any size.
export function paintGrid(canvas, n, values, { gridLines = true, cursor = null, overlay = null } = {}) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width;
  const H = canvas.height;
  const c = colors(canvas);
  const off = parseColor(c.off);
  const on = parseColor(c.on);
  const extra = parseColor(c.extra);
  ctx.fillStyle = c.off;
  ctx.fillRect(0, 0, W, H);
  const edge = (i, total) => Math.round((i * total) / n);
  for (let r = 0; r < n; r++) {
    const y0 = edge(r, H);
    const y1 = edge(r + 1, H);
    for (let col = 0; col < n; col++) {
      const v = values ? values[r * n + col] : 0;
      if (!(v > 0.02)) continue;
      const x0 = edge(col, W);
      const x1 = edge(col + 1, W);
      ctx.fillStyle = v > 1.25 ? mix(on, extra, Math.min(1, (v - 1) / 1)) : mix(off, on, v);
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  }
  const cell = W / n;
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  if (gridLines && cell / dpr >= 8) {
    ctx.strokeStyle = c.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 1; i < n; i++) {
      const x = edge(i, W) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, H);
      const y = edge(i, H) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(W, y);
    }
    ctx.stroke();
  }
  if (overlay) {
    ctx.save();
    ctx.strokeStyle = c.overlay;
    ctx.lineWidth = Math.max(2, Math.round(cell / 6));
    ctx.setLineDash([Math.max(4, cell / 2), Math.max(3, cell / 3)]);
    const x0 = edge(overlay.left, W);
    const y0 = edge(overlay.top, H);
    ctx.strokeRect(x0 + 1, y0 + 1, edge(overlay.left + overlay.width, W) - x0 - 2, edge(overlay.top + overlay.height, H) - y0 - 2);
    ctx.restore();
  }
  if (cursor) {
    const x0 = edge(cursor.col, W);
    const y0 = edge(cursor.row, H);
    const w = edge(cursor.col + 1, W) - x0;
    const h = edge(cursor.row + 1, H) - y0;
    ctx.lineWidth = Math.max(2, Math.round(cell / 8));
    ctx.strokeStyle = c.cursor;
    ctx.strokeRect(x0 + ctx.lineWidth / 2, y0 + ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth);
  }
}

// A small thumbnail canvas (no grid lines) at a fixed pixel size.
export function drawThumb(canvas, pixels, n, px = 56) {
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  canvas.width = Math.round(px * dpr);
  canvas.height = Math.round(px * dpr);
  paintGrid(canvas, n, pixels, { gridLines: false });
}

let gridCount = 0;

export class PixelGrid {
  constructor({ label, editable = false, onEdit = null, size = 16, describe = '' }) {
    this.id = `grid-${++gridCount}`;
    this.n = size;
    this.pixels = new Uint8Array(size * size);
    this.values = null; // grey values for display; null means show pixels
    this.editable = editable;
    this.onEdit = onEdit;
    this.tool = 'pen';
    this.cursor = { row: 0, col: 0 };
    this.overlay = null;
    this.focused = false;

    this.el = document.createElement('div');
    this.el.className = 'pixel-grid' + (editable ? ' is-editable' : '');
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'pixel-grid__canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.el.append(this.canvas);
    if (editable) {
      this.canvas.tabIndex = 0;
      this.canvas.setAttribute('role', 'application');
      this.canvas.setAttribute('aria-roledescription', 'pixel grid');
      const help = document.createElement('p');
      help.id = `${this.id}-help`;
      help.className = 'visually-hidden';
      help.textContent =
        describe ||
        'Draw with the mouse, a finger or a pen. With the keyboard: arrow keys move the cursor, Space or Enter toggles the pixel, Home and End jump to the ends of the row.';
      this.live = document.createElement('p');
      this.live.className = 'visually-hidden';
      this.live.setAttribute('aria-live', 'polite');
      this.el.append(help, this.live);
      this.canvas.setAttribute('aria-describedby', help.id);
      this.bindPointer();
      this.bindKeys();
    }
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.canvas);
    this.updateData();
  }

  setSize(n) {
    this.n = n;
    this.cursor = { row: Math.min(this.cursor.row, n - 1), col: Math.min(this.cursor.col, n - 1) };
    if (this.pixels.length !== n * n) this.pixels = new Uint8Array(n * n);
    this.values = null;
    this.render();
    this.updateData();
  }

  setPixels(p, n = this.n) {
    this.n = n;
    this.pixels = new Uint8Array(p);
    this.values = null;
    this.render();
    this.updateData();
  }

  // grey values for display plus the binary state they stand for
  setState(values, pixels, n = this.n) {
    this.n = n;
    this.values = values;
    this.pixels = new Uint8Array(pixels);
    this.render();
    this.updateData();
  }

  setOverlay(rect) {
    this.overlay = rect;
    this.render();
  }

  updateData() {
    this.canvas.dataset.pixels = toBitString(this.pixels);
    this.canvas.dataset.size = String(this.n);
  }

  resize() {
    const rect = this.canvas.getBoundingClientRect();
    if (!rect.width) return;
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const w = Math.round(rect.width * dpr);
    if (this.canvas.width !== w || this.canvas.height !== w) {
      this.canvas.width = w;
      this.canvas.height = w;
    }
    this.render();
  }

  render() {
    if (!this.canvas.width) return;
    paintGrid(this.canvas, this.n, this.values || this.pixels, {
      cursor: this.editable && this.focused ? this.cursor : null,
      overlay: this.overlay,
    });
  }

  cellAt(ev) {
    const rect = this.canvas.getBoundingClientRect();
    const col = Math.floor(((ev.clientX - rect.left) / rect.width) * this.n);
    const row = Math.floor(((ev.clientY - rect.top) / rect.height) * this.n);
    return { row: Math.max(0, Math.min(this.n - 1, row)), col: Math.max(0, Math.min(this.n - 1, col)) };
  }

  paint(row, col, value) {
    const i = row * this.n + col;
    if (this.pixels[i] === value) return false;
    this.pixels[i] = value;
    return true;
  }

  commit() {
    this.values = null;
    this.render();
    this.updateData();
    if (this.onEdit) this.onEdit(new Uint8Array(this.pixels));
  }

  bindPointer() {
    let drawing = false;
    let last = null;
    let value = 1;
    let visited = null; // the 'flip' tool flips each cell once per stroke
    const apply = (row, col) => {
      if (this.tool !== 'flip') return this.paint(row, col, value);
      const i = row * this.n + col;
      if (visited.has(i)) return false;
      visited.add(i);
      return this.paint(row, col, this.pixels[i] ? 0 : 1);
    };
    const line = (a, b) => {
      // Bresenham between two cells
      let changed = false;
      let { row: y0, col: x0 } = a;
      const { row: y1, col: x1 } = b;
      const dx = Math.abs(x1 - x0);
      const dy = -Math.abs(y1 - y0);
      const sx = x0 < x1 ? 1 : -1;
      const sy = y0 < y1 ? 1 : -1;
      let err = dx + dy;
      for (;;) {
        changed = apply(y0, x0) || changed;
        if (x0 === x1 && y0 === y1) break;
        const e2 = 2 * err;
        if (e2 >= dy) {
          err += dy;
          x0 += sx;
        }
        if (e2 <= dx) {
          err += dx;
          y0 += sy;
        }
      }
      return changed;
    };
    this.canvas.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      ev.preventDefault();
      this.canvas.focus({ preventScroll: true });
      this.canvas.setPointerCapture(ev.pointerId);
      drawing = true;
      value = this.tool === 'eraser' ? 0 : 1;
      visited = new Set();
      last = this.cellAt(ev);
      this.cursor = { ...last };
      if (apply(last.row, last.col)) this.commit();
      else this.render();
    });
    this.canvas.addEventListener('pointermove', (ev) => {
      if (!drawing) return;
      const cell = this.cellAt(ev);
      if (cell.row === last.row && cell.col === last.col) return;
      const changed = line(last, cell);
      last = cell;
      this.cursor = { ...cell };
      if (changed) this.commit();
    });
    const end = () => {
      drawing = false;
      last = null;
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener('lostpointercapture', end);
  }

  announce() {
    const { row, col } = this.cursor;
    const on = this.pixels[row * this.n + col] ? 'ink' : 'empty';
    this.live.textContent = `Row ${row + 1}, column ${col + 1}: ${on}`;
  }

  bindKeys() {
    this.canvas.addEventListener('focus', () => {
      this.focused = true;
      this.render();
    });
    this.canvas.addEventListener('blur', () => {
      this.focused = false;
      this.render();
    });
    this.canvas.addEventListener('keydown', (ev) => {
      const n = this.n;
      const c = this.cursor;
      let moved = true;
      switch (ev.key) {
        case 'ArrowUp':
          c.row = Math.max(0, c.row - 1);
          break;
        case 'ArrowDown':
          c.row = Math.min(n - 1, c.row + 1);
          break;
        case 'ArrowLeft':
          c.col = Math.max(0, c.col - 1);
          break;
        case 'ArrowRight':
          c.col = Math.min(n - 1, c.col + 1);
          break;
        case 'Home':
          c.col = 0;
          break;
        case 'End':
          c.col = n - 1;
          break;
        case ' ':
        case 'Enter': {
          const i = c.row * n + c.col;
          this.pixels[i] = this.pixels[i] ? 0 : 1;
          this.commit();
          this.announce();
          ev.preventDefault();
          return;
        }
        default:
          moved = false;
      }
      if (moved) {
        ev.preventDefault();
        this.render();
        this.announce();
      }
    });
  }
}
