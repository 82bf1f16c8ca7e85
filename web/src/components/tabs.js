// ARIA tabs: click or Enter/Space selects, Left/Right/Home/End move between
// tabs (and select them), the URL hash (#draw, #recall, ...) follows.
export function initTabs({ onChange } = {}) {
  const list = document.querySelector('[role="tablist"]');
  const tabs = [...list.querySelectorAll('[role="tab"]')];
  const byView = new Map(tabs.map((t) => [t.dataset.view, t]));

  function select(tab, { focus = false, updateHash = true } = {}) {
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
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = tabs.length - 1;
    if (j !== null) {
      ev.preventDefault();
      select(tabs[j], { focus: true });
    }
  });
  window.addEventListener('hashchange', () => {
    const t = byView.get(location.hash.slice(1));
    if (t) select(t, { updateHash: false });
  });
  const initial = byView.get(location.hash.slice(1)) || tabs[0];
  select(initial, { updateHash: false });
  return { select: (view) => byView.has(view) && select(byView.get(view)) };
}
