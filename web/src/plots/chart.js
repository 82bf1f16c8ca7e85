// A small hand-written SVG chart: lines and points (with optional error bars)
// on linear or log axes, a legend, and an accessible description. It redraws
// itself when its container changes size. Colours come from CSS classes
// (styles/plots.css), so the charts follow the page's theme.
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (parent) parent.append(e);
  return e;
}

function text(parent, x, y, str, attrs = {}) {
  const t = el('text', { x, y, ...attrs }, parent);
  t.textContent = str;
  return t;
}

// "Nice" linear ticks covering [min, max].
export function linearTicks(min, max, count = 5) {
  if (!(max > min)) return [min];
  const span = max - min;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function logTicks(min, max) {
  const out = [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += every) {
    const v = 10 ** e;
    if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
  }
  return out;
}

export function formatTick(v, log) {
  if (log) {
    const e = Math.round(Math.log10(v));
    if (e >= 0 && e <= 4) return String(10 ** e);
    return `1e${e}`;
  }
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 10000) return v.toExponential(0).replace('+', '');
  if (a >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

export class Chart {
  // options: { label (accessible name), height, x: {label, min, max, log, integer},
  //            y: {label, min, max, log}, legend: true }
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.series = [];
    this.container.classList.add('chart');
    this.svg = el('svg', { role: 'img', 'aria-label': options.label, class: 'chart__svg' });
    this.title = el('title', {}, this.svg);
    this.title.textContent = options.label;
    this.container.append(this.svg);
    if (options.legend !== false) {
      this.legend = document.createElement('ul');
      this.legend.className = 'chart__legend';
      this.container.append(this.legend);
    }
    this.observer = new ResizeObserver(() => this.draw());
    this.observer.observe(this.container);
  }

  // series: [{ name, points: [[x, y], ...], type: 'line'|'points'|'linepoints',
  //            cls: CSS class, errors: [[lo, hi], ...] (optional), dashed }]
  setSeries(series, axes = {}) {
    this.series = series;
    if (axes.x) this.options.x = { ...this.options.x, ...axes.x };
    if (axes.y) this.options.y = { ...this.options.y, ...axes.y };
    this.draw();
  }

  draw() {
    const width = Math.round(this.container.clientWidth);
    if (!width) return;
    const height = this.options.height || 220;
    const svg = this.svg;
    while (svg.lastChild !== this.title) svg.lastChild.remove();
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    const { x: xo, y: yo } = this.options;
    const pts = this.series.flatMap((s) => s.points);
    const errs = this.series.flatMap((s) => (s.errors || []).flat());
    const finite = (a) => a.filter((v) => Number.isFinite(v) && (!yo.log || v > 0));
    const xs = finite(pts.map((p) => p[0]));
    const ys = finite([...pts.map((p) => p[1]), ...errs]);
    let xmin = xo.min ?? (xs.length ? Math.min(...xs) : 0);
    let xmax = xo.max ?? (xs.length ? Math.max(...xs) : 1);
    let ymin = yo.min ?? (ys.length ? Math.min(...ys) : 0);
    let ymax = yo.max ?? (ys.length ? Math.max(...ys) : 1);
    if (xmax <= xmin) xmax = xmin + 1;
    if (ymax <= ymin) {
      const pad = Math.abs(ymin) * 0.05 || 0.5;
      ymin -= pad;
      ymax += pad;
    } else if (yo.min === undefined && yo.max === undefined && !yo.log) {
      const pad = (ymax - ymin) * 0.08;
      ymin -= pad;
      ymax += pad;
    }
    const m = this.options.compact ? { left: 40, right: 8, top: 8, bottom: 20 } : { left: 54, right: 14, top: 12, bottom: 40 };
    const pw = Math.max(10, width - m.left - m.right);
    const ph = Math.max(10, height - m.top - m.bottom);
    const tx = xo.log
      ? (v) => m.left + ((Math.log10(v) - Math.log10(xmin)) / (Math.log10(xmax) - Math.log10(xmin))) * pw
      : (v) => m.left + ((v - xmin) / (xmax - xmin)) * pw;
    const ty = yo.log
      ? (v) => m.top + ph - ((Math.log10(v) - Math.log10(ymin)) / (Math.log10(ymax) - Math.log10(ymin))) * ph
      : (v) => m.top + ph - ((v - ymin) / (ymax - ymin)) * ph;

    const grid = el('g', { class: 'chart__grid' }, svg);
    const axes = el('g', { class: 'chart__axes' }, svg);
    let xt = xo.log ? logTicks(xmin, xmax) : linearTicks(xmin, xmax, Math.max(2, Math.floor(pw / 70)));
    if (xo.integer) xt = [...new Set(xt.map((v) => Math.round(v)))].filter((v) => v >= xmin && v <= xmax);
    const yt = yo.log ? logTicks(ymin, ymax) : linearTicks(ymin, ymax, Math.max(2, Math.floor(ph / (this.options.compact ? 28 : 40))));
    for (const v of xt) {
      const X = tx(v);
      el('line', { x1: X, x2: X, y1: m.top, y2: m.top + ph }, grid);
      text(axes, X, m.top + ph + 16, formatTick(v, xo.log), { 'text-anchor': 'middle', class: 'chart__tick' });
    }
    for (const v of yt) {
      const Y = ty(v);
      el('line', { x1: m.left, x2: m.left + pw, y1: Y, y2: Y }, grid);
      text(axes, m.left - 6, Y + 4, formatTick(v, yo.log), { 'text-anchor': 'end', class: 'chart__tick' });
    }
    el('rect', { x: m.left, y: m.top, width: pw, height: ph, class: 'chart__frame' }, axes);
    if (xo.label) text(axes, m.left + pw / 2, height - 6, xo.label, { 'text-anchor': 'middle', class: 'chart__label' });
    if (yo.label)
      text(axes, 12, m.top + ph / 2, yo.label, {
        'text-anchor': 'middle',
        class: 'chart__label',
        transform: `rotate(-90 12 ${m.top + ph / 2})`,
      });

    const clipId = `clip-${Math.random().toString(36).slice(2)}`;
    const defs = el('defs', {}, svg);
    const clip = el('clipPath', { id: clipId }, defs);
    el('rect', { x: m.left, y: m.top - 4, width: pw, height: ph + 8 }, clip);
    const plot = el('g', { 'clip-path': `url(#${clipId})` }, svg);
    const ok = (p) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!yo.log || p[1] > 0) && (!xo.log || p[0] > 0);
    for (const s of this.series) {
      const g = el('g', { class: `chart__series ${s.cls || ''}` }, plot);
      const good = s.points.filter(ok);
      if ((s.type === 'line' || s.type === 'linepoints') && good.length > 1) {
        const d = good.map((p, i) => `${i ? 'L' : 'M'}${tx(p[0]).toFixed(1)},${ty(p[1]).toFixed(1)}`).join('');
        el('path', { d, class: `chart__line${s.dashed ? ' is-dashed' : ''}` }, g);
      }
      if (s.errors) {
        s.points.forEach((p, i) => {
          const e = s.errors[i];
          if (!e || !ok(p)) return;
          const lo = yo.log ? Math.max(e[0], ymin) : e[0];
          if (!(lo > 0) && yo.log) return;
          el('line', { x1: tx(p[0]), x2: tx(p[0]), y1: ty(lo), y2: ty(e[1]), class: 'chart__error' }, g);
        });
      }
      if (s.type === 'points' || s.type === 'linepoints') {
        const r = s.radius || (good.length > 60 ? 2 : 3.5);
        for (const p of good) el('circle', { cx: tx(p[0]), cy: ty(p[1]), r, class: 'chart__point' }, g);
      }
    }
    if (this.legend) {
      this.legend.replaceChildren();
      for (const s of this.series) {
        if (!s.name) continue;
        const li = document.createElement('li');
        li.className = `chart__key ${s.cls || ''}`;
        const sw = document.createElement('span');
        sw.className = `chart__swatch${s.type === 'points' ? ' is-point' : ''}${s.dashed ? ' is-dashed' : ''}`;
        sw.setAttribute('aria-hidden', 'true');
        li.append(sw, document.createTextNode(s.name));
        this.legend.append(li);
      }
    }
  }
}
