import { errorText } from '../../api/client';
import { dronesApi } from '../../api/drones';
import { confirmDialog } from '../../ui/ConfirmDialog';
import { showDeviceKey } from '../../ui/DeviceKeyDialog';
import { showAlert } from '../../ui/toasts';
import type { Catalogue } from '../drones/catalogue';
import type { Selection } from './selection';

/** Admin: a new device key (confirmed first), shown once; the old key stops working. */
export async function rotateKey(id: string, name: string): Promise<void> {
  if (!(await confirmDialog(`Rotate the device key of “${name}”? The current key stops working at once.`, 'Rotate key'))) return;
  try {
    const { deviceKey } = await dronesApi.rotateKey(id);
    await showDeviceKey('New device key', name, deviceKey);
  } catch (e) {
    showAlert(`Could not rotate the key: ${errorText(e)}`);
  }
}

/** Admin: deletes the drone (confirmed first); it leaves the list, the map and the selection. */
export async function deleteDrone(id: string, name: string, catalogue: Catalogue, selection: Selection): Promise<void> {
  if (
    !(await confirmDialog(
      `Delete “${name}”? Its key stops working; its history stays readable until retention removes it.`,
      'Delete drone',
    ))
  )
    return;
  try {
    await dronesApi.remove(id);
    catalogue.remove(id);
    if (selection.id.peek() === id) selection.select(null);
    showAlert(`Drone “${name}” deleted.`, 'success');
  } catch (e) {
    showAlert(`Could not delete the drone: ${errorText(e)}`);
  }
}
