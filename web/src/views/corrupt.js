// Corrupt view: choose a memory (or a combination of parts, or the current
// drawing), corrupt it (flip a fraction, occlude a rectangle, Gaussian noise,
// or paint by hand), seeded; the result is the shared cue (state.cue).
import * as S from '../state.js';
import { PixelGrid } from '../components/pixel-grid.js';
import { hamming, inkCount, equal } from '../pixels.js';
import { CancelledError } from '../engine-client.js';
import { debounce, fmtPct } from '../format.js';

export function initCorrupt({ engines }) {
  const targetSel = document.getElementById('cue-target');
  const seedIn = document.getElementById('cue-seed');
  const info = document.getElementById('cue-info');
  const flip = document.getElementById('cue-flip');
  const flipOut = document.getElementById('cue-flip-out');
  const sigma = document.getElementById('cue-sigma');
  const sigmaOut = document.getElementById('cue-sigma-out');
  const occ = {
    top: document.getElementById('cue-occ-top'),
    left: document.getElementById('cue-occ-left'),
    height: document.getElementById('cue-occ-height'),
    width: document.getElementById('cue-occ-width'),
  };
  const params = [...document.querySelectorAll('.cue-params')];

  // combination of parts: one checkbox per stored pattern
  const combo = document.createElement('fieldset');
  combo.className = 'group combo';
  combo.hidden = true;
  const comboLegend = document.createElement('legend');
  comboLegend.textContent = 'Parts in the combination';
  const comboList = document.createElement('div');
  comboList.className = 'combo__list';
  combo.append(comboLegend, comboList);
  targetSel.closest('.field').after(combo);
  const comboIds = new Set();

  const grid = new PixelGrid({
    label: 'The cue: the corrupted pattern',
    editable: true,
    size: S.state.size,
    describe: 'The cue. In Paint mode, strokes flip the pixels they cross; with the keyboard, arrow keys move the cursor and Space flips the pixel.',
    onEdit: (p) => {
      if (kind() !== 'paint') return;
      painted = p;
      publish(p, 'painted by hand');
    },
  });
  grid.tool = 'flip';
  grid.canvas.id = 'cue-canvas';
  document.getElementById('cue-grid').append(grid.el);

  let painted = null; // the hand-painted cue (Paint mode)

  const kind = () => document.querySelector('input[name="cue-kind"]:checked').value;
  const seed = () => {
    const s = Math.floor(Number(seedIn.value));
    return Number.isFinite(s) && s >= 0 ? Math.min(s, 4294967295) : 0;
  };

  // The clean pattern the cue is made from, and what it is.
  function source() {
    const lib = S.state.library;
    const v = targetSel.value;
    if (v === 'drawing') {
      return inkCount(S.state.drawing) ? { pixels: S.state.drawing, kind: 'drawing', ids: [], name: 'the current drawing' } : null;
    }
    if (v === 'combo') {
      const items = lib.filter((x) => comboIds.has(x.id));
      if (!items.length) return null;
      const n = S.state.size * S.state.size;
      const p = new Uint8Array(n);
      for (const it of items) {
        const q = S.itemPixels(it);
        for (let i = 0; i < n; i++) p[i] |= q[i];
      }
      return { pixels: p, kind: items.length === 1 ? 'item' : 'combo', ids: items.map((x) => x.id), name: items.map((x) => x.name).join(' + ') };
    }
    const item = lib.find((x) => String(x.id) === v);
    return item ? { pixels: S.itemPixels(item), kind: 'item', ids: [item.id], name: item.name } : null;
  }

  function fillTargets() {
    const lib = S.state.library;
    const prev = targetSel.value;
    targetSel.replaceChildren();
    for (const it of lib) targetSel.append(new Option(it.name, String(it.id)));
    if (lib.length > 1) targetSel.append(new Option('A combination of parts…', 'combo'));
    targetSel.append(new Option('The current drawing (not stored)', 'drawing'));
    const want = S.state.targetId !== null ? String(S.state.targetId) : prev;
    targetSel.value = [...targetSel.options].some((o) => o.value === want) ? want : targetSel.options[0]?.value;
    if (prev === 'combo' && lib.length > 1) targetSel.value = 'combo';
    // checkboxes
    for (const id of [...comboIds]) if (!lib.some((x) => x.id === id)) comboIds.delete(id);
    comboList.replaceChildren();
    for (const it of lib) {
      const id = `combo-${it.id}`;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = id;
      box.checked = comboIds.has(it.id);
      box.addEventListener('change', () => {
        if (box.checked) comboIds.add(it.id);
        else comboIds.delete(it.id);
        painted = null;
        recompute();
      });
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = it.name;
      const wrap = document.createElement('span');
      wrap.className = 'check';
      wrap.append(box, label);
      comboList.append(wrap);
    }
    combo.hidden = targetSel.value !== 'combo';
  }

  function syncOcclusionRanges() {
    const n = S.state.size;
    occ.top.max = String(n - 1);
    occ.left.max = String(n - 1);
    occ.height.max = String(n);
    occ.width.max = String(n);
  }

  function rect() {
    const n = S.state.size;
    const top = Math.min(n - 1, Number(occ.top.value));
    const left = Math.min(n - 1, Number(occ.left.value));
    return { top, left, height: Math.min(n - top, Number(occ.height.value)), width: Math.min(n - left, Number(occ.width.value)) };
  }

  function showParams() {
    const k = kind();
    for (const p of params) p.hidden = p.dataset.kind !== k;
    grid.canvas.classList.toggle('is-paintable', k === 'paint');
    document.querySelector('.cue-seed').hidden = k === 'occlude' || k === 'paint';
  }

  function updateOutputs() {
    flipOut.textContent = fmtPct(Number(flip.value), 0);
    sigmaOut.textContent = Number(sigma.value).toFixed(2);
    for (const [key, input] of Object.entries(occ)) {
      const out = document.getElementById(`${input.id}-out`);
      out.textContent = key === 'top' || key === 'left' ? String(Number(input.value) + 1) : String(input.value);
    }
  }

  let token = 0;
  async function recompute() {
    updateOutputs();
    showParams();
    combo.hidden = targetSel.value !== 'combo';
    const src = source();
    const my = ++token;
    grid.setOverlay(null);
    if (!src) {
      grid.setPixels(new Uint8Array(S.state.size * S.state.size), S.state.size);
      info.textContent =
        targetSel.value === 'combo' ? 'Tick the parts to combine.' : S.state.library.length ? 'The drawing is empty.' : 'Store a pattern first (Draw & store).';
      S.setCue(null);
      return;
    }
    const k = kind();
    const n = S.state.size;
    try {
      let cue;
      let what;
      if (k === 'flip') {
        cue = await engines.main.call('corrupt', { pixels: src.pixels, kind: 'flip', level: Number(flip.value), seed: seed() });
        what = `${fmtPct(Number(flip.value), 0)} of the pixels flipped, seed ${seed()}`;
      } else if (k === 'gaussian') {
        cue = await engines.main.call('corrupt', { pixels: src.pixels, kind: 'gaussian', level: Number(sigma.value), seed: seed() });
        what = `Gaussian noise σ = ${Number(sigma.value).toFixed(2)}, seed ${seed()}`;
      } else if (k === 'occlude') {
        const r = rect();
        cue = await engines.main.call('corrupt', { pixels: src.pixels, kind: 'occlude', rows: n, cols: n, rect: r, seed: seed() });
        what = `rows ${r.top + 1}–${r.top + r.height}, columns ${r.left + 1}–${r.left + r.width} occluded`;
        if (my === token) grid.setOverlay(r.height && r.width ? r : null);
      } else {
        if (!painted || painted.length !== n * n) painted = new Uint8Array(S.state.cue?.pixels?.length === n * n ? S.state.cue.pixels : src.pixels);
        cue = painted;
        what = 'painted by hand';
      }
      if (my !== token) return;
      grid.setPixels(cue, n);
      publish(cue, what, src);
    } catch (e) {
      if (e instanceof CancelledError || my !== token) return;
      info.textContent = `Error: ${e.message}`;
    }
  }

  function publish(cue, what, src = source()) {
    if (!src) return;
    const d = hamming(cue, src.pixels);
    info.textContent = `${src.name}: ${what}. ${d} of ${cue.length} pixels differ from it.`;
    // the same cue again (a late slider event, a recomputation): nothing changed,
    // so the recall keeps its run
    const prev = S.state.cue;
    if (
      prev &&
      prev.description === what &&
      prev.targetName === src.name &&
      prev.targetKind === src.kind &&
      prev.targetIds.length === src.ids.length &&
      prev.targetIds.every((id, i) => id === src.ids[i]) &&
      prev.seed === seed() &&
      equal(prev.pixels, cue) &&
      equal(prev.clean, src.pixels)
    )
      return;
    S.setCue({ pixels: new Uint8Array(cue), clean: src.pixels, targetKind: src.kind, targetIds: src.ids, targetName: src.name, description: what, seed: seed() });
  }

  const later = debounce(recompute, 60);
  targetSel.addEventListener('change', () => {
    painted = null;
    const id = Number(targetSel.value);
    if (Number.isInteger(id) && S.state.library.some((x) => x.id === id)) S.setTarget(id);
    else recompute();
  });
  for (const r of document.querySelectorAll('input[name="cue-kind"]')) r.addEventListener('change', recompute);
  for (const input of [flip, sigma, ...Object.values(occ)]) input.addEventListener('input', later);
  seedIn.addEventListener('change', recompute);
  document.getElementById('cue-reseed').addEventListener('click', () => {
    seedIn.value = String(1 + Math.floor(Math.random() * 99999));
    recompute();
  });
  document.getElementById('cue-paint-reset').addEventListener('click', () => {
    const src = source();
    painted = src ? new Uint8Array(src.pixels) : null;
    recompute();
  });

  S.on('library', () => {
    fillTargets();
    painted = null;
    recompute();
  });
  S.on('target', () => {
    if (S.state.targetId !== null) targetSel.value = String(S.state.targetId);
    combo.hidden = targetSel.value !== 'combo';
    painted = null;
    recompute();
  });
  S.on('size', () => {
    syncOcclusionRanges();
    painted = null;
  });
  S.on('drawing', () => {
    if (targetSel.value === 'drawing') later();
  });
  engines.main.ready.then(() => recompute(), () => {});

  syncOcclusionRanges();
  fillTargets();
  updateOutputs();
  showParams();

  // ---- links (share/link.js) ----
  function read() {
    const lib = S.state.library;
    const ids = lib.map((x) => x.id);
    const v = targetSel.value;
    const k = kind();
    return {
      // with nothing stored the only choice is the drawing: that is the default 'item'
      target: !lib.length ? 'item' : v === 'combo' || v === 'drawing' ? v : 'item',
      item: Math.max(0, ids.indexOf(S.state.targetId)),
      parts: ids.flatMap((id, i) => (comboIds.has(id) ? [i] : [])),
      kind: k,
      flip: Number(flip.value),
      sigma: Number(sigma.value),
      seed: seed(),
      otop: Number(occ.top.value),
      oleft: Number(occ.left.value),
      oheight: Number(occ.height.value),
      owidth: Number(occ.width.value),
      paint: k === 'paint' && painted && painted.length === S.state.size * S.state.size ? painted : null,
    };
  }

  // Sets every control from a decoded link (after the size and the library)
  // and computes the cue; resolves when S.state.cue is the link's cue.
  function restore(s) {
    const ids = S.state.library.map((x) => x.id);
    comboIds.clear();
    for (const p of s.parts) if (ids[p] !== undefined) comboIds.add(ids[p]);
    if (ids.length) S.setTarget(ids[Math.min(s.item, ids.length - 1)]);
    fillTargets();
    const want = s.target === 'item' ? String(ids[s.item]) : s.target;
    if ([...targetSel.options].some((o) => o.value === want)) targetSel.value = want;
    document.getElementById(`cue-kind-${s.kind}`).checked = true;
    flip.value = String(s.flip);
    sigma.value = String(s.sigma);
    seedIn.value = String(s.seed);
    occ.top.value = String(s.otop);
    occ.left.value = String(s.oleft);
    occ.height.value = String(s.oheight);
    occ.width.value = String(s.owidth);
    painted = null;
    if (s.kind === 'paint') {
      const src = source();
      painted = s.lib.paint ? new Uint8Array(s.lib.paint) : src ? new Uint8Array(src.pixels) : null;
    }
    later.cancel();
    return recompute();
  }

  return { grid, recompute, read, restore };
}
