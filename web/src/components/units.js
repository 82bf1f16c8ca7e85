// The hidden layer as a row of units that light up: one cell per hidden unit
// (= stored pattern), labelled with its pattern's name. Levels in [-1, 1]
// (negative only for Hopfield, whose hidden activation is the signed overlap).
export class Units {
  constructor(list) {
    this.list = list;
    this.items = [];
  }

  set(names, levels, { binary = false } = {}) {
    if (this.items.length !== names.length || this.items.some((it, i) => it.name !== names[i])) {
      this.list.replaceChildren();
      this.items = names.map((name) => {
        const li = document.createElement('li');
        li.className = 'unit';
        const cell = document.createElement('span');
        cell.className = 'unit__cell';
        cell.setAttribute('aria-hidden', 'true');
        const label = document.createElement('span');
        label.className = 'unit__name';
        label.textContent = name;
        label.title = name;
        const sr = document.createElement('span');
        sr.className = 'visually-hidden';
        li.append(cell, label, sr);
        this.list.append(li);
        return { name, li, cell, sr };
      });
    }
    this.items.forEach((it, i) => {
      const v = levels[i] ?? 0;
      const a = Math.max(0, Math.min(1, Math.abs(v)));
      it.cell.style.setProperty('--level', a.toFixed(3));
      it.li.classList.toggle('is-on', binary ? v > 0.5 : a >= 0.95);
      it.li.classList.toggle('is-negative', v < 0);
      it.sr.textContent = binary ? (v > 0.5 ? ': on' : ': off') : `: ${v.toFixed(2)}`;
    });
    this.list.dataset.code = binary ? levels.map((v) => (v > 0.5 ? '1' : '0')).join('') : '';
  }

  clear() {
    this.list.replaceChildren();
    this.items = [];
    this.list.dataset.code = '';
  }
}
