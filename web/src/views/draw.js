// Draw view: the editable grid, tools, presets, PNG import, and "store".
import * as S from '../state.js';
import { PixelGrid } from '../components/pixel-grid.js';
import { SIZES, blank, invert, inkCount, resampleGrey, threshold, mulberry32 } from '../pixels.js';
import { LETTERS, letterBitmap } from '../font.js';
import { mnistDigit } from '../presets.js';

const MAX_PNG_BYTES = 2 * 1024 * 1024;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function initDraw() {
  const message = document.getElementById('draw-message');
  const say = (text, kind = 'info') => {
    message.textContent = text;
    message.dataset.kind = kind;
  };

  const grid = new PixelGrid({
    label: `Drawing grid, ${S.state.size} by ${S.state.size} pixels`,
    editable: true,
    size: S.state.size,
    onEdit: (p) => {
      S.state.drawing = p;
      updateInfo();
    },
  });
  grid.canvas.id = 'draw-canvas';
  document.getElementById('draw-grid').append(grid.el);
  grid.setPixels(S.state.drawing, S.state.size);

  // tools
  for (const r of document.querySelectorAll('input[name="draw-tool"]')) {
    r.addEventListener('change', () => {
      if (r.checked) grid.tool = r.value;
    });
  }

  // grid size
  const sizeSel = document.getElementById('grid-size');
  for (const n of SIZES) sizeSel.append(new Option(`${n} × ${n}`, String(n), n === S.state.size, n === S.state.size));
  sizeSel.addEventListener('change', () => {
    S.setSize(Number(sizeSel.value));
    say(
      S.state.library.length
        ? `Grid is now ${S.state.size} × ${S.state.size}; the drawing and the stored patterns were resampled.`
        : `Grid is now ${S.state.size} × ${S.state.size}.`,
    );
  });

  document.getElementById('draw-clear').addEventListener('click', () => {
    S.setDrawing(blank(S.state.size));
    say('Cleared.');
  });
  document.getElementById('draw-invert').addEventListener('click', () => {
    S.setDrawing(invert(S.state.drawing));
    say('Inverted.');
  });

  // presets
  const letterSel = document.getElementById('preset-letter');
  for (const L of LETTERS) letterSel.append(new Option(L, L));
  document.getElementById('preset-letter-apply').addEventListener('click', () => {
    S.setDrawing(letterBitmap(letterSel.value, S.state.size));
    nameHint = letterSel.value;
    say(`Letter ${letterSel.value}.`);
  });

  const digitSel = document.getElementById('preset-digit');
  for (let d = 0; d <= 9; d++) digitSel.append(new Option(String(d), String(d)));
  const digitSample = document.getElementById('preset-digit-sample');
  document.getElementById('preset-digit-apply').addEventListener('click', async () => {
    const d = Number(digitSel.value);
    const k = Math.max(1, Math.min(10, Math.round(Number(digitSample.value) || 1)));
    digitSample.value = String(k);
    try {
      S.setDrawing(await mnistDigit(d, k - 1, S.state.size));
      nameHint = `digit ${d}`;
      say(`MNIST digit ${d}, sample ${k} of 10, downsampled to ${S.state.size} × ${S.state.size}.`);
    } catch (e) {
      say(`Could not load the digits: ${e.message}`, 'error');
    }
  });

  const seedIn = document.getElementById('preset-random-seed');
  const densityIn = document.getElementById('preset-random-density');
  document.getElementById('preset-random-apply').addEventListener('click', () => {
    const seed = Math.max(0, Math.floor(Number(seedIn.value) || 0));
    const density = Math.max(1, Math.min(99, Number(densityIn.value) || 50)) / 100;
    const n = S.state.size * S.state.size;
    const rand = mulberry32(seed);
    const p = new Uint8Array(n);
    for (let i = 0; i < n; i++) p[i] = rand() < density ? 1 : 0;
    S.setDrawing(p);
    nameHint = `random ${seed}`;
    say(`Random pattern, seed ${seed}, ${Math.round(density * 100)}% ink.`);
    seedIn.value = String(seed + 1);
  });

  // PNG import
  const file = document.getElementById('import-png');
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    file.value = '';
    if (!f) return;
    try {
      S.setDrawing(await importPng(f, S.state.size));
      nameHint = f.name.replace(/\.png$/i, '').slice(0, 24) || 'image';
      say(`Imported ${f.name}, downsampled to ${S.state.size} × ${S.state.size}.`);
    } catch (e) {
      say(e.message, 'error');
    }
  });

  // store
  let drawCount = 0;
  let nameHint = null;
  const nameIn = document.getElementById('store-name');
  const storeBtn = document.getElementById('store-add');
  const info = document.getElementById('store-info');
  function updateInfo() {
    const k = inkCount(S.state.drawing);
    const n = S.state.drawing.length;
    info.textContent = `${k} of ${n} pixels inked · ${S.state.library.length} stored`;
    storeBtn.disabled = k === 0 || S.state.library.length >= S.MAX_LIBRARY;
    storeBtn.title = k === 0 ? 'Draw something first' : '';
  }
  storeBtn.addEventListener('click', () => {
    if (inkCount(S.state.drawing) === 0) {
      say('Draw something first: an empty pattern cannot be stored.', 'error');
      return;
    }
    const typed = nameIn.value.trim();
    const name = S.uniqueName(typed || nameHint || `drawing ${++drawCount}`);
    try {
      S.addItem(name, S.state.drawing);
      say(`Stored “${name}” as memory ${S.state.library.length}.`);
      nameIn.value = '';
      nameHint = null;
    } catch (e) {
      say(e.message, 'error');
    }
    updateInfo();
  });

  S.on('drawing', () => {
    grid.setPixels(S.state.drawing, S.state.size);
    updateInfo();
  });
  S.on('size', () => {
    grid.canvas.setAttribute('aria-label', `Drawing grid, ${S.state.size} by ${S.state.size} pixels`);
    sizeSel.value = String(S.state.size);
  });
  S.on('library', updateInfo);
  updateInfo();
  return {
    grid,
    // for links (share/link.js)
    read: () => ({ tool: grid.tool === 'eraser' ? 'eraser' : 'pen' }),
    restore(s) {
      document.getElementById(`tool-${s.tool}`).checked = true;
      grid.tool = s.tool;
    },
  };
}

