#!/usr/bin/env node
// A tiny static file server for the built playground (build/web), node:http only.
//   node scripts/serve.mjs                 http://127.0.0.1:8080
//   node scripts/serve.mjs --port 9000     (or PORT=9000; --port 0 picks a free port)
//   node scripts/serve.mjs --root some/dir
// It binds 127.0.0.1 only, sends the page's Content-Security-Policy as a header
// too, serves .wasm as application/wasm, and prints "serving <root> at http://localhost:<port>/".
// The playground may be framed by any page (course pages embed it): the CSP
// has no frame-ancestors and no X-Frame-Options is sent. The embed element
// (embed/*.js) is a module script that host pages load from another origin,
// which needs Access-Control-Allow-Origin.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'; object-src 'none'; " +
  "base-uri 'self'; form-action 'self'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
};

function parseArgs(argv) {
  const out = { port: process.env.PORT !== undefined ? Number(process.env.PORT) : 8080, root: path.join(repo, 'build', 'web') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') out.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) out.port = Number(a.slice(7));
    else if (a === '--root') out.root = path.resolve(argv[++i]);
    else if (a.startsWith('--root=')) out.root = path.resolve(a.slice(7));
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/serve.mjs [--port N] [--root DIR]   (PORT env var also works)');
      process.exit(0);
    } else {
      console.error(`serve: unknown argument '${a}' (try --help)`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) {
    console.error(`serve: invalid port '${out.port}'`);
    process.exit(2);
  }
  return out;
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(body);
}

export function createServer(root) {
  const rootReal = fs.realpathSync(root);
  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'bad request\n');
    }
    if (pathname.includes('\0')) return send(res, 400, 'bad request\n');
    let file = path.join(rootReal, path.normalize(pathname));
    if (file !== rootReal && !file.startsWith(rootReal + path.sep)) return send(res, 403, 'forbidden\n');
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = fs.existsSync(file) ? fs.statSync(file) : null;
      }
      if (err || !st || !st.isFile()) return send(res, 404, 'not found\n');
      let real;
      try {
        real = fs.realpathSync(file);
      } catch {
        return send(res, 404, 'not found\n');
      }
      if (!real.startsWith(rootReal + path.sep)) return send(res, 403, 'forbidden\n');
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      const headers = {
        'Content-Type': type,
        'Content-Length': st.size,
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      };
      if (pathname.startsWith('/embed/')) headers['Access-Control-Allow-Origin'] = '*';
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { port, root } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${path.relative(process.cwd(), root) || root}/index.html not found; build the site first: node scripts/build-web.mjs`);
    process.exit(1);
  }
  const server = createServer(root);
  server.on('error', (e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const url = `http://localhost:${server.address().port}/`;
    console.log(`serving ${path.relative(process.cwd(), root) || root} at ${url} (bound to 127.0.0.1)`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
