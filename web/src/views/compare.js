// Compare view: the same cue, the same seed, four networks side by side.
import * as S from '../state.js';
import { PixelGrid } from '../components/pixel-grid.js';
import { Chart } from '../plots/chart.js';
import { CancelledError } from '../engine-client.js';
import { verdict } from '../verdict.js';
import { hamming } from '../pixels.js';
import { USUAL_SCHEDULE, MODEL_NAMES } from './recall.js';
import { debounce } from '../format.js';

const MODELS = ['threshold', 'softmax', 'polynomial', 'hopfield'];
const SCHEDULE_NAMES = { sync: 'synchronous', async: 'asynchronous', continuous: 'continuous' };

export function initCompare({ engines }) {
  const $ = (id) => document.getElementById(id);
  const gridEl = $('compare-grid');
  const runBtn = $('compare-run');
  const schedSel = $('compare-schedule');
  const maxIn = $('compare-max');
  const message = $('compare-message');
  const cueInfo = $('compare-cue-info');

  // the cue card and one card per model
  const cueCard = document.createElement('article');
  cueCard.className = 'compare-card compare-card--cue';
  const cueTitle = document.createElement('h3');
  cueTitle.textContent = 'The cue';
  const cueGrid = new PixelGrid({ label: 'The cue shared by all four networks', size: S.state.size });
  cueGrid.canvas.id = 'compare-cue';
  const cueText = document.createElement('p');
  cueText.className = 'compare-card__detail';
  cueCard.append(cueTitle, cueGrid.el, cueText);
  const modelsEl = document.createElement('div');
  modelsEl.className = 'compare-models';
  const wrap = document.createElement('div');
  wrap.className = 'compare-wrap';
  wrap.append(modelsEl);
  gridEl.append(cueCard, wrap);

  const cards = {};
  for (const m of MODELS) {
    const card = document.createElement('article');
    card.className = 'compare-card';
    card.dataset.model = m;
    const h = document.createElement('h3');
    h.textContent = MODEL_NAMES[m];
    const sub = document.createElement('p');
    sub.className = 'compare-card__sub';
    const grid = new PixelGrid({ label: `Final state of the ${MODEL_NAMES[m]} network`, size: S.state.size });
    grid.canvas.id = `compare-${m}`;
    const chip = document.createElement('p');
    chip.className = 'chip';
    chip.dataset.kind = 'idle';
    chip.textContent = 'not run yet';
    const detail = document.createElement('p');
    detail.className = 'compare-card__detail';
    const facts = document.createElement('p');
    facts.className = 'compare-card__facts';
    const chartEl = document.createElement('div');
    card.append(h, sub, grid.el, chip, detail, facts, chartEl);
    modelsEl.append(card);
    const chart = new Chart(chartEl, { label: `Energy of the ${MODEL_NAMES[m]} network against step`, height: 96, compact: true, legend: false, x: { min: 0, integer: true }, y: {} });
    cards[m] = { card, sub, grid, chip, detail, facts, chart };
  }

  let stale = true;
  let token = 0;
  let shown = false;

  function describeCue() {
    const cue = S.state.cue;
    cueGrid.setSize(S.state.size);
    if (!cue) {
      cueGrid.setPixels(new Uint8Array(S.state.size * S.state.size), S.state.size);
      cueText.textContent = S.state.library.length ? 'No cue: choose one in “Corrupt & recall”.' : 'Store patterns first.';
      cueInfo.textContent = 'The cue comes from “Corrupt & recall”: the same corrupted pattern and the same seed for every network.';
      return;
    }
    cueGrid.setPixels(cue.pixels, S.state.size);
    cueText.textContent = `${cue.targetName}: ${cue.description}.`;
    cueInfo.textContent = `Cue: ${cue.targetName}, ${cue.description}. Every network starts from it, with the same seed.`;
  }

  function params(m) {
    const s = S.state.settings;
    if (m === 'threshold') return `θ = ${s.theta.toFixed(2)}, linear visible, 0/1 pixels`;
    if (m === 'softmax') return `β = ${s.beta}, ±1 pixels`;
    if (m === 'polynomial') return `n = ${s.order}, ±1 pixels`;
    return 'W = ξξᵀ/Nᵥ, ±1 pixels';
  }

  async function runAll() {
    const cue = S.state.cue;
    describeCue();
    const lib = S.state.library;
    if (!cue || !lib.length) {
      message.textContent = lib.length ? 'Make a cue first in “Corrupt & recall”.' : 'Store some patterns first.';
      return;
    }
    const my = ++token;
    stale = false;
    runBtn.disabled = true;
    message.textContent = 'Running…';
    const maxSteps = Math.max(1, Math.min(100000, Math.floor(Number(maxIn.value) || 200)));
    const libPx = lib.map((x) => ({ id: x.id, name: x.name, pixels: S.itemPixels(x) }));
    const summary = [];
    try {
      for (const m of MODELS) {
        const c = cards[m];
        const schedule = schedSel.value === 'usual' ? USUAL_SCHEDULE[m] : schedSel.value;
        c.sub.textContent = `${SCHEDULE_NAMES[schedule]} · ${params(m)}`;
        c.chip.dataset.kind = 'running';
        c.chip.textContent = 'running…';
        const r = await engines.main.call('recall', { spec: S.modelSpec(m), cue: cue.pixels, options: { schedule, maxSteps, seed: cue.seed || 1 } });
        if (my !== token) return;
        c.grid.setState(r.state.display, r.state.ink, S.state.size);
        c.grid.canvas.dataset.stop = r.stop;
        const v = verdict({ model: m, state: r.state, stop: r.stop }, cue, libPx);
        c.card.dataset.verdict = v.kind;
        c.chip.dataset.kind = v.kind;
        c.chip.textContent = { good: 'retrieved', other: 'other memory', bad: 'spurious', warn: r.stop === 'cycle' ? 'cycle' : 'step limit', neutral: 'converged' }[v.kind];
        c.detail.textContent = `${v.title}. ${v.detail}`;
        const d = hamming(r.state.ink, cue.clean);
        c.facts.textContent = `${r.state.steps} step${r.state.steps === 1 ? '' : 's'} · ${d} pixel${d === 1 ? '' : 's'} differ from ${cue.targetName}`;
        c.chart.setSeries([{ points: Array.from(r.energy, (e, i) => [i, e]), type: 'linepoints', cls: 'series-energy' }], { x: { max: Math.max(2, r.energy.length - 1) } });
        summary.push(`${MODEL_NAMES[m]}: ${c.chip.textContent}`);
      }
      message.textContent = summary.join(' · ');
    } catch (e) {
      if (e instanceof CancelledError || my !== token) return;
      message.textContent = `Error: ${e.message}`;
    } finally {
      if (my === token) runBtn.disabled = false;
    }
  }

  function markStale() {
    stale = true;
    describeCue();
    for (const m of MODELS) {
      cards[m].chip.dataset.kind = 'idle';
      cards[m].chip.textContent = 'not run yet';
    }
    if (shown) runLater();
  }
  const runLater = debounce(runAll, 150);

  runBtn.addEventListener('click', runAll);
  schedSel.addEventListener('change', runAll);
  maxIn.addEventListener('change', runAll);
  S.on('cue', markStale);
  S.on('settings', markStale);
  S.on('library', markStale);
  describeCue();

  return {
    onShow(view) {
      shown = view === 'compare';
      if (shown && stale) runAll();
    },
    // for links (share/link.js)
    read: () => ({ csched: schedSel.value, cmax: Math.max(1, Math.min(100000, Math.floor(Number(maxIn.value) || 200))) }),
    restore(s) {
      schedSel.value = s.csched;
      maxIn.value = String(s.cmax);
      markStale();
    },
  };
}
