// A few DOM helpers instead of a UI library: the console has a handful of pages of forms and tables, and plain
// elements built by h() keep the bundle small and every control's label explicit.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | number | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

let ids = 0;
export const uid = (p: string): string => `${p}-${++ids}`;

export interface Field {
  wrap: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
  setError(m: string | undefined): void;
}

/** A labelled input with its own error line (aria-describedby), where a validation problem is shown. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, help?: string): Field {
  const id = input.id || uid('f');
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const helpEl = help ? h('p', { class: 'help', id: `${id}-help` }, help) : null;
  input.setAttribute('aria-describedby', [help ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, helpEl, error);
  return {
    wrap, input, error,
    setError(m) {
      error.textContent = m ?? '';
      error.hidden = !m;
      if (m) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

export function input(attrs: Attrs): HTMLInputElement {
  return h('input', attrs);
}

export function select(options: { value: string; label: string }[], attrs: Attrs = {}): HTMLSelectElement {
  return h('select', attrs, ...options.map((o) => h('option', { value: o.value }, o.label)));
}

export function status(m: string): void {
  const s = document.getElementById('status');
  if (s) s.textContent = m;
}

/** Replaces the page: the main region's content, the document title, focus on the heading (screen readers). */
export function page(title: string, ...content: Child[]): HTMLElement {
  const main = document.getElementById('main')!;
  const heading = h('h1', { tabindex: '-1' }, title);
  main.replaceChildren(heading, ...content.filter((c): c is Node | string => !!c));
  document.title = `${title} · vic-machine console`;
  heading.focus();
  return main;
}

export function dl(rows: [string, Child][]): HTMLDListElement {
  return h('dl', { class: 'kv' }, ...rows.filter(([, v]) => v !== undefined && v !== '' && v !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function errorBox(message: string, hint?: string): HTMLElement {
  return h('div', { class: 'alert', role: 'alert' }, h('p', {}, message), hint ? h('p', { class: 'help' }, hint) : null);
}
