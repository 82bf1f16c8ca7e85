// Shared by the wasm tests: loading the module once, running the native CLI,
// and reading/writing the .npy files the CLI exchanges.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadTdam } from '../../wasm/js/tdam.js';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const wasmDir = path.join(repo, 'build', 'wasm');
export const cliPath = process.env.TDAM_CLI ?? path.join(repo, 'build', 'native', 'tdam');

const cache = new Map();
/** The module, loaded once per test file (and per variant). */
export function tdamModule(options = {}) {
  const key = JSON.stringify(options);
  if (!cache.has(key)) {
    if (!fs.existsSync(path.join(wasmDir, 'tdam_core.js'))) {
      throw new Error(`no wasm build in ${wasmDir}: run scripts/build-wasm.sh first`);
    }
    cache.set(key, loadTdam(options));
  }
  return cache.get(key);
}

export function requireCli() {
  if (!fs.existsSync(cliPath)) {
    throw new Error(`the native CLI ${cliPath} is missing: run scripts/build-native.sh first`);
  }
}

/** Runs the CLI; returns stdout. Throws with its stderr on a non-zero exit. */
export function cli(args) {
  try {
    return execFileSync(cliPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = new Error(`tdam ${args.join(' ')} failed: ${e.stderr || e.message}`);
    err.stderr = e.stderr ?? '';
    err.status = e.status;
    throw err;
  }
}

export function cliJson(args) {
  return JSON.parse(cli([...args, '--json']));
}

export function tempDir(prefix = 'tdam-wasm-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Reads a float64 little-endian C-order .npy (what the CLI writes): { shape, data }. */
export function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLength);
  if (!/'descr':\s*'<f8'/.test(header)) throw new Error(`${file}: expected <f8 data, header ${header}`);
  if (!/'fortran_order':\s*False/.test(header)) throw new Error(`${file}: expected C order`);
  const shape = header
    .match(/'shape':\s*\(([^)]*)\)/)[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length)
    .map(Number);
  const offset = start + headerLength;
  const bytes = buf.subarray(offset);
  const data = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(data.buffer).set(bytes);
  return { shape, data };
}

/** Writes a float64 .npy: a 1-D vector, or rows x cols from C-order data. */
export function writeNpy(file, data, shape = [data.length]) {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(new Float64Array(data).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

/** C-order rows x cols (the CLI's N_v x N_h .npy) to column-major (the JS API's layout). */
export function cOrderToColumnMajor(data, rows, cols) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Column-major rows x cols to C order. */
export function columnMajorToCOrder(data, rows, cols) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = data[j * rows + i];
  return out;
}

/** Bit-for-bit equality of two float64 arrays (distinguishes -0 and NaN payloads). */
export function sameBits(a, b) {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(Float64Array.from(a).buffer);
  const y = new Uint8Array(Float64Array.from(b).buffer);
  return Buffer.compare(x, y) === 0;
}

/** First index where two arrays differ bitwise, for messages (-1: none). */
export function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

/** The CLI's derived_seed(seed, stream) (cli/inputs.cpp: splitmix64 of seed and stream), as a BigInt. */
export function derivedSeed(seed, stream) {
  const mask = (1n << 64n) - 1n;
  let z = (BigInt(seed) + 0x9e3779b97f4a7c15n * (BigInt(stream) + 1n)) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}
