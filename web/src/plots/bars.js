// Horizontal bars in HTML (one row per stored memory): the overlap of the
// visible state with each memory, in [-1, 1], with the value as text so that
// screen readers and narrow screens get the numbers too.
export class Bars {
  constructor(container, { label, min = -1, max = 1 }) {
    this.container = container;
    this.min = min;
    this.max = max;
    this.list = document.createElement('ul');
    this.list.className = 'bars';
    this.list.setAttribute('aria-label', label);
    container.append(this.list);
    this.rows = [];
  }

  // items: [{ name, value, highlight }]
  set(items) {
    if (this.rows.length !== items.length) {
      this.list.replaceChildren();
      this.rows = items.map(() => {
        const li = document.createElement('li');
        li.className = 'bars__row';
        const name = document.createElement('span');
        name.className = 'bars__name';
        const track = document.createElement('span');
        track.className = 'bars__track';
        track.setAttribute('aria-hidden', 'true');
        const zero = document.createElement('span');
        zero.className = 'bars__zero';
        const bar = document.createElement('span');
        bar.className = 'bars__bar';
        track.append(zero, bar);
        const value = document.createElement('span');
        value.className = 'bars__value';
        li.append(name, track, value);
        this.list.append(li);
        return { li, name, bar, zero, value };
      });
    }
    const span = this.max - this.min;
    const z = (-this.min / span) * 100;
    items.forEach((it, i) => {
      const r = this.rows[i];
      r.name.textContent = it.name;
      r.name.title = it.name;
      const v = Math.max(this.min, Math.min(this.max, it.value));
      const a = ((Math.min(v, 0) - this.min) / span) * 100;
      const b = ((Math.max(v, 0) - this.min) / span) * 100;
      r.zero.style.left = `${z}%`;
      r.bar.style.left = `${a}%`;
      r.bar.style.width = `${Math.max(0.5, b - a)}%`;
      r.bar.classList.toggle('is-negative', v < 0);
      r.li.classList.toggle('is-highlight', !!it.highlight);
      r.value.textContent = Number.isFinite(it.value) ? it.value.toFixed(2) : '–';
    });
  }
}
