// The memory panel: stored patterns as thumbnails (select, reorder, remove),
// what each network makes of them, and the network settings.
import * as S from '../state.js';
import { drawThumb } from '../components/pixel-grid.js';
import { toBitString } from '../pixels.js';
import { SAMPLE_SETS } from '../presets.js';
import { CancelledError } from '../engine-client.js';
import { fmtInt, debounce, codeName, sup } from '../format.js';
import { betaFromLog } from '../share/schema.js';

export function initLibrary({ engines }) {
  const list = document.getElementById('library-list');
  const empty = document.getElementById('library-empty');
  const count = document.getElementById('library-count');
  const clearBtn = document.getElementById('library-clear');
  const statEls = {
    threshold: document.getElementById('stat-threshold'),
    softmax: document.getElementById('stat-softmax'),
    polynomial: document.getElementById('stat-polynomial'),
    hopfield: document.getElementById('stat-hopfield'),
  };
  const codes = document.getElementById('stat-codes');
  const codesList = document.getElementById('stat-codes-list');

  // ---- sample sets ----
  const sampleBtn = document.getElementById('library-sample');
  const sampleSelect = document.createElement('select');
  sampleSelect.id = 'library-sample-set';
  for (const [key, set] of Object.entries(SAMPLE_SETS)) sampleSelect.append(new Option(set.label, key));
  const sampleLabel = document.createElement('label');
  sampleLabel.htmlFor = sampleSelect.id;
  sampleLabel.textContent = 'Sample set';
  const sampleField = document.createElement('div');
  sampleField.className = 'field';
  sampleField.append(sampleLabel, sampleSelect);
  sampleBtn.before(sampleField);
  sampleBtn.textContent = 'Store this set';
  sampleBtn.addEventListener('click', async () => {
    const set = SAMPLE_SETS[sampleSelect.value];
    try {
      const items = await set.items(S.state.size);
      for (const it of items) {
        if (S.state.library.length >= S.MAX_LIBRARY) break;
        S.addItem(S.uniqueName(it.name), it.pixels);
      }
    } catch (e) {
      statEls.threshold.textContent = e.message;
    }
  });

  clearBtn.addEventListener('click', () => S.clearLibrary());

  // ---- the list ----
  function render() {
    const lib = S.state.library;
    const focusedId = document.activeElement && document.activeElement.closest('.library__item')?.dataset.id;
    const focusedRole = document.activeElement?.dataset.role;
    list.replaceChildren();
    lib.forEach((item, i) => {
      const li = document.createElement('li');
      li.className = 'library__item';
      li.dataset.id = String(item.id);
      const pixels = S.itemPixels(item);
      const sel = document.createElement('button');
      sel.type = 'button';
      sel.className = 'library__select';
      sel.dataset.role = 'select';
      sel.dataset.pixels = toBitString(pixels);
      sel.dataset.name = item.name;
      const selected = item.id === S.state.targetId;
      sel.setAttribute('aria-pressed', selected ? 'true' : 'false');
      sel.setAttribute('aria-label', `${item.name}, pattern ${i + 1} of ${lib.length}${selected ? ', selected for corruption' : ''}`);
      const canvas = document.createElement('canvas');
      canvas.className = 'thumb';
      canvas.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'library__name';
      name.textContent = item.name;
      const idx = document.createElement('span');
      idx.className = 'library__index';
      idx.textContent = `unit ${i + 1}`;
      sel.append(canvas, name, idx);
      sel.addEventListener('click', () => S.setTarget(item.id));
      sel.addEventListener('keydown', (ev) => {
        if (ev.altKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown')) {
          ev.preventDefault();
          S.moveItem(item.id, ev.key === 'ArrowUp' ? -1 : 1);
        } else if (ev.key === 'Delete' || ev.key === 'Backspace') {
          ev.preventDefault();
          remove(item.id);
        }
      });
      const actions = document.createElement('div');
      actions.className = 'library__actions';
      const mk = (role, label, text, fn, disabled) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'icon-button';
        b.dataset.role = role;
        b.setAttribute('aria-label', label);
        b.title = label;
        b.textContent = text;
        b.disabled = disabled;
        b.addEventListener('click', fn);
        return b;
      };
      actions.append(
        mk('up', `Move ${item.name} up`, '↑', () => S.moveItem(item.id, -1), i === 0),
        mk('down', `Move ${item.name} down`, '↓', () => S.moveItem(item.id, 1), i === lib.length - 1),
        mk('remove', `Remove ${item.name}`, '✕', () => remove(item.id), false),
      );
      li.append(sel, actions);
      list.append(li);
      requestAnimationFrame(() => drawThumb(canvas, pixels, S.state.size, 48));
    });
    empty.classList.toggle('is-compact', lib.length > 0);
    count.textContent = `${lib.length} pattern${lib.length === 1 ? '' : 's'}`;
    clearBtn.disabled = lib.length === 0;
    // keep keyboard focus on the item that moved
    if (focusedId) {
      const li = list.querySelector(`[data-id="${focusedId}"]`);
      const target = li && (li.querySelector(`[data-role="${focusedRole}"]:not(:disabled)`) || li.querySelector('[data-role="select"]'));
      if (target) target.focus();
    }
  }

  function remove(id) {
    const i = S.state.library.findIndex((x) => x.id === id);
    S.removeItem(id);
    const next = list.querySelectorAll('.library__select')[Math.min(i, S.state.library.length - 1)];
    if (next) next.focus();
    else document.getElementById('store-add')?.focus();
  }

  // ---- statistics ----
  let statsToken = 0;
  const refreshStats = debounce(async () => {
    const token = ++statsToken;
    const lib = S.state.library;
    codes.hidden = true;
    if (!lib.length) {
      for (const el of Object.values(statEls)) el.textContent = '–';
      return;
    }
    const k = lib.length;
    for (const el of Object.values(statEls)) el.textContent = 'counting…';
    try {
      const r = await engines.main.call('memoryStats', { spec: S.modelSpec('threshold') });
      if (token !== statsToken) return;
      const t = r.threshold;
      statEls.threshold.dataset.stable = String(t.stable);
      statEls.threshold.dataset.total = String(t.total);
      const stableText = t.exhaustive
        ? `${fmtInt(t.stable)} of ${fmtInt(t.total)}`
        : `about ${fmtInt(Math.round(t.stable))} of ${fmtInt(t.total)} (sampled)`;
      statEls.threshold.textContent = `${stableText} combinations of parts are stable (all non-zero codes: 2${sup(k)} − 1; θ = ${S.state.settings.theta.toFixed(2)}).`;
      const xt = crossTalk();
      if (xt) {
        const p = document.createElement('span');
        p.className = 'stats__note';
        p.textContent = ` Largest cross-talk: ${xt.value.toFixed(2)} (${xt.a} · ${xt.b})${xt.value >= S.state.settings.theta ? ', above θ' : ''}.`;
        statEls.threshold.append(p);
      }
      for (const kind of ['softmax', 'polynomial', 'hopfield']) {
        const b = r.baselines[kind];
        statEls[kind].textContent = `${b.stable} of ${k} patterns are fixed points (${b.schedule === 'sync' ? 'synchronous' : 'asynchronous'}).`;
      }
      if (t.stableCodes) {
        codesList.replaceChildren();
        const names = lib.map((x) => x.name);
        for (const c of t.stableCodes) {
          const li = document.createElement('li');
          const bits = [];
          for (let i = 0; i < k; i++) if ((c >> i) & 1) bits.push(i);
          li.textContent = codeName(bits, names);
          codesList.append(li);
        }
        codes.hidden = t.stableCodes.length === 0;
      }
    } catch (e) {
      if (e instanceof CancelledError || token !== statsToken) return;
      statEls.threshold.textContent = `Error: ${e.message}`;
    }
  }, 120);

  // cosine between the ink of two parts = xi_a . xi_b / N_v after scaleParts
  function crossTalk() {
    const lib = S.state.library;
    if (lib.length < 2) return null;
    const px = lib.map((x) => S.itemPixels(x));
    const ink = px.map((p) => p.reduce((s, v) => s + v, 0));
    let best = null;
    for (let a = 0; a < lib.length; a++) {
      for (let b = a + 1; b < lib.length; b++) {
        let s = 0;
        for (let i = 0; i < px[a].length; i++) s += px[a][i] & px[b][i];
        const c = ink[a] && ink[b] ? s / Math.sqrt(ink[a] * ink[b]) : 0;
        if (!best || c > best.value) best = { value: c, a: lib[a].name, b: lib[b].name };
      }
    }
    return best;
  }

  // ---- settings ----
  const theta = document.getElementById('set-theta');
  const thetaOut = document.getElementById('set-theta-out');
  const beta = document.getElementById('set-beta');
  const betaOut = document.getElementById('set-beta-out');
  const order = document.getElementById('set-order');
  for (let n = 2; n <= 12; n++) order.append(new Option(String(n), String(n), n === 3, n === 3));
  const betaValue = () => betaFromLog(Number(beta.value));
  const showTheta = () => {
    thetaOut.textContent = Number(theta.value).toFixed(2);
  };
  const showBeta = () => {
    const b = betaValue();
    betaOut.textContent = b < 0.01 ? b.toExponential(1) : b.toFixed(b < 1 ? 3 : 1).replace(/0+$/, '').replace(/\.$/, '');
    beta.setAttribute('aria-valuetext', betaOut.textContent);
    return b;
  };
  theta.addEventListener('input', () => {
    showTheta();
    S.setSettings({ theta: Number(theta.value) });
  });
  beta.addEventListener('input', () => {
    S.setSettings({ beta: showBeta() });
  });
  order.addEventListener('change', () => S.setSettings({ order: Number(order.value) }));
  beta.dispatchEvent(new Event('input'));

  S.on('library', () => {
    render();
    refreshStats();
  });
  S.on('target', render);
  S.on('settings', refreshStats);
  engines.main.on((type) => type === 'restart' && refreshStats());
  render();
  return {
    // for links (share/link.js)
    read: () => ({ theta: Number(theta.value), lbeta: Number(beta.value), order: Number(order.value), open: codes.open ? ['codes'] : [] }),
    restore(s) {
      theta.value = String(s.theta);
      beta.value = String(s.lbeta);
      order.value = String(s.order);
      showTheta();
      S.setSettings({ theta: Number(theta.value), beta: showBeta(), order: Number(order.value) });
      codes.open = s.open.includes('codes');
    },
  };
}
