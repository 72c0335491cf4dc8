import './admin.css';
import { useApp } from '../../app/context';
import { RegisterDroneForm } from './RegisterDroneForm';
import { UsersSection } from './UsersSection';

/**
 * Tenant admin controls (data-testid="admin-panel"), toggled from the header: register drones,
 * list and add users. Rendered for admins only; kept mounted while hidden so a half-filled form stays.
 */
export function AdminPanel() {
  const app = useApp();
  if (!app.isAdmin.value) return null;
  const open = app.adminOpen.value;
  return (
    <section class="map-panel admin" data-testid="admin-panel" aria-label="Tenant administration" hidden={!open}>
      <h2>Administration</h2>
      <h3>Register a drone</h3>
      <p class="muted">
        The drone’s device key is shown once, right after registration. To rotate a key or delete a drone, select it in the list.
      </p>
      <RegisterDroneForm />
      <UsersSection open={open} />
    </section>
  );
}
