import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { dronesApi } from '../../api/drones';
import { useApp } from '../../app/context';
import { showDeviceKey } from '../../ui/DeviceKeyDialog';
import { showAlert } from '../../ui/toasts';

export const adminErrorText = (e: unknown): string => (e instanceof ApiError ? e.message : 'Something went wrong; try again.');

/** Register a drone; its device key is shown once, right after. */
export function RegisterDroneForm() {
  const { catalogue } = useApp();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const body: { name: string; serialNumber?: string; model?: string } = { name: text('name') };
    if (!body.name) return showAlert('Give the drone a name (1 to 100 characters).');
    if (text('serialNumber')) body.serialNumber = text('serialNumber');
    if (text('model')) body.model = text('model');
    setBusy(true);
    try {
      const { deviceKey, ...drone } = await dronesApi.register(body);
      form.reset();
      catalogue.add({ ...drone, state: drone.state ?? null });
      showAlert(`Drone “${drone.name}” registered.`, 'success');
      await showDeviceKey('Drone registered', drone.name, deviceKey);
    } catch (err) {
      showAlert(`Could not register the drone: ${adminErrorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="admin-form" data-testid="register-drone" aria-label="Register a drone" onSubmit={submit}>
      <label class="field">
        <span>Name</span>
        <input name="name" required maxLength={100} autocomplete="off" data-testid="register-name" />
      </label>
      <label class="field">
        <span>Serial number (optional)</span>
        <input name="serialNumber" autocomplete="off" data-testid="register-serial" />
      </label>
      <label class="field">
        <span>Model (optional)</span>
        <input name="model" autocomplete="off" data-testid="register-model" />
      </label>
      <button type="submit" class="btn btn-primary" data-testid="register-submit" disabled={busy}>
        Register drone
      </button>
    </form>
  );
}
