// The page's shared state and a tiny event bus. Views read the state, change
// it through the functions here, and listen for the events they care about:
//   'size'     the grid size changed (drawing and cue resampled)
//   'drawing'  the current drawing changed
//   'library'  items added, removed, reordered or renamed
//   'settings' theta, beta or the polynomial order changed
//   'cue'      the cue (corrupted pattern) changed
//   'target'   the library item chosen as the memory to corrupt changed
//   'run'      the recall moved (a step, a reset, a stop)
import { DEFAULT_SIZE, blank, resample } from './pixels.js';

const listeners = new Map();

export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

export function emit(type, detail) {
  for (const fn of listeners.get(type) || []) fn(detail);
}

export const state = {
  size: DEFAULT_SIZE,
  drawing: blank(DEFAULT_SIZE),
  // each item: { id, name, size (as created), pixels (at that size), cache: Map(size -> pixels) }
  library: [],
  targetId: null,
  settings: { theta: 0.5, beta: 0.2, order: 3 },
  cue: null, // { pixels, targetId, description }
};

let nextId = 1;
export const MAX_LIBRARY = 32;

export function setSize(n) {
  if (n === state.size) return;
  const old = state.size;
  state.drawing = resample(state.drawing, old, n);
  state.size = n;
  state.cue = null;
  emit('size', n);
  emit('drawing');
  emit('library');
  emit('cue');
}

export function setDrawing(pixels) {
  state.drawing = pixels;
  emit('drawing');
}

// The item's pixels at the current grid size.
export function itemPixels(item, n = state.size) {
  if (item.size === n) return item.pixels;
  if (!item.cache.has(n)) item.cache.set(n, resample(item.pixels, item.size, n));
  return item.cache.get(n);
}

export function addItem(name, pixels, size = state.size) {
  if (state.library.length >= MAX_LIBRARY) throw new Error(`the library holds at most ${MAX_LIBRARY} patterns`);
  const item = { id: nextId++, name, size, pixels: new Uint8Array(pixels), cache: new Map() };
  state.library.push(item);
  if (state.targetId === null) state.targetId = item.id;
  emit('library');
  emit('target');
  return item;
}

// Replaces the whole library at once (opening a link): entries are
// { name, size, pixels }; the first one becomes the target.
export function replaceLibrary(entries) {
  state.library = entries.slice(0, MAX_LIBRARY).map((e) => ({ id: nextId++, name: e.name, size: e.size, pixels: new Uint8Array(e.pixels), cache: new Map() }));
  state.targetId = state.library.length ? state.library[0].id : null;
  emit('library');
  emit('target');
}

export function removeItem(id) {
  const i = state.library.findIndex((x) => x.id === id);
  if (i < 0) return;
  state.library.splice(i, 1);
  if (state.targetId === id) {
    state.targetId = state.library.length ? state.library[Math.min(i, state.library.length - 1)].id : null;
    emit('target');
  }
  emit('library');
}

export function moveItem(id, delta) {
  const i = state.library.findIndex((x) => x.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= state.library.length) return false;
  const [item] = state.library.splice(i, 1);
  state.library.splice(j, 0, item);
  emit('library');
  return true;
}

export function clearLibrary() {
  state.library = [];
  state.targetId = null;
  emit('library');
  emit('target');
}

export function setTarget(id) {
  state.targetId = id;
  emit('target');
}

export function targetItem() {
  return state.library.find((x) => x.id === state.targetId) || null;
}

export function setSettings(patch) {
  Object.assign(state.settings, patch);
  emit('settings');
}

export function setCue(cue) {
  state.cue = cue;
  emit('cue');
}

// The library as the engine's model spec (patterns column-major 0/1).
export function modelSpec(kind) {
  const n = state.size * state.size;
  const k = state.library.length;
  const patterns = new Uint8Array(n * k);
  state.library.forEach((item, mu) => patterns.set(itemPixels(item), mu * n));
  return { kind, nv: n, k, patterns, ...state.settings };
}

export function uniqueName(base) {
  const names = new Set(state.library.map((x) => x.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} (${i})`)) return `${base} (${i})`;
}
