import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Modal, openDialog } from './dialogs';

/** Shows a device key once, with a copy button and a warning that it will not be shown again. */
export function showDeviceKey(title: string, droneName: string, key: string): Promise<void> {
  return openDialog<void>((done) => <DeviceKeyDialog title={title} droneName={droneName} deviceKey={key} done={done} />);
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

interface Props {
  title: string;
  droneName: string;
  deviceKey: string;
  done: () => void;
}

function DeviceKeyDialog({ title, droneName, deviceKey, done }: Props) {
  const code = useRef<HTMLElement>(null);
  const copyBtn = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState('');
  useLayoutEffect(() => copyBtn.current?.focus(), []);
  const copy = async () => {
    const ok = await copyText(deviceKey, code.current!);
    setCopied(ok ? 'Copied to the clipboard.' : 'Could not copy automatically: select the key and copy it by hand.');
  };
  // No onCancel: Escape must not lose the key by accident, the button closes it.
  return (
    <Modal testid="device-key-dialog" label={title}>
      <h2>{title}</h2>
      <p>
        Device key for <strong>{droneName}</strong>:
      </p>
      <div class="key-row">
        <code ref={code} class="device-key" data-testid="device-key">
          {deviceKey}
        </code>
        <button ref={copyBtn} type="button" class="btn" data-testid="copy-device-key" onClick={() => void copy()}>
          Copy key
        </button>
      </div>
      <span class="copied" role="status" data-testid="copy-status">
        {copied}
      </span>
      <p class="warning" data-testid="device-key-warning">
        ⚠ This key will not be shown again. Copy it now and store it safely on the drone; if it is lost, rotate the key to get a new one.
      </p>
      <div class="dialog-actions">
        <button type="button" class="btn btn-primary" data-testid="device-key-done" onClick={() => done()}>
          I have stored the key
        </button>
      </div>
    </Modal>
  );
}