// Validates a PNG (type, size, signature) and downsamples it onto an n x n
// grid: ink is where the image is dark (transparent counts as background);
// a mostly dark image is inverted so that the figure, not the ground, is ink.
export async function importPng(f, n) {
  if (f.type !== 'image/png' && !/\.png$/i.test(f.name)) throw new Error(`“${f.name}” is not a PNG image.`);
  if (f.size > MAX_PNG_BYTES) throw new Error(`“${f.name}” is ${(f.size / 1048576).toFixed(1)} MB; the limit is 2 MB.`);
  const head = new Uint8Array(await f.slice(0, 8).arrayBuffer());
  if (head.length < 8 || PNG_MAGIC.some((b, i) => head[i] !== b)) throw new Error(`“${f.name}” is not a valid PNG file.`);
  let bmp;
  try {
    bmp = await createImageBitmap(f);
  } catch {
    throw new Error(`“${f.name}” could not be decoded.`);
  }
  const max = 256;
  const scale = Math.min(1, max / Math.max(bmp.width, bmp.height));
  const w = Math.max(1, Math.round(bmp.width * scale));
  const h = Math.max(1, Math.round(bmp.height * scale));
  const side = Math.max(w, h);
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  ctx.drawImage(bmp, Math.floor((side - w) / 2), Math.floor((side - h) / 2), w, h);
  bmp.close();
  const data = ctx.getImageData(0, 0, side, side).data;
  const dark = new Float32Array(side * side);
  let mean = 0;
  for (let i = 0; i < dark.length; i++) {
    const lum = (0.2126 * data[4 * i] + 0.7152 * data[4 * i + 1] + 0.0722 * data[4 * i + 2]) / 255;
    dark[i] = 1 - lum;
    mean += dark[i];
  }
  mean /= dark.length;
  if (mean > 0.5) for (let i = 0; i < dark.length; i++) dark[i] = 1 - dark[i];
  return threshold(resampleGrey(dark, side, side, n), 0.5);
}
