// Entry point: starts the engine workers, wires the views to the shared state.
import { EngineClient } from './engine-client.js';
import { initTabs } from './components/tabs.js';
import { initDraw } from './views/draw.js';
import { initLibrary } from './views/library.js';
import { initCorrupt } from './views/corrupt.js';
import { initRecall } from './views/recall.js';
import { initCompare } from './views/compare.js';
import { initCapacity } from './views/capacity.js';
import { initReal } from './views/real.js';
import { initLinks } from './share/link.js';
import { initShareDialog } from './share/dialog.js';

// Workers, so that cancelling one kind of long work (terminating its
// worker) never interrupts the others:
//   main      corruptions, library statistics, the Compare view
//   recall    the step-by-step recall of the Recall view
//   capacity  capacity counts and sweeps
//   real      the Real images view's network, decoder and recalls
//   learn     training in the browser (Real images)
// The last two start when the Real images tab is first shown.
const engines = {
  main: new EngineClient('main'),
  recall: new EngineClient('recall'),
  capacity: new EngineClient('capacity'),
};
let realEngines = null;
function startRealEngines() {
  if (!realEngines) {
    realEngines = { real: new EngineClient('real'), learn: new EngineClient('learn') };
    Object.assign(engines, realEngines);
  }
  return realEngines;
}

const status = document.getElementById('engine-status');
Promise.all(Object.values(engines).map((e) => e.ready)).then(
  ([version]) => {
    status.dataset.state = 'ready';
    status.textContent = `Engine ready · WebAssembly · tdam ${version}`;
    document.getElementById('engine-version').textContent = `Engine: tdam ${version} (WebAssembly).`;
    document.body.dataset.engine = 'ready';
  },
  (err) => {
    status.dataset.state = 'error';
    status.textContent = `The engine could not start: ${err.message}`;
    document.body.dataset.engine = 'error';
  },
);

const ctx = { engines };
const views = {};
views.library = initLibrary(ctx);
views.draw = initDraw(ctx);
views.corrupt = initCorrupt(ctx);
views.recall = initRecall(ctx);
views.compare = initCompare(ctx);
views.capacity = initCapacity(ctx);
views.real = initReal({ ...ctx, startEngines: startRealEngines });
ctx.views = views;

let links = null;
const tabs = initTabs({
  // the whole state, the tab included, lives in the fragment (share/link.js)
  syncHash: false,
  onChange(view) {
    for (const v of Object.values(views)) if (v && v.onShow) v.onShow(view);
    if (links) links.onTab();
  },
});

// Links: open the one in the address (if any), then keep the address up to date.
links = initLinks({ views, tabs, engines });
initShareDialog({ links });
links.start();
