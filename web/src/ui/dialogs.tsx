import { signal } from '@preact/signals';
import { Fragment, type ComponentChildren, type VNode } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface OpenDialog {
  id: number;
  node: VNode;
}

const open = signal<OpenDialog[]>([]);
let seq = 0;

/**
 * Shows a modal and resolves with what it reports through `done` (the modal is removed first).
 * Promise-based, so a flow reads top to bottom: `if (await confirmDialog(…)) …`.
 */
export function openDialog<T>(render: (done: (value: T) => void) => VNode): Promise<T> {
  return new Promise((resolve) => {
    const id = ++seq;
    const done = (value: T) => {
      open.value = open.value.filter((d) => d.id !== id);
      resolve(value);
    };
    open.value = [...open.value, { id, node: render(done) }];
  });
}

/** Drops every open dialog (sign-out). Their promises stay pending. */
export function clearDialogs(): void {
  open.value = [];
}

/** Where the open dialogs are rendered (once, at the root). */
export function DialogHost() {
  return (
    <>
      {open.value.map((d) => (
        <Fragment key={d.id}>{d.node}</Fragment>
      ))}
    </>
  );
}

interface ModalProps {
  testid: string;
  label?: string;
  /** Escape: called instead of the browser's close (omit to ignore Escape). */
  onCancel?: () => void;
  children: ComponentChildren;
}

/** A native `<dialog>` shown with showModal(): focus trap, backdrop, top layer. */
export function Modal({ testid, label, onCancel, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dlg = ref.current!;
    dlg.showModal();
    return () => {
      if (dlg.open) dlg.close();
    };
  }, []);
  const cancel = (e: Event) => {
    e.preventDefault();
    onCancel?.();
  };
  return (
    <dialog ref={ref} class="dialog" data-testid={testid} aria-label={label} onCancel={cancel}>
      {children}
    </dialog>
  );
}
