import { signal } from '@preact/signals';

export type ToastKind = 'error' | 'info' | 'success';
interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
}

const MAX_SHOWN = 4;
const toasts = signal<Toast[]>([]);
let seq = 0;

function dismiss(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

/**
 * A message in the alert area (`#alerts`, role="alert", in index.html): API refusals, a lost
 * stream, failed loads. Callable from anywhere, components or not. Identical messages are not stacked.
 */
export function showAlert(message: string, kind: ToastKind = 'error', timeoutMs = kind === 'error' ? 10000 : 5000): void {
  const id = ++seq;
  toasts.value = [...toasts.value.filter((t) => t.message !== message), { id, message, kind }].slice(-MAX_SHOWN);
  if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs);
}

export function clearAlerts(): void {
  toasts.value = [];
}

/** Rendered into `#alerts` by main.tsx. */
export function Toasts() {
  return (
    <>
      {toasts.value.map((t) => (
        <div key={t.id} class={`alert alert-${t.kind}`} data-kind={t.kind} data-msg={t.message}>
          <span>{t.message}</span>
          <button type="button" class="alert-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </>
  );
}
