// The straightforward JavaScript typed-array implementation of the two
// benchmarked workloads, straight from MODEL.md, as a user would write it
// first: column-major Float64Array weights (N_v x N_h, as tdam.randomWeights
// gives them), dense loops in memory order, no bit tricks. The only shortcut
// is the obvious one: hidden units that are off add nothing to xi s.

/**
 * One synchronous step of a binary-visible threshold network:
 *   s = H(xi^T v / N_v - theta),  v'_i = sign((xi s)_i), kept on 0.
 * Writes s (Float64Array(nh)) and next (Float64Array(nv)); v is not changed.
 */
export function syncStep(w, nv, nh, theta, v, s, next) {
  for (let mu = 0; mu < nh; mu++) {
    const off = mu * nv;
    let h = 0;
    for (let i = 0; i < nv; i++) h += w[off + i] * v[i];
    s[mu] = h / nv - theta > 0 ? 1 : 0;
  }
  next.fill(0);
  for (let mu = 0; mu < nh; mu++) {
    if (s[mu] === 0) continue;
    const off = mu * nv;
    for (let i = 0; i < nv; i++) next[i] += w[off + i];
  }
  for (let i = 0; i < nv; i++) next[i] = next[i] > 0 ? 1 : next[i] < 0 ? -1 : v[i];
}

/**
 * Exhaustive capacity count of a linear-visible threshold network: the
 * non-zero codes s with s = H(G s / N_v - theta), G = xi^T xi, each code
 * checked from scratch (O(N_h^2) per code).
 */
export function countStable(w, nv, nh, theta) {
  const g = new Float64Array(nh * nh);
  for (let a = 0; a < nh; a++) {
    for (let b = a; b < nh; b++) {
      let d = 0;
      for (let i = 0; i < nv; i++) d += w[a * nv + i] * w[b * nv + i];
      g[a * nh + b] = d;
      g[b * nh + a] = d;
    }
  }
  let stable = 0;
  const total = 2 ** nh;
  for (let code = 1; code < total; code++) {
    let ok = true;
    for (let mu = 0; mu < nh && ok; mu++) {
      let field = 0;
      for (let nu = 0; nu < nh; nu++) if ((code >> nu) & 1) field += g[mu * nh + nu];
      ok = (field / nv - theta > 0) === (((code >> mu) & 1) === 1);
    }
    if (ok) stable++;
  }
  return stable;
}

/** sum_i v_i (i mod 97 + 1) + 10^6 * (active units): bench/scenario.hpp's checksum. */
export function checksum(v, s) {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * ((i % 97) + 1);
  let active = 0;
  for (let mu = 0; mu < s.length; mu++) if (s[mu] !== 0) active++;
  return sum + 1e6 * active;
}
