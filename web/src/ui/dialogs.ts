import { h } from './dom';

/** In-page confirmation (testable, unlike window.confirm). Resolves true on confirm. */
export function confirmDialog(message: string, confirmLabel = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'confirm-ok' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'confirm-cancel' }, 'Cancel');
    const dlg = h('dialog', { class: 'dialog', 'data-testid': 'confirm-dialog', 'aria-label': 'Confirm' }, h('p', {}, message), h('div', { class: 'dialog-actions' }, cancel, ok));
    const done = (v: boolean) => {
      dlg.close();
      dlg.remove();
      resolve(v);
    };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

async function copyText(text: string, source: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context; fall back to selecting the text.
    const range = document.createRange();
    range.selectNodeContents(source);
    const sel = getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** Shows a device key once, with a copy button and a warning that it will not be shown again. */
export function showDeviceKey(title: string, droneName: string, key: string): Promise<void> {
  return new Promise((resolve) => {
    const code = h('code', { class: 'device-key', 'data-testid': 'device-key' }, key);
    const copied = h('span', { class: 'copied', role: 'status', 'data-testid': 'copy-status' });
    const copy = h('button', { type: 'button', class: 'btn', 'data-testid': 'copy-device-key' }, 'Copy key');
    const done = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'device-key-done' }, 'I have stored the key');
    const dlg = h(
      'dialog',
      { class: 'dialog', 'data-testid': 'device-key-dialog', 'aria-label': title },
      h('h2', {}, title),
      h('p', {}, 'Device key for ', h('strong', {}, droneName), ':'),
      h('div', { class: 'key-row' }, code, copy),
      copied,
      h('p', { class: 'warning', 'data-testid': 'device-key-warning' }, '⚠ This key will not be shown again. Copy it now and store it safely on the drone; if it is lost, rotate the key to get a new one.'),
      h('div', { class: 'dialog-actions' }, done),
    );
    copy.addEventListener('click', async () => {
      const ok = await copyText(key, code);
      copied.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy automatically: select the key and copy it by hand.';
    });
    const close = () => {
      dlg.close();
      dlg.remove();
      resolve();
    };
    done.addEventListener('click', close);
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault(); // Escape must not lose the key by accident: use the button
    });
    document.body.append(dlg);
    dlg.showModal();
    copy.focus();
  });
}
