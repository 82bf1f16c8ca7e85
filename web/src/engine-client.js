// Promise-based messaging to the engine worker (web/src/worker.js).
//
//   const engine = new EngineClient('recall');
//   await engine.ready;                      // resolves with the module version
//   const r = await engine.call('capacity', args, { onProgress: (f, partial) => ... });
//   engine.cancel();                         // terminates the worker, rejects what is pending
//                                            // with a CancelledError, starts a fresh worker
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

export class EngineClient {
  constructor(name) {
    this.name = name;
    this.nextId = 1;
    this.pending = new Map();
    this.generation = 0;
    this.listeners = new Set();
    this.start();
  }

  start() {
    this.generation++;
    const worker = new Worker(WORKER_URL, { type: 'module', name: `tdam-${this.name}` });
    this.worker = worker;
    let resolveReady;
    let rejectReady;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    // a rejected ready is reported by whoever awaits it; don't leave it unhandled
    this.ready.catch(() => {});
    worker.onmessage = (ev) => {
      const msg = ev.data;
      if (msg.type === 'ready') {
        this.version = msg.version;
        resolveReady(msg.version);
        return;
      }
      if (msg.type === 'fatal') {
        const err = new Error(msg.message);
        rejectReady(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.emit('fatal', err);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') {
        if (p.onProgress) p.onProgress(msg.fraction, msg.partial);
      } else if (msg.type === 'result') {
        this.pending.delete(msg.id);
        p.resolve(msg.result);
      } else if (msg.type === 'error') {
        this.pending.delete(msg.id);
        p.reject(new Error(msg.message));
      }
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      const err = new Error(`engine worker error: ${ev.message || 'failed to start'}`);
      rejectReady(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.emit('fatal', err);
    };
    this.emit('restart');
  }

  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(type, detail) {
    for (const fn of this.listeners) fn(type, detail);
  }

  get busy() {
    return this.pending.size > 0;
  }

  call(op, args = {}, { onProgress, transfer } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, op, args }, transfer || []);
    });
  }

  // Stop whatever the worker is doing: the module stays usable because a new
  // worker (with a fresh module instance) replaces the old one.
  cancel() {
    this.worker.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new CancelledError());
    this.start();
  }

  terminate() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new CancelledError());
    this.pending.clear();
  }
}
