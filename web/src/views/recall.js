// Recall view: runs the chosen network from the cue step by step in the
// recall worker, and shows the visible layer, the hidden code, the energy and
// the overlaps with the stored memories, and what it converged to.
import * as S from '../state.js';
import { PixelGrid } from '../components/pixel-grid.js';
import { Units } from '../components/units.js';
import { Chart } from '../plots/chart.js';
import { Bars } from '../plots/bars.js';
import { CancelledError } from '../engine-client.js';
import { verdict } from '../verdict.js';
import { fmtNum } from '../format.js';

export const USUAL_SCHEDULE = { threshold: 'sync', softmax: 'sync', polynomial: 'async', hopfield: 'async' };
export const MODEL_NAMES = { threshold: 'Threshold (parts)', softmax: 'Softmax', polynomial: 'Polynomial', hopfield: 'Hopfield 1982' };

export function initRecall({ engines }) {
  const engine = engines.recall;
  const $ = (id) => document.getElementById(id);
  const modelSel = $('recall-model');
  const schedSel = $('recall-schedule');
  const maxIn = $('recall-max');
  const speed = $('recall-speed');
  const speedOut = $('recall-speed-out');
  const btn = { reset: $('recall-reset'), step: $('recall-step'), play: $('recall-play'), run: $('recall-run'), cancel: $('recall-cancel') };
  const progress = $('recall-progress');
  const status = $('recall-status');
  const stepInfo = $('recall-step-info');
  const hiddenNote = $('recall-hidden-note');

  const grid = new PixelGrid({ label: 'Visible layer during recall', size: S.state.size });
  grid.canvas.id = 'recall-canvas';
  $('recall-visible').append(grid.el);
  const units = new Units($('recall-hidden'));
  const energyEl = $('recall-energy');
  const energyChart = new Chart(energyEl, {
    label: 'Energy against step',
    height: 170,
    legend: false,
    x: { label: 'step', min: 0, integer: true },
    y: { label: 'energy E' },
  });
  const bars = new Bars($('recall-overlaps'), { label: 'Overlap of the visible state with each stored memory' });

  const stepLimit = () => Math.max(1, Math.min(100000, Math.floor(Number(maxIn.value) || 200)));
  let sid = 0;
  let run = null; // { sid, model, names, energies, state, stop, cue }
  let playing = false;
  let busy = false;
  let timer = null;
  let visible = false;

  function setStatus(kind, title, detail = '') {
    status.dataset.kind = kind;
    status.replaceChildren();
    const t = document.createElement('strong');
    t.className = 'status__title';
    t.textContent = title;
    status.append(t);
    if (detail) {
      const d = document.createElement('span');
      d.className = 'status__detail';
      d.textContent = detail;
      status.append(d);
    }
  }

  function controls() {
    const ready = !!run && !busy;
    const done = !!(run && run.stop);
    btn.step.disabled = !ready || done || playing;
    btn.run.disabled = !ready || done || playing;
    btn.play.disabled = !run || done;
    btn.reset.disabled = busy && !playing;
    btn.play.textContent = playing ? 'Pause' : 'Play';
    btn.play.setAttribute('aria-pressed', playing ? 'true' : 'false');
  }

  function render() {
    if (!run) return;
    const st = run.state;
    const n = S.state.size;
    grid.setState(st.display, st.ink, n);
    grid.canvas.dataset.step = String(st.steps);
    grid.canvas.dataset.stop = run.stop || '';
    stepInfo.textContent = `Step ${st.steps} · E = ${fmtNum(st.energy, 4)}`;
    if (run.model === 'threshold') {
      const key = document.createElement('span');
      key.className = 'figcaption__key';
      key.textContent = 'Shading is v / ā (ā: mean part amplitude); blue where several parts add up.';
      stepInfo.append(key);
    }
    const lib = S.state.library;
    const binary = run.model === 'threshold';
    units.set(run.names, Array.from(st.hiddenDisplay), { binary });
    hiddenNote.textContent = binary
      ? `(the code s: ${st.code.reduce((a, b) => a + b, 0)} of ${st.code.length} units on)`
      : run.model === 'softmax'
        ? '(softmax probabilities)'
        : run.model === 'polynomial'
          ? '(f(h) = max(h,0)^(n−1), relative to the largest)'
          : '(f(h) = h / Nᵥ, the signed overlap)';
    energyChart.setSeries([{ name: 'energy', points: run.energies.map((e, i) => [i, e]), type: 'linepoints', cls: 'series-energy' }], {
      x: { max: Math.max(4, run.energies.length - 1) },
    });
    // the whole trace, exactly (JSON keeps every bit of a double)
    energyEl.dataset.energies = JSON.stringify(run.energies);
    const targets = new Set(run.cue.targetIds);
    bars.set(lib.map((x, i) => ({ name: x.name, value: st.overlaps[i], highlight: targets.has(x.id) })));
    if (run.stop) {
      const v = verdict({ model: run.model, state: st, stop: run.stop }, run.cue, lib.map((x) => ({ id: x.id, name: x.name, pixels: S.itemPixels(x) })));
      setStatus(v.kind, v.title, v.detail);
      status.dataset.stop = run.stop;
    } else {
      status.dataset.stop = '';
      if (st.steps === 0) setStatus('idle', 'Ready at the cue (step 0).', 'Press Step or Play to run the dynamics.');
      else setStatus('running', `Running · step ${st.steps}`, `Energy ${fmtNum(st.energy, 4)}.`);
    }
    controls();
    S.emit('run');
  }

  function stopPlaying() {
    playing = false;
    clearTimeout(timer);
    timer = null;
  }

  let resetPending = null; // the reset in flight
  let laterTimer = null; // a reset scheduled after a change
  function later() {
    clearTimeout(laterTimer);
    laterTimer = setTimeout(() => {
      laterTimer = null;
      reset();
    }, 80);
  }
  // Before stepping: run a scheduled reset now, or wait for the one in
  // flight, until none is left (a change may schedule another meanwhile).
  async function settle() {
    for (;;) {
      if (laterTimer) {
        clearTimeout(laterTimer);
        laterTimer = null;
        await reset();
      } else if (resetPending) {
        await resetPending;
      } else {
        return;
      }
    }
  }

  function reset() {
    clearTimeout(laterTimer);
    laterTimer = null;
    const p = doReset();
    resetPending = p;
    p.finally(() => {
      if (resetPending === p) resetPending = null;
    });
    return p;
  }

  async function doReset() {
    stopPlaying();
    const my = ++sid;
    const cue = S.state.cue;
    const lib = S.state.library;
    run = null;
    controls();
    if (!lib.length || !cue) {
      grid.setPixels(new Uint8Array(S.state.size * S.state.size), S.state.size);
      units.clear();
      bars.set([]);
      energyChart.setSeries([]);
      delete energyEl.dataset.energies;
      grid.canvas.dataset.step = '0';
      grid.canvas.dataset.stop = '';
      stepInfo.textContent = 'Step 0';
      setStatus('idle', lib.length ? 'No cue yet.' : 'Nothing stored yet.', lib.length ? 'Choose a memory and a corruption on the left.' : 'Store a pattern first (Draw & store), then corrupt it here.');
      S.emit('run');
      return;
    }
    const model = modelSel.value;
    const maxSteps = stepLimit();
    busy = true;
    try {
      const spec = S.modelSpec(model);
      const r = await engine.call('start', {
        sid: my,
        spec,
        cue: cue.pixels,
        options: { schedule: schedSel.value, maxSteps, seed: cue.seed || 1 },
      });
      if (my !== sid) return;
      run = { sid: my, model, maxSteps, names: lib.map((x) => x.name), energies: [r.state.energy], state: r.state, stop: null, cue };
      busy = false;
      render();
    } catch (e) {
      busy = false;
      if (my !== sid || e instanceof CancelledError) return;
      setStatus('bad', 'Could not start the recall', e.message);
      controls();
    }
  }

  async function step(count = 1, onProgress = null) {
    await settle();
    if (!run || run.stop) return;
    const my = run.sid;
    busy = true;
    controls();
    try {
      const r = await engine.call('step', { sid: my, count }, { onProgress });
      if (!run || run.sid !== my) return;
      run.energies.push(...r.energies);
      run.state = r.state;
      run.stop = r.stop;
    } finally {
      busy = false;
    }
    if (run && run.sid === my) render();
  }

  function tick() {
    if (!playing) return;
    const rate = Number(speed.value);
    // above 30 steps/s, take several steps per frame
    const count = rate > 30 ? Math.ceil(rate / 30) : 1;
    const t0 = performance.now();
    step(count).then(
      () => {
        if (!playing) return;
        if (!run || run.stop) {
          stopPlaying();
          controls();
          return;
        }
        const wait = Math.max(0, (1000 * count) / rate - (performance.now() - t0));
        timer = setTimeout(tick, wait);
      },
      (e) => {
        stopPlaying();
        if (!(e instanceof CancelledError)) setStatus('bad', 'Recall failed', e.message);
        controls();
      },
    );
  }

  btn.reset.addEventListener('click', reset);
  btn.step.addEventListener('click', () => step(1).catch((e) => setStatus('bad', 'Recall failed', e.message)));
  btn.play.addEventListener('click', () => {
    if (playing) {
      stopPlaying();
      controls();
      return;
    }
    settle().then(() => {
      if (!run || run.stop || playing) return;
      playing = true;
      controls();
      tick();
    });
  });
  btn.run.addEventListener('click', async () => {
    await settle();
    if (!run || run.stop) return;
    progress.hidden = false;
    progress.value = 0;
    btn.cancel.hidden = false;
    btn.cancel.focus();
    try {
      await step(1e6, (f) => {
        progress.value = f;
      });
    } catch (e) {
      if (e instanceof CancelledError) setStatus('warn', 'Cancelled', 'The recall worker was stopped and restarted; press Step or Play to start again from the cue.');
      else setStatus('bad', 'Recall failed', e.message);
    } finally {
      progress.hidden = true;
      btn.cancel.hidden = true;
      if (document.activeElement === btn.cancel || document.activeElement === document.body) btn.reset.focus();
    }
  });
  btn.cancel.addEventListener('click', () => {
    engine.cancel();
    const msg = status.textContent;
    reset().then(() => {
      if (msg) setStatus('warn', 'Cancelled: back at the cue.', 'The recall worker was stopped and restarted.');
    });
  });
  speed.addEventListener('input', () => {
    speedOut.textContent = `${speed.value} steps/s`;
  });
  modelSel.addEventListener('change', () => {
    schedSel.value = USUAL_SCHEDULE[modelSel.value];
    reset();
  });
  schedSel.addEventListener('change', reset);
  maxIn.addEventListener('change', reset);

  S.on('cue', later);
  S.on('settings', later);
  S.on('library', later);

  // ---- links (share/link.js) ----
  function read() {
    const max = stepLimit();
    return {
      model: modelSel.value,
      sched: schedSel.value,
      max,
      speed: Number(speed.value),
      at: run ? Math.min(run.state.steps, max) : 0,
      end: !!(run && run.stop),
    };
  }

  // Sets the controls from a decoded link, starts the recall from the cue
  // (already computed) and replays it to the step the link was made at:
  // the engine is deterministic, so this is the same trajectory. A run that
  // had ended takes one more step call, which finds the fixed point, the
  // cycle or the step limit without moving.
  async function restore(s) {
    stopPlaying();
    modelSel.value = s.model;
    schedSel.value = s.sched;
    maxIn.value = String(s.max);
    speed.value = String(s.speed);
    speedOut.textContent = `${speed.value} steps/s`;
    await reset();
    const count = s.end ? s.at + 1 : s.at;
    if (run && count > 0) await step(count);
  }

  return {
    onShow(view) {
      visible = view === 'recall';
      if (!visible) {
        stopPlaying();
        controls();
      }
    },
    reset,
    read,
    restore,
  };
}
