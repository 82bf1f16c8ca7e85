// Square binary pixel images: Uint8Array of 0 (background) and 1 (ink),
// row-major, n x n.

export const SIZES = [8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64];
export const DEFAULT_SIZE = 16;

export function blank(n) {
  return new Uint8Array(n * n);
}

export function inkCount(p) {
  let k = 0;
  for (let i = 0; i < p.length; i++) k += p[i];
  return k;
}

export function invert(p) {
  const q = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) q[i] = p[i] ? 0 : 1;
  return q;
}

export function equal(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hamming(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] !== b[i] ? 1 : 0;
  return d;
}

// "0110..." (row-major), what the page exposes in data-pixels.
export function toBitString(p) {
  let s = '';
  for (let i = 0; i < p.length; i++) s += p[i] ? '1' : '0';
  return s;
}

// Area-weighted resampling of a grey image (values in [0, 1], w x h) onto an
// n x n grid: each target cell gets the mean of the source area it covers.
export function resampleGrey(src, w, h, n) {
  const out = new Float32Array(n * n);
  const sx = w / n;
  const sy = h / n;
  for (let r = 0; r < n; r++) {
    const y0 = r * sy;
    const y1 = y0 + sy;
    for (let c = 0; c < n; c++) {
      const x0 = c * sx;
      const x1 = x0 + sx;
      let acc = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        if (wy <= 0) continue;
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          if (wx <= 0) continue;
          acc += wx * wy * src[y * w + x];
          area += wx * wy;
        }
      }
      out[r * n + c] = area > 0 ? acc / area : 0;
    }
  }
  return out;
}

export function threshold(grey, t) {
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = grey[i] >= t ? 1 : 0;
  return out;
}

// A binary image from size m to size n. Downsampling keeps a cell when at
// least 40% of it was ink (so thin strokes survive); upsampling is nearest.
export function resample(p, m, n) {
  if (m === n) return new Uint8Array(p);
  const grey = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) grey[i] = p[i];
  return threshold(resampleGrey(grey, m, m, n), n > m ? 0.5 : 0.4);
}

// Seeded generator (mulberry32) for the page's own small random choices
// (random presets and painted noise); the engine's corruptions use its own Rng.
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// +-1 encoding (ink +1, background -1) as Float64Array.
export function toPm1(p) {
  const x = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) x[i] = p[i] ? 1 : -1;
  return x;
}

export function fromPm1(x) {
  const p = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) p[i] = x[i] > 0 ? 1 : 0;
  return p;
}
