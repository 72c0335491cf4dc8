type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | number | null | undefined | false;

/** Tiny hyperscript helper: h('button', { class: 'x', onclick: fn }, 'Label'). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export type AlertKind = 'error' | 'info' | 'success';

/** Visible alert area (role="alert" container in index.html). Identical messages are not stacked. */
export function showAlert(message: string, kind: AlertKind = 'error', timeoutMs = kind === 'error' ? 10000 : 5000): void {
  const box = document.getElementById('alerts');
  if (!box) return;
  for (const existing of Array.from(box.children)) {
    if ((existing as HTMLElement).dataset.msg === message) existing.remove();
  }
  const close = h('button', { type: 'button', class: 'alert-close', 'aria-label': 'Dismiss' }, '×');
  const item = h('div', { class: `alert alert-${kind}`, 'data-kind': kind }, h('span', {}, message), close);
  item.dataset.msg = message;
  close.addEventListener('click', () => item.remove());
  box.append(item);
  while (box.children.length > 4) box.firstElementChild?.remove();
  if (timeoutMs > 0) setTimeout(() => item.remove(), timeoutMs);
}

export function clearAlerts(): void {
  const box = document.getElementById('alerts');
  if (box) box.replaceChildren();
}
