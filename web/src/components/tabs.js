// ARIA tabs: click or Enter/Space selects, Left/Right/Home/End move between
// the visible tabs (and select them). A bare view name in the URL fragment
// (#draw, #recall, …) selects its tab on load and on hashchange; with
// syncHash the fragment also follows the selected tab (the share module
// turns that off: it keeps the whole state in the fragment).
export function initTabs({ onChange, syncHash = true } = {}) {
  const list = document.querySelector('[role="tablist"]');
  const tabs = [...list.querySelectorAll('[role="tab"]')];
  const byView = new Map(tabs.map((t) => [t.dataset.view, t]));
  const visible = () => tabs.filter((t) => !t.hidden);

  function select(tab, { focus = false, updateHash = syncHash } = {}) {
    if (tab.hidden) tab = visible()[0] || tab;
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    document.body.dataset.view = tab.dataset.view;
    if (focus) tab.focus();
    if (updateHash && location.hash !== `#${tab.dataset.view}`) history.replaceState(null, '', `#${tab.dataset.view}`);
    if (onChange) onChange(tab.dataset.view);
  }

  list.addEventListener('click', (ev) => {
    const tab = ev.target.closest('[role="tab"]');
    if (tab) select(tab);
  });
  list.addEventListener('keydown', (ev) => {
    const shown = visible();
    const i = shown.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowRight') j = (i + 1) % shown.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + shown.length) % shown.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = shown.length - 1;
    if (j !== null) {
      ev.preventDefault();
      select(shown[j], { focus: true });
    }
  });
  window.addEventListener('hashchange', () => {
    const t = byView.get(location.hash.slice(1));
    if (t) select(t, { updateHash: false });
  });
  const initial = byView.get(location.hash.slice(1)) || tabs[0];
  select(initial, { updateHash: false });
  return {
    select: (view, opts) => byView.has(view) && select(byView.get(view), opts),
    current: () => document.body.dataset.view,
    // after tabs were hidden: move off a hidden selected tab
    refresh() {
      const cur = byView.get(document.body.dataset.view);
      if (cur && cur.hidden) select(cur, { updateHash: false });
    },
  };
}
