// Small formatting and timing helpers.
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(x) {
  return intFmt.format(x);
}

export function fmtPct(x, digits = 1) {
  return `${(100 * x).toFixed(digits)}%`;
}

export function fmtNum(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a < 1e-12) return '0';
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  return Number(x.toFixed(digits)).toString();
}

// fn after ms of quiet; .cancel() drops a call that is waiting.
export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => {
      t = null;
      fn(...args);
    }, ms);
  };
  d.cancel = () => {
    clearTimeout(t);
    t = null;
  };
  return d;
}

// "roof + walls + door" for the active units of a code (indices into names).
export function codeName(active, names) {
  if (!active.length) return 'the empty code';
  return active.map((i) => names[i] ?? `unit ${i + 1}`).join(' + ');
}

export function codeBits(code) {
  return code.map((b) => (b ? '1' : '0')).join('');
}

// 12 -> "¹²" (superscript digits, for powers in plain text)
export function sup(n) {
  return String(n).replace(/[0-9-]/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'['0123456789'.indexOf(d)] ?? '⁻');
}
