import { useLayoutEffect, useRef } from 'preact/hooks';
import { Modal, openDialog } from './dialogs';

/** In-page confirmation (testable, unlike window.confirm). Resolves true on confirm. */
export function confirmDialog(message: string, confirmLabel = 'Confirm'): Promise<boolean> {
  return openDialog<boolean>((done) => <ConfirmDialog message={message} confirmLabel={confirmLabel} done={done} />);
}

function ConfirmDialog({ message, confirmLabel, done }: { message: string; confirmLabel: string; done: (ok: boolean) => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancel.current?.focus(), []);
  return (
    <Modal testid="confirm-dialog" label="Confirm" onCancel={() => done(false)}>
      <p>{message}</p>
      <div class="dialog-actions">
        <button ref={cancel} type="button" class="btn" data-testid="confirm-cancel" onClick={() => done(false)}>
          Cancel
        </button>
        <button type="button" class="btn btn-danger" data-testid="confirm-ok" onClick={() => done(true)}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
