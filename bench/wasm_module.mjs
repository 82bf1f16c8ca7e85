// Loads a wasm bench module (build/wasm/tdam_bench{,_nosimd}.js) under Node,
// the way wasm/js/tdam.js loads the core: the classic MODULARIZE script
// evaluated with the CommonJS names it expects, the .wasm bytes passed as
// wasmBinary.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadBenchModule(name) {
  const file = path.resolve(name);
  const source = fs.readFileSync(file, 'utf8');
  const body = `${source}\nreturn createTdamBench;\n//# sourceURL=${pathToFileURL(file).href}`;
  // eslint-disable-next-line no-new-func
  const factory = new Function('require', '__filename', '__dirname', 'module', 'exports', body)(
    createRequire(file),
    file,
    path.dirname(file),
    undefined,
    undefined,
  );
  const bytes = fs.readFileSync(file.replace(/\.js$/, '.wasm'));
  return factory({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}
