// What a recall ended in, in words: which memory or code it reached, or that
// it is spurious, cycled or hit the step limit. Shared by Recall and Compare.
import { equal, hamming, invert } from './pixels.js';
import { codeName, codeBits } from './format.js';

// run: { model, state, stop, steps }; cue: state.cue; lib: [{ name, pixels }]
// -> { kind: 'good' | 'other' | 'bad' | 'warn' | 'neutral', title, detail }
export function verdict(run, cue, lib) {
  const { model, state, stop } = run;
  const steps = state.steps;
  const names = lib.map((x) => x.name);
  const targetIdx = cue ? cue.targetIds.map((id) => lib.findIndex((x) => x.id === id)).filter((i) => i >= 0) : [];
  const targetName = cue ? cue.targetName : null;
  const inSteps = `${steps} step${steps === 1 ? '' : 's'}`;

  if (model === 'threshold') {
    const active = [];
    state.code.forEach((b, i) => b && active.push(i));
    const codeText = `code ${codeBits(state.code)} = ${codeName(active, names)}`;
    if (stop === 'cycle') return { kind: 'warn', title: `Cycle after ${inSteps}`, detail: `The synchronous updates returned to the state of two steps before; now at ${codeText}.` };
    if (stop === 'step_limit') return { kind: 'warn', title: `Step limit reached (${inSteps})`, detail: `No fixed point yet; now at ${codeText}.` };
    if (!active.length) {
      return { kind: 'bad', title: `Converged to the empty code in ${inSteps}`, detail: 'No hidden unit is above θ, so the visible layer went blank: a spurious state (lower θ, or corrupt less).' };
    }
    if (!state.stableCode) return { kind: 'bad', title: `Converged in ${inSteps} to a spurious state`, detail: `Its code (${codeText}) is not a fixed point of a synchronous step.` };
    const same = targetIdx.length === active.length && targetIdx.every((i) => active.includes(i));
    if (!cue || cue.targetKind === 'drawing') {
      return { kind: 'neutral', title: `Converged in ${inSteps} to ${codeName(active, names)}`, detail: `A stable ${codeText}.` };
    }
    if (same) {
      const what = active.length > 1 ? `the combination ${codeName(active, names)}` : `“${names[active[0]]}”`;
      return { kind: 'good', title: `Retrieved ${what} in ${inSteps}`, detail: `The cued memory: ${codeText}.` };
    }
    const what = active.length > 1 ? `the combination ${codeName(active, names)}` : `the memory “${names[active[0]]}”`;
    return {
      kind: 'other',
      title: `Converged to ${what} in ${inSteps}`,
      detail: `A stable code (${codeBits(state.code)}), so a memory of the parts network, but not the cued ${targetName}.`,
    };
  }

  // baselines: compare the final pattern with the stored ones
  const ink = state.ink;
  const exact = lib.findIndex((x) => equal(x.pixels, ink));
  const mirror = exact < 0 ? lib.findIndex((x) => equal(invert(x.pixels), ink)) : -1;
  let nearest = 0;
  state.overlaps.forEach((o, i) => {
    if (o > state.overlaps[nearest]) nearest = i;
  });
  if (stop === 'cycle') return { kind: 'warn', title: `Cycle after ${inSteps}`, detail: 'The synchronous updates alternate between two states.' };
  if (stop === 'step_limit') return { kind: 'warn', title: `Step limit reached (${inSteps})`, detail: 'No fixed point yet.' };
  if (exact >= 0) {
    if (!cue || cue.targetKind === 'drawing') return { kind: 'neutral', title: `Converged to “${names[exact]}” in ${inSteps}`, detail: 'A stored pattern.' };
    if (targetIdx.length === 1 && targetIdx[0] === exact) return { kind: 'good', title: `Retrieved “${names[exact]}” in ${inSteps}`, detail: 'The final state is the cued memory.' };
    const note = cue.targetKind === 'combo' ? ' A combination of parts is not stored in this network (one memory per hidden unit).' : '';
    return { kind: 'other', title: `Converged to “${names[exact]}” in ${inSteps}`, detail: `A stored memory, but not the cued ${targetName}.${note}` };
  }
  if (mirror >= 0) return { kind: 'bad', title: `Converged to the inverse of “${names[mirror]}” in ${inSteps}`, detail: 'A mirror state: spurious.' };
  const d = lib[nearest] ? hamming(lib[nearest].pixels, ink) : 0;
  return {
    kind: 'bad',
    title: `Converged to a spurious state in ${inSteps}`,
    detail: `No stored memory. Nearest: “${names[nearest]}” (overlap ${state.overlaps[nearest].toFixed(2)}, ${d} pixel${d === 1 ? '' : 's'} differ).`,
  };
}
